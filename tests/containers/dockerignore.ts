interface Rule {
  negate: boolean;
  pattern: RegExp;
}

/**
 * The build context filter of a .dockerignore, with Docker's semantics: patterns are relative to
 * the context root, `*` and `?` stay within one path segment, `**` spans segments, a pattern that
 * matches a folder excludes everything in it, `!` re-includes, and the last matching rule wins.
 * Returns a predicate over slash-separated paths relative to the context.
 */
export function createDockerignore(text: string): (file: string) => boolean {
  const rules: Rule[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    const body = (negate ? line.slice(1) : line).trim().replace(/^\/+/, '').replace(/\/+$/, '');
    if (body === '') continue;
    rules.push({ negate, pattern: globToRegExp(body) });
  }
  return (file: string): boolean => {
    const segments = file.split('/');
    // The path itself and every folder above it.
    const candidates = segments.map((_, i) => segments.slice(0, i + 1).join('/'));
    let excluded = false;
    for (const rule of rules) if (candidates.some((c) => rule.pattern.test(c))) excluded = !rule.negate;
    return excluded;
  };
}

function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      // `**/` matches zero or more folders; a trailing `**` matches everything below.
      if (glob[i + 2] === '/') {
        out += '(?:.*/)?';
        i += 2;
      } else {
        out += '.*';
        i += 1;
      }
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}
