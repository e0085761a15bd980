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

export interface Token {
  t: T;
  /** Text, name, operator or string value; the number's value for Num. */
  v: string | number;
  /** Offset in the source (for messages). */
  at: number;
}

const WS_END = /\s+$/;
const WS_START = /^\s+/;
const RAW_END = /\{%[ \t\r\n]*endraw[ \t\r\n]*%\}/g;
const THREE = new Set(['===', '!==']);
const TWO = new Set(['==', '!=', '<=', '>=', '//', '**']);
const ONE = new Set(['+', '-', '*', '/', '%', '~', '(', ')', '[', ']', '{', '}', ',', '.', ':', '|', '=', '<', '>']);

function unsupported(what: string, at: number): never {
  throw new TemplateUnsupported(`${what} (offset ${at})`);
}

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isNamePart(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57);
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
export function lexTemplate(src: string): Token[] {
  const tokens: Token[] = [];
  const n = src.length;
  let pos = 0;
  let stripNext = false;
  // A raw block's text must not meet whitespace control (how nunjucks trims it is not pinned down).
  let rawJustEnded = false;
  const stripPrevious = (at: number): void => {
    if (rawJustEnded) unsupported('whitespace control beside a raw block', at);
    const last = tokens[tokens.length - 1];
    if (last !== undefined && last.t === T.Text) last.v = (last.v as string).replace(WS_END, '');
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
      tokens.push({ t: T.Text, v: text, at: pos });
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
    const first = tokens.length;
    tokens.push({ t: block ? T.BlockOpen : T.VarOpen, v: '', at: open });
    const lexed = lexCode(src, i, tokens);
    pos = lexed.pos;
    stripNext = lexed.strip;
    const head = tokens[first + 1];
    // nunjucks ignores `-%}` on the tag opening a block set (`{% set x -%}`): the body keeps its whitespace.
    if (block && head?.t === T.Name && head.v === 'set' && !tokens.slice(first + 2).some((t) => t.t === T.Op && t.v === '=')) stripNext = false;
    if (block && head?.t === T.Name && head.v === 'raw') {
      if (tokens.length !== first + 3 || (tokens[first] as Token).at + 2 !== i || lexed.strip) unsupported('raw tag with more than its name', open);
      tokens.length = first;
      RAW_END.lastIndex = pos;
      const m = RAW_END.exec(src);
      if (m === null) unsupported('unclosed raw block', open);
      const text = src.slice(pos, m.index);
      if (/\{%-?[ \t\r\n]*(?:raw|endraw)\b/.test(text)) unsupported('nested or trimmed raw block', pos);
      if (strippingNothing) unsupported('whitespace control beside a raw block', pos);
      tokens.push({ t: T.Text, v: text, at: pos });
      pos = m.index + m[0].length;
      rawJustEnded = true;
    }
  }
  tokens.push({ t: T.End, v: '', at: n });
  return tokens;
}

/** Lexes the code of one tag from `i` through its closing delimiter. */
function lexCode(src: string, start: number, tokens: Token[]): { pos: number; strip: boolean } {
  const n = src.length;
  let i = start;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      i++;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (c === 45 && (src.startsWith('}}', i + 1) || src.startsWith('%}', i + 1))) {
      tokens.push({ t: src.charCodeAt(i + 1) === 125 ? T.VarClose : T.BlockClose, v: '', at: i });
      return { pos: i + 3, strip: true };
    }
    if (two === '}}' || two === '%}') {
      tokens.push({ t: two === '}}' ? T.VarClose : T.BlockClose, v: '', at: i });
      return { pos: i + 2, strip: false };
    }
    if (c === 39 || c === 34) {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= n) unsupported('unterminated string', i);
        const d = src.charCodeAt(j);
        if (d === c) break;
        if (d === 92) {
          if (j + 1 >= n) unsupported('unterminated string', i);
          const e = src[j + 1] as string;
          value += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e;
          j += 2;
          continue;
        }
        value += src[j];
        j++;
      }
      tokens.push({ t: T.Str, v: value, at: i });
      i = j + 1;
      continue;
    }
    if (isDigit(c)) {
      let j = i;
      while (j < n && isDigit(src.charCodeAt(j))) j++;
      if (src.charCodeAt(j) === 46 && isDigit(src.charCodeAt(j + 1))) {
        j++;
        while (j < n && isDigit(src.charCodeAt(j))) j++;
      }
      const next = src.charCodeAt(j);
      if (isNamePart(next) || next === 46) unsupported('number form', i);
      tokens.push({ t: T.Num, v: Number(src.slice(i, j)), at: i });
      i = j;
      continue;
    }
    if (isNameStart(c)) {
      let j = i + 1;
      while (j < n && isNamePart(src.charCodeAt(j))) j++;
      tokens.push({ t: T.Name, v: src.slice(i, j), at: i });
      i = j;
      continue;
    }
    const three = src.slice(i, i + 3);
    if (THREE.has(three)) {
      tokens.push({ t: T.Op, v: three, at: i });
      i += 3;
    } else if (TWO.has(two)) {
      tokens.push({ t: T.Op, v: two, at: i });
      i += 2;
    } else if (ONE.has(src[i] as string)) {
      tokens.push({ t: T.Op, v: src[i] as string, at: i });
      i += 1;
    } else {
      unsupported(`character ${JSON.stringify(src[i])} in a tag`, i);
    }
  }
  return unsupported('unclosed tag', start);
}
