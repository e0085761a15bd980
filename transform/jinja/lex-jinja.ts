import { Unsupported } from './unsupported.js';

/** A token as nunjucks' lexer cuts it (whitespace inside tags is dropped: its parser skips it). */
export interface JinjaToken {
  type: 'data' | 'comment' | 'block-start' | 'block-end' | 'var-start' | 'var-end' | 'string' | 'int' | 'float' | 'boolean' | 'none' | 'symbol' | 'operator' | 'paren' | 'bracket' | 'curly' | 'comma' | 'colon' | 'tilde' | 'pipe';
  value: string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const BRACKETS: Record<string, JinjaToken['type']> = { '(': 'paren', ')': 'paren', '[': 'bracket', ']': 'bracket', '{': 'curly', '}': 'curly', ',': 'comma', ':': 'colon', '~': 'tilde', '|': 'pipe' };

/**
 * The tokens nunjucks 3.2 (default tags, no trimBlocks/lstripBlocks) cuts `text` into, for the
 * subset the fast engine handles. Throws Unsupported where nunjucks would fail or where the subset
 * stops (regex literals, symbols that are not identifiers), so the caller falls back to nunjucks.
 */
export function lexJinja(text: string): JinjaToken[] {
  const tokens: JinjaToken[] = [];
  const n = text.length;
  let i = 0;
  let stray = -1;
  while (i < n) {
    if (text.startsWith('{%', i) || text.startsWith('{{', i)) {
      const block = text[i + 1] === '%';
      const dash = text[i + 2] === '-';
      tokens.push({ type: block ? 'block-start' : 'var-start', value: text.slice(i, i + (dash ? 3 : 2)) });
      i = lexCode(text, i + (dash ? 3 : 2), tokens);
      continue;
    }
    if (text.startsWith('{#', i)) {
      const end = text.indexOf('#}', i + 2);
      if (end < 0) throw new Unsupported('unterminated comment');
      tokens.push({ type: 'comment', value: text.slice(i, end + 2) });
      i = end + 2;
      continue;
    }
    // Data runs to the next tag start; nunjucks rejects a stray `#}` in data.
    const next = nextTagStart(text, i);
    const j = next < 0 ? n : next;
    if (stray < i) stray = text.indexOf('#}', i) < 0 ? Infinity : text.indexOf('#}', i);
    if (stray < j) throw new Unsupported('stray #}');
    tokens.push({ type: 'data', value: text.slice(i, j) });
    i = j;
  }
  return tokens;
}

function nextTagStart(text: string, from: number): number {
  let at = text.indexOf('{', from);
  while (at >= 0) {
    const c = text[at + 1];
    if (c === '%' || c === '{' || c === '#') return at;
    at = text.indexOf('{', at + 1);
  }
  return -1;
}

// One token of code, after nunjucks' whitespace, in its order of tests: a string, an end tag (before
// the delimiters, so `-%}` is not a minus), a regex literal (refused), an operator or bracket (the
// longest of its complex operators), or a word. One native regex match per token instead of a
// character loop in JS: most of a cold compile is spent before the JIT has warmed up.
const CODE_TOKEN = /[ \n\t\r\u00a0]*(?:(["'])|(-?%\}|-?\}\})|(r\/)|(===|!==|==|!=|<=|>=|\/\/|\*\*|[()[\]{}%*\-+~/#,:|.<>=!])|([^ \n\t\r\u00a0()[\]{}%*\-+~/#,:|.<>=!]+))/y;
const DECIMALS = /\.([0-9]+)/y;

/** Lexes one tag's code from `start` through its end token; returns the index after it. */
function lexCode(text: string, start: number, tokens: JinjaToken[]): number {
  let i = start;
  for (;;) {
    CODE_TOKEN.lastIndex = i;
    const m = CODE_TOKEN.exec(text);
    if (m === null || m[0].length === 0) throw new Unsupported('unterminated tag');
    i = CODE_TOKEN.lastIndex;
    if (m[1] !== undefined) {
      i = lexString(text, i - 1, tokens);
    } else if (m[2] !== undefined) {
      tokens.push({ type: m[2].endsWith('%}') ? 'block-end' : 'var-end', value: m[2] });
      return i;
    } else if (m[3] !== undefined) {
      throw new Unsupported('regex literal');
    } else if (m[4] !== undefined) {
      tokens.push({ type: BRACKETS[m[4]] ?? 'operator', value: m[4] });
    } else {
      i = lexWord(text, m[5]!, i, tokens);
    }
  }
}

/** A word (a run of neither whitespace nor delimiters) ending at `end`: a number, a constant or a name. */
function lexWord(text: string, word: string, end: number, tokens: JinjaToken[]): number {
  if (/^[0-9]+$/.test(word)) {
    if (text[end] !== '.') {
      tokens.push({ type: 'int', value: word });
      return end;
    }
    DECIMALS.lastIndex = end;
    const decimals = DECIMALS.exec(text);
    // `1.` or `1.x` lex oddly in nunjucks; only plain decimals are taken.
    if (decimals === null) throw new Unsupported('float without decimals');
    tokens.push({ type: 'float', value: `${word}.${decimals[1]!}` });
    return DECIMALS.lastIndex;
  }
  if (word === 'true' || word === 'false') tokens.push({ type: 'boolean', value: word });
  else if (word === 'none' || word === 'null') tokens.push({ type: 'none', value: word });
  else if (IDENTIFIER.test(word)) tokens.push({ type: 'symbol', value: word });
  else throw new Unsupported(`symbol ${word}`);
  return end;
}

function lexString(text: string, start: number, tokens: JinjaToken[]): number {
  const quote = text[start];
  let i = start + 1;
  let out = '';
  while (i < text.length && text[i] !== quote) {
    const c = text[i]!;
    if (c === '\\') {
      const e = text[i + 1];
      if (e === undefined) break;
      out += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e;
      i += 2;
    } else {
      out += c;
      i++;
    }
  }
  if (i >= text.length) throw new Unsupported('unterminated string');
  tokens.push({ type: 'string', value: out });
  return i + 1;
}
