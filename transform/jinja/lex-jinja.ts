import { Unsupported } from './unsupported.js';

/** A token as nunjucks' lexer cuts it (whitespace inside tags is dropped: its parser skips it). */
export interface JinjaToken {
  type: 'data' | 'comment' | 'block-start' | 'block-end' | 'var-start' | 'var-end' | 'string' | 'int' | 'float' | 'boolean' | 'none' | 'symbol' | 'operator' | 'paren' | 'bracket' | 'curly' | 'comma' | 'colon' | 'tilde' | 'pipe';
  value: string;
}

// nunjucks' character classes (lexer.js): whitespace inside tags and the single-character delimiters.
const WHITESPACE = ' \n\t\r\u00a0';
const DELIMITERS = '()[]{}%*-+~/#,:|.<>=!';
// Character classes by code (Latin-1 is enough: both sets are in it): 1 whitespace, 2 delimiter.
const CLASS = new Uint8Array(256);
for (const c of WHITESPACE) CLASS[c.charCodeAt(0)] = 1;
for (const c of DELIMITERS) CLASS[c.charCodeAt(0)] = 2;
const classOf = (code: number): number => (code < 256 ? CLASS[code]! : 0);
const COMPLEX_OPERATORS = ['==', '===', '!=', '!==', '<=', '>=', '//', '**'];
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

/** Lexes one tag's code from `i` through its end token; returns the index after it. */
function lexCode(text: string, start: number, tokens: JinjaToken[]): number {
  const n = text.length;
  let i = start;
  while (i < n) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      i = lexString(text, i, tokens);
      continue;
    }
    const cls = classOf(text.charCodeAt(i));
    if (cls === 1) {
      i++;
      continue;
    }
    // End tags are checked before delimiters, so `-%}` ends a tag rather than being a minus.
    if (text.startsWith('%}', i) || text.startsWith('-%}', i)) {
      const len = c === '-' ? 3 : 2;
      tokens.push({ type: 'block-end', value: text.slice(i, i + len) });
      return i + len;
    }
    if (text.startsWith('}}', i) || text.startsWith('-}}', i)) {
      const len = c === '-' ? 3 : 2;
      tokens.push({ type: 'var-end', value: text.slice(i, i + len) });
      return i + len;
    }
    if (c === 'r' && text[i + 1] === '/') throw new Unsupported('regex literal');
    if (cls === 2) {
      let op = c;
      const next = text[i + 1];
      if (next === '=' || next === '/' || next === '*') {
        const two = text.slice(i, i + 2);
        if (COMPLEX_OPERATORS.includes(two)) {
          op = two;
          if (COMPLEX_OPERATORS.includes(text.slice(i, i + 3))) op = text.slice(i, i + 3);
        }
      }
      tokens.push({ type: BRACKETS[op] ?? 'operator', value: op });
      i += op.length;
      continue;
    }
    let j = i + 1;
    while (j < n && classOf(text.charCodeAt(j)) === 0) j++;
    const word = text.slice(i, j);
    i = j;
    if (/^[0-9]+$/.test(word)) {
      if (text[i] !== '.') {
        tokens.push({ type: 'int', value: word });
        continue;
      }
      let k = i + 1;
      while (k < n && text[k]! >= '0' && text[k]! <= '9') k++;
      // `1.` or `1.x` lex oddly in nunjucks; only plain decimals are taken.
      if (k === i + 1) throw new Unsupported('float without decimals');
      tokens.push({ type: 'float', value: `${word}.${text.slice(i + 1, k)}` });
      i = k;
    } else if (word === 'true' || word === 'false') {
      tokens.push({ type: 'boolean', value: word });
    } else if (word === 'none' || word === 'null') {
      tokens.push({ type: 'none', value: word });
    } else if (IDENTIFIER.test(word)) {
      tokens.push({ type: 'symbol', value: word });
    } else {
      throw new Unsupported(`symbol ${word}`);
    }
  }
  throw new Unsupported('unterminated tag');
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
