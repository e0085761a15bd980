/** RAWG-style slug: lower-case ASCII words joined by '-'; apostrophes vanish ("Director's" → "directors"). */
export function slugify(text: string): string {
  let out = '';
  let pendingDash = false;
  for (const ch of text.toLowerCase()) {
    if (ch === "'" || ch === '’') continue;
    if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
      if (pendingDash && out !== '') out += '-';
      out += ch;
      pendingDash = false;
    } else {
      pendingDash = true;
    }
  }
  return out;
}
