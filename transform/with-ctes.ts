/**
 * `sql` with `ctes` (`name AS (…)`) in front: joined into the model's own WITH clause when it has
 * one (a second WITH would be a syntax error), else as a new WITH.
 */
export function withCtes(ctes: readonly string[], sql: string): string {
  if (ctes.length === 0) return sql;
  // Leading comments (the model's description) stay on top.
  const lead = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/.exec(sql)?.[0] ?? '';
  const body = sql.slice(lead.length);
  const own = /^with\s+(recursive\s+)?/i.exec(body);
  if (!own) return `${lead}WITH ${ctes.join(',\n')}\n${body}`;
  return `${lead}WITH ${own[1] ? 'RECURSIVE ' : ''}${ctes.join(',\n')},\n${body.slice(own[0].length)}`;
}
