import { loadConfig, silentLogger, type Config, type Logger } from '../core/index.js';
import { entityPrefix } from '../lake/index.js';
import {
  createSharedWarehouse,
  lakeAccessFrom,
  lakeAccessQuery,
  warehouseSetupGuide,
  warehouseSetupStatements,
  type LakeAccess,
  type SetupStatement,
  type SharedWarehouse,
} from '../warehouse/index.js';
import { RAW_ENTITIES } from '../orchestration/index.js';

/** What `gmp warehouse setup` would do, computed from the configuration alone (no connection). */
export interface WarehouseSetupPlan {
  config: Config;
  /** `duckdb:///path` or `snowflake://account/database`, never a credential. */
  target: string;
  /** Statements to run before `statements` when pasted into a worksheet (USE DATABASE); the driver's session has them already. */
  preamble: string[];
  statements: SetupStatement[];
  notes: string[];
}

/**
 * Plans the setup of the configured warehouse. `requireCredentials: false` lets a Snowflake plan
 * load without a login (printing the SQL needs none). Throws ConfigError for a configuration that
 * cannot work (Snowflake over a local lake, missing credentials when required).
 */
export function planWarehouseSetup(options: { env: NodeJS.ProcessEnv; cwd: string; requireCredentials?: boolean }): WarehouseSetupPlan {
  const config = loadConfig(options.env, options.cwd, { requireWarehouseCredentials: options.requireCredentials ?? true });
  const lake = config.lake;
  const url = lake.type === 's3' ? `s3://${lake.bucket}/${lake.prefix === '' ? '' : `${lake.prefix}/`}` : undefined;
  // Hourly event partitions are read by DuckDB only for now: Snowflake's external tables are daily.
  const entities = RAW_ENTITIES.filter((e) => !e.layout?.hourly).map(({ relation, source, entity }) => ({ relation, entityPath: entityPrefix(source, entity) }));
  const statements = warehouseSetupStatements(config.warehouse, { ...(url !== undefined ? { url } : {}), entities });
  return { config, ...warehouseSetupGuide(config.warehouse), statements };
}

export interface SetupOutcome {
  executed: number;
  /** For a storage integration gmp created: what the IAM role's trust policy must allow. */
  lakeAccess?: LakeAccess;
}

/**
 * Runs the plan's statements in order on the configured warehouse (each idempotent, so a failed
 * setup is simply run again). Throws the warehouse's error for the first statement that fails.
 */
export async function runWarehouseSetup(
  plan: WarehouseSetupPlan,
  options: { signal?: AbortSignal; logger?: Logger; onStatement?: (statement: SetupStatement) => void; warehouse?: SharedWarehouse } = {},
): Promise<SetupOutcome> {
  const warehouse = options.warehouse ?? createSharedWarehouse(plan.config.warehouse, { logger: options.logger ?? silentLogger });
  try {
    let executed = 0;
    for (const statement of plan.statements) {
      await warehouse.execute([statement.sql], { ...(options.signal ? { signal: options.signal } : {}), tag: { asset: 'warehouse/setup' } });
      executed++;
      options.onStatement?.(statement);
    }
    const describeSql = lakeAccessQuery(plan.config.warehouse);
    const lakeAccess = describeSql === undefined ? undefined : lakeAccessFrom(await warehouse.query(describeSql));
    return { executed, ...(lakeAccess ? { lakeAccess } : {}) };
  } finally {
    await warehouse.close();
  }
}
