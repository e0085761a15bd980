/** The generic tests a yml file can name (dbt's four plus dbt_utils' `accepted_range`). */
export const GENERIC_TESTS = ['unique', 'not_null', 'accepted_values', 'relationships', 'accepted_range'] as const;

export type GenericTestKind = (typeof GENERIC_TESTS)[number];

/** A data test of one model: a query for the rows that violate it, run as an asset check. */
export interface DataTest {
  /** Unique per model: `unique_game_id`, `accepted_range_rating`, or a singular test's file name. */
  name: string;
  model: string;
  kind: GenericTestKind | 'singular';
  /** The tested column (or expression); undefined for singular tests. */
  column: string | undefined;
  severity: 'error' | 'warn';
  description: string;
  /** Where it was declared, for messages: `marts/dim_games.yml:12` or `tests/x.sql`. */
  where: string;
  /** The generic test's arguments as validated (`values`, `to`/`field`, `min_value`/`max_value`/`inclusive`, `quote`). */
  args: Readonly<Record<string, unknown>>;
  /** Other models the test reads (a relationships parent, a singular test's other refs). */
  reads: string[];
}

/** A column as documented in a yml file. */
export interface ColumnDoc {
  name: string;
  description: string;
}

/** A model as documented in a yml file. */
export interface ModelDoc {
  name: string;
  description: string | undefined;
  columns: ColumnDoc[];
  /** `file:line` of the entry. */
  where: string;
}

/** A raw table declared under `sources:` (with dbt's freshness thresholds when given). */
export interface SourceTableDoc {
  source: string;
  table: string;
  /** The warehouse relation it names: `schema.identifier` (dbt's `schema:` and `identifier:`), by default `raw.<source>_<table>`. */
  relation: string;
  description: string;
  freshness: { warnAfterHours?: number; errorAfterHours?: number; loadedAtField?: string } | undefined;
  where: string;
}
