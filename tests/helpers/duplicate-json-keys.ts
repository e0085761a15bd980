/**
 * The keys that appear twice in one object of a JSON text, each as `path.key` (`$` is the top
 * level). JSON.parse keeps the last of duplicate keys silently, so this walks the text itself.
 * Throws on text that is not JSON.
 */
export function duplicateJsonKeys(text: string): string[] {
  const duplicates: string[] = [];
  let i = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at offset ${i} of ${text.slice(0, 200)}`);
  };
  const space = (): void => {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  };
  const string = (): string => {
    const start = i;
    if (text[i] !== '"') fail('expected a string');
    for (i++; i < text.length; i++) {
      if (text[i] === '\\') i++;
      else if (text[i] === '"') return JSON.parse(text.slice(start, ++i)) as string;
    }
    return fail('unterminated string');
  };
  const value = (path: string): void => {
    space();
    const c = text[i];
    if (c === '{') {
      i++;
      const seen = new Set<string>();
      space();
      if (text[i] === '}') return void i++;
      for (;;) {
        space();
        const key = string();
        if (seen.has(key)) duplicates.push(`${path}.${key}`);
        seen.add(key);
        space();
        if (text[i++] !== ':') fail('expected :');
        value(`${path}.${key}`);
        space();
        const next = text[i++];
        if (next === '}') return;
        if (next !== ',') fail('expected , or }');
      }
    }
    if (c === '[') {
      i++;
      space();
      if (text[i] === ']') return void i++;
      for (let n = 0; ; n++) {
        value(`${path}[${n}]`);
        space();
        const next = text[i++];
        if (next === ']') return;
        if (next !== ',') fail('expected , or ]');
      }
    }
    if (c === '"') return void string();
    const literal = /^(?:true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 64))?.[0];
    if (literal === undefined) fail('expected a JSON value');
    i += literal!.length;
  };
  value('$');
  space();
  if (i !== text.length) fail('unexpected text after the JSON value');
  return duplicates;
}
