import { statSync } from 'node:fs';
import { GmpError, WarehouseError } from '../../core/index.js';
import type { PublicationRecord, PublishedFile, Warehouse } from '../warehouse.js';
import { createDuckDbWarehouse, UNTRUSTED_SQL_SETTINGS } from './duckdb-driver.js';
import { PUBLICATION_RECORD_QUERY, UNPUBLISHED_SCHEMAS } from './publication-sql.js';

// DuckDB's binder on a relation whose schema the file lacks:
//   Catalog Error: Table with name "staging.stg_events" does not exist because schema "staging" does not exist.
const MISSING_SCHEMA = /Table with name "?([^".\s]+)\.([^"\s]+?)"? does not exist because schema "?([^"\s]+?)"? does not exist/;

export interface OpenPublicationOptions {
  /** For SQL typed by people: UNTRUSTED_SQL_SETTINGS (no file or network access, configuration locked). */
  untrusted?: boolean;
}

/**
 * Opens the readers' publication at `file` read-only, with its record (undefined for a snapshot an
 * older gmp published, a whole copy of the warehouse). A statement naming a relation of `raw` or
 * `staging`, which are not published, fails with WarehouseError WAREHOUSE_BUSY (retryable, its
 * `context.unpublished` the relation) saying so. Throws WarehouseError when the file cannot be opened.
 */
export async function openPublication(file: string, options: OpenPublicationOptions = {}): Promise<{ warehouse: Warehouse; record: PublicationRecord | undefined }> {
  const warehouse = await createDuckDbWarehouse({ path: file, readOnly: true, ...(options.untrusted ? { settings: { ...UNTRUSTED_SQL_SETTINGS } } : {}) });
  const record = await readRecord(warehouse);
  return { warehouse: explainUnpublished(warehouse), record };
}

/**
 * The publication at `file` as it stands (record, size), or undefined when there is none. A snapshot
 * an older gmp published has no record: its run is unknown, its time the file's, its relations listed.
 */
export async function readPublishedFile(file: string): Promise<PublishedFile | undefined> {
  let info;
  try {
    info = statSync(file);
  } catch {
    return undefined;
  }
  const { warehouse, record } = await openPublication(file);
  try {
    const found = record ?? {
      runId: null,
      publishedAt: info.mtime.toISOString(),
      relations: (await warehouse.listRelations()).map((r) => `${r.schema}.${r.name}`),
    };
    return { ...found, path: file, bytes: info.size };
  } finally {
    await warehouse.close();
  }
}

/** True for the error a publication gives for a relation it does not hold (see openPublication). */
export function isUnpublishedRelationError(error: unknown): boolean {
  return error instanceof GmpError && error.code === 'WAREHOUSE_BUSY' && typeof error.context.unpublished === 'string';
}

async function readRecord(w: Warehouse): Promise<PublicationRecord | undefined> {
  const [row] = await w.query(PUBLICATION_RECORD_QUERY).catch(() => []);
  if (row === undefined) return undefined;
  return {
    runId: row.run_id === null ? null : String(row.run_id),
    publishedAt: String(row.published_at),
    relations: Array.isArray(row.relations) ? row.relations.map(String) : [],
  };
}

function explainUnpublished(w: Warehouse): Warehouse {
  const explained = <A extends unknown[], T>(call: (...args: A) => Promise<T>) => (...args: A): Promise<T> =>
    call(...args).catch((error: unknown) => {
      throw unpublishedError(error) ?? error;
    });
  return {
    dialect: w.dialect,
    capabilities: w.capabilities,
    execute: explained(w.execute.bind(w)),
    query: explained(w.query.bind(w)),
    ...(w.queryTable ? { queryTable: explained(w.queryTable.bind(w)) } : {}),
    ...(w.eachChunk ? { eachChunk: explained(w.eachChunk.bind(w)) } : {}),
    ...(w.statementTypes ? { statementTypes: explained(w.statementTypes.bind(w)) } : {}),
    listRelations: () => w.listRelations(),
    close: () => w.close(),
  };
}

function unpublishedError(error: unknown): WarehouseError | undefined {
  if (!(error instanceof WarehouseError)) return undefined;
  const match = MISSING_SCHEMA.exec(error.message);
  if (!match || !(UNPUBLISHED_SCHEMAS as readonly string[]).includes(match[1]!)) return undefined;
  const relation = `${match[1]}.${match[2]}`;
  return new WarehouseError(`${relation} is not published for readers while a run holds the warehouse; query marts.*, or retry when the run ends`, {
    code: 'WAREHOUSE_BUSY',
    retryable: true,
    cause: error,
    context: { unpublished: relation, ...(error.context.sql !== undefined ? { sql: error.context.sql } : {}) },
    hint: `readers get the marts and checks schemas while a run writes; ${match[1]}.* is the pipeline's own and readable once no run holds the warehouse`,
  });
}
