import { UsageError } from '../../core/index.js';

type Token = { kind: 'word'; upper: string } | { kind: 'quoted' | 'string' } | { kind: 'punct'; text: string };

const READ_ONLY_VERBS = new Set(['SELECT', 'SHOW', 'DESC', 'DESCRIBE']);
const ALLOWED = 'SELECT, WITH … SELECT, SHOW or DESCRIBE';

/**
 * Guards `gmp query` on Snowflake, which runs with the pipeline's role: accepts exactly one
 * SELECT, WITH … SELECT, SHOW or DESC[RIBE] statement (comments, strings and quoted names are
 * skipped while reading it) and throws UsageError for anything else — several statements, DML,
 * DDL, CALL, an anonymous procedure (WITH … AS PROCEDURE), or text it cannot read to the end.
 * It classifies the statement, not the functions it calls (see USER_MANUAL.md, Snowflake).
 */
export function assertReadOnlyStatement(sql: string): void {
  const tokens = tokenize(sql);
  while (isPunct(tokens.at(-1), ';')) tokens.pop();
  if (tokens.some((t) => isPunct(t, ';'))) refuse('several statements');
  let at = 0;
  while (isPunct(tokens[at], '(')) at++;
  const first = tokens[at];
  if (first === undefined) refuse('an empty statement');
  if (first.kind !== 'word') refuse('a statement that does not start with a keyword');
  if (READ_ONLY_VERBS.has(first.upper)) return;
  if (first.upper !== 'WITH') refuse(`${first.upper} …`);
  const main = afterCommonTableExpressions(tokens, at + 1);
  if (main?.kind !== 'word' || main.upper !== 'SELECT') refuse('WITH … without a SELECT body');
}

/** The token after `name [(columns)] AS (query) [, …]`, or undefined when the list is malformed. */
function afterCommonTableExpressions(tokens: readonly Token[], from: number): Token | undefined {
  let at = from;
  if (isWord(tokens[at], 'RECURSIVE')) at++;
  for (;;) {
    const name = tokens[at];
    if (name === undefined || (name.kind !== 'word' && name.kind !== 'quoted')) return undefined;
    at++;
    if (isPunct(tokens[at], '(')) at = skipGroup(tokens, at);
    if (!isWord(tokens[at], 'AS')) return undefined;
    at++;
    // Anything but a parenthesised query here (e.g. an anonymous AS PROCEDURE) is refused.
    if (!isPunct(tokens[at], '(')) return undefined;
    at = skipGroup(tokens, at);
    if (!isPunct(tokens[at], ',')) break;
    at++;
  }
  while (isPunct(tokens[at], '(')) at++;
  return tokens[at];
}

/** The index after the parenthesis group opening at `open` (past the end when unbalanced). */
function skipGroup(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (isPunct(tokens[i], '(')) depth++;
    else if (isPunct(tokens[i], ')') && --depth === 0) return i + 1;
  }
  return tokens.length;
}

// Snowflake's lexical shapes: -- and // line comments, block comments, '…' (with \ escapes), $$…$$, "…".
function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const until = (end: string, from: number, what: string): number => {
    const stop = sql.indexOf(end, from);
    if (stop < 0) refuse(`an unterminated ${what}`);
    return stop + end.length;
  };
  while (i < sql.length) {
    const c = sql[i]!;
    const two = sql.slice(i, i + 2);
    if (/\s/.test(c)) i++;
    else if (two === '--' || two === '//') i = sql.includes('\n', i) ? sql.indexOf('\n', i) + 1 : sql.length;
    else if (two === '/*') i = until('*/', i + 2, 'comment');
    else if (two === '$$') {
      i = until('$$', i + 2, '$$ string');
      tokens.push({ kind: 'string' });
    } else if (c === "'") {
      i = endOfString(sql, i);
      tokens.push({ kind: 'string' });
    } else if (c === '"') {
      let j = i + 1;
      for (;;) {
        j = until('"', j, 'quoted name');
        if (sql[j] !== '"') break;
        j++;
      }
      i = j;
      tokens.push({ kind: 'quoted' });
    } else if (/[A-Za-z_]/.test(c)) {
      const word = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(sql.slice(i))![0];
      tokens.push({ kind: 'word', upper: word.toUpperCase() });
      i += word.length;
    } else {
      tokens.push({ kind: 'punct', text: c });
      i++;
    }
  }
  return tokens;
}

function endOfString(sql: string, open: number): number {
  for (let i = open + 1; i < sql.length; i++) {
    if (sql[i] === '\\') i++;
    else if (sql[i] === "'") {
      if (sql[i + 1] !== "'") return i + 1;
      i++;
    }
  }
  return refuse('an unterminated string');
}

function isPunct(token: Token | undefined, text: string): boolean {
  return token?.kind === 'punct' && token.text === text;
}

function isWord(token: Token | undefined, upper: string): boolean {
  return token?.kind === 'word' && token.upper === upper;
}

function refuse(what: string): never {
  throw new UsageError(`gmp query on Snowflake runs one read-only statement (${ALLOWED}), not ${what}`, {
    hint: "run other statements in a Snowflake worksheet, with a role meant for them (gmp query uses the pipeline's role)",
  });
}
