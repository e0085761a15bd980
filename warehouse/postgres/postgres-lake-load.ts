import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createRequire } from 'node:module';
import type { from as CopyFrom } from 'pg-copy-streams';
import { CanceledError } from '../../core/index.js';
import type { LakeFileRef, LakeRecord, LakeRecordReader, LoadedEntity, LoadReport } from '../warehouse.js';
import { quoteIdent, quoteLiteral, quoteRelation, splitRelation } from './postgres-identifiers.js';
import { postgresDialect } from './postgres-dialect.js';
import type { PostgresSession } from './postgres-driver.js';

/** Which lake files each raw table holds (its rows carry the file's id). */
export const LOADED_FILES = 'raw._gmp_loaded_files';

/** DDL of the bookkeeping table; its DDL and every raw table's is serialized by one advisory lock. */
export function loadedFilesDdl(): string[] {
  const [schema] = splitRelation(LOADED_FILES);
  return [
    postgresDialect.createSchema(schema),
    `CREATE TABLE IF NOT EXISTS ${LOADED_FILES} (
  relation text NOT NULL,
  key text NOT NULL,
  dt text NOT NULL,
  run_id text NOT NULL,
  file_id bigint GENERATED ALWAYS AS IDENTITY,
  records bigint NOT NULL,
  loaded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (relation, key)
)`,
  ];
}

/**
 * A raw table: `dt` (a date, or the hour key as text for hourly entities), `run_id`, promoted
 * columns generated from the record, the record as `value` jsonb, and the id of its lake file.
 */
export function rawTableDdl(entity: LoadedEntity): string[] {
  const rel = quoteRelation(entity.relation);
  const [, name] = splitRelation(entity.relation);
  const promoted = (entity.layout?.columns ?? []).map((c) => `  ${quoteIdent(c)} text GENERATED ALWAYS AS (value ->> ${quoteLiteral(c)}) STORED,\n`).join('');
  return [
    `CREATE TABLE IF NOT EXISTS ${rel} (
  dt ${entity.layout?.hourly ? 'text' : 'date'} NOT NULL,
  run_id text NOT NULL,
${promoted}  value jsonb NOT NULL,
  _gmp_file bigint NOT NULL
)`,
    `CREATE INDEX IF NOT EXISTS ${quoteIdent(`${name}__gmp_file`.slice(0, 63))} ON ${rel} (_gmp_file)`,
  ];
}

/**
 * Makes `entity.relation` hold the records of exactly `files`, in the session's open transaction:
 * the rows of files no longer committed (a superseded run, hours a compaction absorbed) are
 * deleted and new files are streamed in with COPY, so readers see the old set or the new one.
 * Files already loaded are not read again.
 */
export async function loadFiles(session: PostgresSession, entity: LoadedEntity, files: readonly LakeFileRef[], read: LakeRecordReader, signal?: AbortSignal): Promise<LoadReport> {
  const loaded = new Map(
    (await session.query(`SELECT key, file_id FROM ${LOADED_FILES} WHERE relation = ?`, [entity.relation])).rows.map((r: { key: string; file_id: number | string }) => [r.key, String(r.file_id)]),
  );
  const wanted = new Set(files.map((f) => f.key));
  const removed = [...loaded].filter(([key]) => !wanted.has(key));
  const rel = quoteRelation(entity.relation);
  if (removed.length > 0) {
    await session.query(`DELETE FROM ${rel} WHERE _gmp_file = ANY(CAST(? AS bigint[]))`, [toArrayLiteral(removed.map(([, id]) => id))]);
    await session.query(`DELETE FROM ${LOADED_FILES} WHERE relation = ? AND key = ANY(CAST(? AS text[]))`, [entity.relation, toArrayLiteral(removed.map(([key]) => key))]);
  }
  let rowsAdded = 0;
  const added = files.filter((f) => !loaded.has(f.key));
  for (const file of added) {
    const [row] = (await session.query(`INSERT INTO ${LOADED_FILES} (relation, key, dt, run_id, records) VALUES (?, ?, ?, ?, 0) RETURNING file_id`, [entity.relation, file.key, file.dt, file.runId])).rows as { file_id: number | string }[];
    const fileId = String(row!.file_id);
    let count = 0;
    const lines = Readable.from(csvLines(read(file, signal), fileId, () => count++));
    // Loaded only here, as pg itself (postgres-driver.ts): rendering SQL never needs it.
    const copyFrom = (createRequire(import.meta.url)('pg-copy-streams') as { from: typeof CopyFrom }).from;
    const copy = session.client.query(copyFrom(`COPY ${rel} (dt, run_id, value, _gmp_file) FROM STDIN WITH (FORMAT csv)`));
    try {
      await pipeline(lines, copy, ...(signal ? [{ signal }] : []));
    } catch (cause) {
      // An abort is the caller's, not a damaged file: it must read as a cancel (nothing was changed).
      if (signal?.aborted) throw new CanceledError(`loading ${file.key} into ${entity.relation} canceled`, { cause });
      throw Object.assign(cause instanceof Error ? cause : new Error(String(cause)), { lakeFile: file.key });
    }
    await session.query(`UPDATE ${LOADED_FILES} SET records = ? WHERE relation = ? AND key = ?`, [count, entity.relation, file.key]);
    rowsAdded += count;
  }
  return { filesAdded: added.length, filesRemoved: removed.length, rowsAdded };
}

/** One CSV line per record: dt, run_id, the JSON (quoted, quotes doubled), the file id. */
async function* csvLines(records: AsyncIterable<LakeRecord>, fileId: string, counted: () => void): AsyncGenerator<string> {
  let batch = '';
  for await (const r of records) {
    counted();
    batch += `${r.dt},${csvField(r.runId)},${csvField(jsonbSafe(r.json))},${fileId}\n`;
    if (batch.length >= 1 << 16) {
      yield batch;
      batch = '';
    }
  }
  if (batch.length > 0) yield batch;
}

function csvField(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}

// jsonb refuses the escape \u0000 (a NUL inside a string): it becomes U+FFFD, as Postgres itself cannot hold it.
const NUL_ESCAPE = /(?<!\\)((?:\\\\)*)\\u0000/g;
function jsonbSafe(json: string): string {
  return json.includes('\\u0000') ? json.replace(NUL_ESCAPE, '$1\\ufffd') : json;
}

/** `{"a","b"}` for a text[]/bigint[] parameter. */
function toArrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}
