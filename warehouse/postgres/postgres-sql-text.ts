export { quoteIdent, quoteLiteral, quoteRelation } from './postgres-identifiers.js';

/** A relation's schema and name, unquoted (`marts.dim_games` → ['marts', 'dim_games']; no schema → public). */
export function splitRelation(relation: string): [string, string] {
  const at = relation.indexOf('.');
  if (at < 0) return ['public', relation];
  return [relation.slice(0, at), relation.slice(at + 1)];
}
