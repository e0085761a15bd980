/**
 * Docker Compose's variable interpolation over one string: `${NAME}`, `$NAME`, `${NAME:-default}`
 * (default when unset or empty), `${NAME-default}` (when unset), `${NAME:+alt}` / `${NAME+alt}`,
 * `${NAME:?message}` / `${NAME?message}` (throws) and `$$` (a literal `$`). Defaults may nest.
 */
export function interpolate(value: string, env: Readonly<Record<string, string | undefined>>): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c !== '$') {
      out += c;
      continue;
    }
    const next = value[i + 1];
    if (next === '$') {
      out += '$';
      i++;
    } else if (next === '{') {
      const close = closingBrace(value, i + 1);
      out += expand(value.slice(i + 2, close), env);
      i = close;
    } else {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(value.slice(i + 1))?.[0];
      if (name === undefined) out += '$';
      else {
        out += env[name] ?? '';
        i += name.length;
      }
    }
  }
  return out;
}

function expand(body: string, env: Readonly<Record<string, string | undefined>>): string {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+?])(.*))?$/s.exec(body);
  if (!m) throw new Error(`invalid interpolation \${${body}}`);
  const [, name, operator, rest = ''] = m;
  const value = env[name!];
  const empty = operator?.startsWith(':') ? value === undefined || value === '' : value === undefined;
  switch (operator?.replace(':', '')) {
    case undefined:
      return value ?? '';
    case '-':
      return empty ? interpolate(rest, env) : value!;
    case '+':
      return empty ? '' : interpolate(rest, env);
    default:
      if (empty) throw new Error(`${name}: ${rest || 'required variable is missing'}`);
      return value!;
  }
}

function closingBrace(value: string, open: number): number {
  let depth = 0;
  for (let i = open; i < value.length; i++) {
    if (value[i] === '{') depth++;
    else if (value[i] === '}' && --depth === 0) return i;
  }
  throw new Error(`unterminated \${ in ${value}`);
}
