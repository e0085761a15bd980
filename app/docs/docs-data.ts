import type { LineageEdge } from '../../transform/index.js';
import type { AssetSummary } from '../list-assets.js';

/** A column of a model: its yml description and the upstream columns it derives from. */
export interface DocsColumn {
  name: string;
  description: string;
  /** Upstream column ids (`raw.rawg_games.value→metacritic`), or `relation.*` where unresolved. */
  sources: string[];
  /** Where the chain of `sources` ends upstream: raw fields (`raw.rawg_games.value→genres[*].id`). */
  origins: string[];
  resolved: boolean;
  reason?: string;
}

/** A data test of a model (yml generic or singular SQL). */
export interface DocsTest {
  name: string;
  kind: string;
  column?: string;
  severity: 'error' | 'warn';
  description: string;
  where: string;
}

/** A model as documented: configuration, compiled SQL, columns with lineage, tests. */
export interface DocsModel {
  name: string;
  /** The asset key (`marts/dim_games`). */
  key: string;
  relation: string;
  schema: string;
  file: string;
  materialized: string;
  partitionBy?: string;
  uniqueKey?: string[];
  tags: string[];
  refs: string[];
  sources: string[];
  description: string;
  /** The compiled SELECT for the whole model (null when it could not be compiled, see compileError). */
  compiledSql: string | null;
  compileError?: string;
  columnLineage: { resolved: boolean; reason?: string };
  columns: DocsColumn[];
  tests: DocsTest[];
}

/** A raw source table (`rawg/games` read as `raw.rawg_games`). */
export interface DocsSource {
  key: string;
  relation: string;
  description: string;
  freshness?: { warnAfterHours?: number; errorAfterHours?: number; loadedAtField?: string };
  where?: string;
}

/** An asset check node of the graph. */
export interface DocsCheck {
  key: string;
  asset: string;
  description: string;
  severity: string;
  blocking: boolean;
  partitions: string;
}

/** Everything `gmp docs` writes, as `docs.json` and rendered into `index.html`. */
export interface DocsData {
  generatedAt: string;
  /** Every asset but the checks, in graph order. */
  assets: Omit<AssetSummary, 'tags'>[];
  models: DocsModel[];
  sources: DocsSource[];
  checks: DocsCheck[];
  /** The asset graph without checks: nodes are asset keys, edges upstream → downstream. */
  lineage: { nodes: string[]; edges: LineageEdge[] };
}
