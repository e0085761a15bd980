import { TemplateUnsupported } from './template-unsupported.js';

/** Token kinds: template text, tag delimiters, and the code inside tags. */
export const enum T {
  Text,
  VarOpen,
  VarClose,
  BlockOpen,
  BlockClose,
  Name,
  Str,
  Num,
  Op,
  End,
}

/**
 * Tokens as parallel lists (no object per token): kind, value (text, name, operator, string or
 * number) and source offset of the first `n`.
 */
export interface Tokens {
  kinds: T[];
  values: (string | number)[];
  ats: number[];
  n: number;
}

// One set of lists serves every template: a template is parsed in full before the next is lexed.
const shared: Tokens = { kinds: [], values: [], ats: [], n: 0 };

const WS_END = /\s+$/;
const NAME = /[A-Za-z0-9_]*/y;
// Digits with an optional fraction, not followed by what would make it another token in nunjucks (`1e3`, `1.`, `1_0`).
const NUMBER = /[0-9]+(?:\.[0-9]+)?(?![A-Za-z0-9_.])/y;
const WS_START = /^\s+/;
const RAW_END = /\{%[ \t\r\n]*endraw[ \t\r\n]*%\}/g;

function unsupported(what: string, at: number): never {
  throw new TemplateUnsupported(`${what} (offset ${at})`);
}

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Cuts a template into tokens, applying whitespace control (`{%-`, `-%}`, `{{-`, `-}}`, `{#-`,
 * `-#}` strip the whitespace of the text right beside them) and keeping `{% raw %}` blocks as text.
 * Code inside tags is cut as nunjucks cuts it: `}}` and `%}` end a tag wherever they appear outside
 * a string. Anything this engine does not cut the same way throws TemplateUnsupported.
 */
export function lexTemplate(src: string): Tokens {
  const tokens = shared;
  tokens.n = 0;
  const { kinds, values } = tokens;
  const n = src.length;
  let pos = 0;
  let stripNext = false;
  // A raw block's text must not meet whitespace control (how nunjucks trims it is not pinned down).
  let rawJustEnded = false;
  const stripPrevious = (at: number): void => {
    if (rawJustEnded) unsupported('whitespace control beside a raw block', at);
    const last = tokens.n - 1;
    if (last >= 0 && kinds[last] === T.Text) values[last] = (values[last] as string).replace(WS_END, '');
  };
  while (pos < n) {
    let open = src.indexOf('{', pos);
    while (open !== -1) {
      const c = src.charCodeAt(open + 1);
      if (c === 123 || c === 37 || c === 35) break; // { % #
      open = src.indexOf('{', open + 1);
    }
    const end = open === -1 ? n : open;
    // A `-}}` with no text after it strips nothing; before a raw block it is left to nunjucks.
    const strippingNothing = stripNext && end === pos;
    if (end > pos) {
      let text = src.slice(pos, end);
      if (text.includes('#}')) unsupported('"#}" outside a comment', pos);
      if (stripNext) text = text.replace(WS_START, '');
      push(tokens, T.Text, text, pos);
      rawJustEnded = false;
    }
    stripNext = false;
    if (open === -1) break;
    const kind = src.charCodeAt(open + 1);
    if (kind === 35) {
      const close = src.indexOf('#}', open + 2);
      if (close === -1) unsupported('unclosed comment', open);
      const body = src.slice(open + 2, close);
      if (body === '-') unsupported('ambiguous comment', open);
      if (body.startsWith('-')) stripPrevious(open);
      stripNext = body.endsWith('-');
      rawJustEnded = false;
      pos = close + 2;
      continue;
    }
    let i = open + 2;
    if (src.charCodeAt(i) === 45) {
      stripPrevious(open);
      i++;
    }
    rawJustEnded = false;
    const block = kind === 37;
    const first = tokens.n;
    push(tokens, block ? T.BlockOpen : T.VarOpen, '', open);
    const lexed = lexCode(src, i, tokens);
    pos = lexed.pos;
    stripNext = lexed.strip;
    const head = block && kinds[first + 1] === T.Name ? values[first + 1] : undefined;
    // nunjucks ignores `-%}` on the tag opening a block set (`{% set x -%}`): the body keeps its whitespace.
    if (head === 'set' && !hasOp(tokens, first + 2, '=')) stripNext = false;
    if (head === 'raw') {
      if (tokens.n !== first + 3 || open + 2 !== i || lexed.strip) unsupported('raw tag with more than its name', open);
      tokens.n = first;
      RAW_END.lastIndex = pos;
      const m = RAW_END.exec(src);
      if (m === null) unsupported('unclosed raw block', open);
      const text = src.slice(pos, m.index);
      if (/\{%-?[ \t\r\n]*(?:raw|endraw)\b/.test(text)) unsupported('nested or trimmed raw block', pos);
      if (strippingNothing) unsupported('whitespace control beside a raw block', pos);
      push(tokens, T.Text, text, pos);
      pos = m.index + m[0].length;
      rawJustEnded = true;
    }
  }
  push(tokens, T.End, '', n);
  return tokens;
}

function push(tokens: Tokens, kind: T, value: string | number, at: number): void {
  const i = tokens.n++;
  tokens.kinds[i] = kind;
  tokens.values[i] = value;
  tokens.ats[i] = at;
}

function hasOp(tokens: Tokens, from: number, op: string): boolean {
  for (let k = from; k < tokens.n; k++) if (tokens.kinds[k] === T.Op && tokens.values[k] === op) return true;
  return false;
}

/** Lexes the code of one tag from `i` through its closing delimiter. */
function lexCode(src: string, start: number, tokens: Tokens): { pos: number; strip: boolean } {
  const n = src.length;
  let i = start;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      i++;
      continue;
    }
    const d = src.charCodeAt(i + 1);
    if (c === 45 && (d === 125 || d === 37) && src.charCodeAt(i + 2) === 125) {
      push(tokens, d === 125 ? T.VarClose : T.BlockClose, '', i);
      return { pos: i + 3, strip: true };
    }
    if ((c === 125 || c === 37) && d === 125) {
      push(tokens, c === 125 ? T.VarClose : T.BlockClose, '', i);
      return { pos: i + 2, strip: false };
    }
    if (c === 39 || c === 34) {
      i = lexString(src, i, tokens);
      continue;
    }
    // Names and numbers are cut by sticky regular expressions: native code even before the JIT warms up.
    if (isNameStart(c)) {
      NAME.lastIndex = i + 1;
      NAME.test(src);
      const j = NAME.lastIndex;
      push(tokens, T.Name, src.slice(i, j), i);
      i = j;
      continue;
    }
    if (isDigit(c)) {
      NUMBER.lastIndex = i;
      if (!NUMBER.test(src)) unsupported('number form', i);
      const j = NUMBER.lastIndex;
      push(tokens, T.Num, Number(src.slice(i, j)), i);
      i = j;
      continue;
    }
    const op = operatorAt(src, i, c, d);
    if (op === undefined) unsupported(`character ${JSON.stringify(src[i])} in a tag`, i);
    push(tokens, T.Op, op, i);
    i += op.length;
  }
  return unsupported('unclosed tag', start);
}

/** The operator at `i` (its first two char codes `c`, `d`), longest first; undefined for none. */
function operatorAt(src: string, i: number, c: number, d: number): string | undefined {
  switch (c) {
    case 61: // =
      return d === 61 ? (src.charCodeAt(i + 2) === 61 ? '===' : '==') : '=';
    case 33: // !
      return d === 61 ? (src.charCodeAt(i + 2) === 61 ? '!==' : '!=') : undefined;
    case 60: // <
      return d === 61 ? '<=' : '<';
    case 62: // >
      return d === 61 ? '>=' : '>';
    case 47: // /
      return d === 47 ? '//' : '/';
    case 42: // *
      return d === 42 ? '**' : '*';
    default:
      return SINGLE[c];
  }
}

const SINGLE: Record<number, string> = Object.fromEntries([...'+-%~()[]{},.:|'].map((ch) => [ch.charCodeAt(0), ch]));

/** Lexes the string literal opening at `i` (escapes as nunjucks reads them); returns the offset after it. */
function lexString(src: string, i: number, tokens: Tokens): number {
  const quote = src.charCodeAt(i);
  let value = '';
  let from = i + 1;
  let j = from;
  for (;;) {
    if (j >= src.length) unsupported('unterminated string', i);
    const d = src.charCodeAt(j);
    if (d === quote) break;
    if (d === 92) {
      if (j + 1 >= src.length) unsupported('unterminated string', i);
      const e = src[j + 1] as string;
      value += src.slice(from, j) + (e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e);
      j += 2;
      from = j;
      continue;
    }
    j++;
  }
  push(tokens, T.Str, value + src.slice(from, j), i);
  return j + 1;
}
