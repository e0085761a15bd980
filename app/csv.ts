/**
 * One CSV field (RFC 4180 quoting). A text starting with =, +, -, @, a tab or a carriage return
 * would be a formula to a spreadsheet: it is prefixed with an apostrophe (OWASP's CSV injection).
 */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  const text = typeof v === 'object' && !(v instanceof Date) ? String(v) : v instanceof Date ? v.toISOString() : String(v);
  const safe = /^[=+\-@\t\r]/.test(text) && typeof v === 'string' ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A CSV line of `values`, with its newline. */
export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvField).join(',')}\n`;
}
