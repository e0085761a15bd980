import { DuckDBInstance } from '@duckdb/node-api';
import { LocalObjectStore } from '../lake/index.js';
import { RAW_ENTITIES } from '../orchestration/index.js';
import { createLakeRecordReader } from '../orchestration/definitions/lake-record-reader.js';
import { createPostgresWarehouse, duckDbDialect, type LakeRecordReader } from '../warehouse/index.js';
import { committedEntityFiles } from './synthetic-lake.js';
import { progress } from './progress.js';

/** One raw table's load: rows, input sizes and time. */
export interface EntityLoad {
  relation: string;
  files: number;
  rows: number;
  /** The committed files (gzip JSON lines) as they sit in the lake. */
  lakeBytes: number;
  /** The records' JSON text, uncompressed. */
  jsonBytes: number;
  ms: number;
}

export interface RawLoadFigures {
  entities: EntityLoad[];
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  lakeMegabytesPerSecond: number;
  jsonMegabytesPerSecond: number;
}

/**
 * Loads every raw entity of the lake into the Postgres database at `url` by gmp's own path: the
 * warehouse's loadCommittedFiles (COPY into jsonb, one transaction per table) fed by the lake
 * record reader the pipeline uses, over the files gmp would list. Throws what the load throws.
 */
export async function loadRawIntoPostgres(url: string, lakeDir: string, scratchDir: string): Promise<RawLoadFigures> {
  const warehouse = createPostgresWarehouse({ url });
  const reader = createLakeRecordReader(new LocalObjectStore(lakeDir), scratchDir);
  const entities: EntityLoad[] = [];
  try {
    for (const entity of RAW_ENTITIES) {
      const files = await committedEntityFiles(lakeDir, entity);
      const counted = countingReader(reader);
      const t0 = performance.now();
      const report = await warehouse.loadCommittedFiles!({ relation: entity.relation, ...(entity.layout ? { layout: entity.layout } : {}) }, files.refs, counted.read);
      const ms = performance.now() - t0;
      entities.push({ relation: entity.relation, files: report.filesAdded, rows: report.rowsAdded, lakeBytes: files.bytes, jsonBytes: counted.bytes(), ms: round1(ms) });
      progress(`postgres-warehouse: COPY ${entity.relation}: ${report.rowsAdded.toLocaleString('en')} rows in ${(ms / 1000).toFixed(1)} s`);
    }
  } finally {
    await warehouse.close();
  }
  return summarize(entities);
}

export interface DuckDbRawFigures {
  note: string;
  entities: { relation: string; rows: number; viewMs: number; scanMs: number }[];
  rows: number;
  seconds: number;
  rowsPerSecond: number;
}

/**
 * What stands for a load on DuckDB, which reads the lake files in place: gmp's raw view over the
 * committed files, then one scan of every record's text through it, in a fresh database `file`.
 */
export async function scanRawInDuckDb(file: string, lakeDir: string): Promise<DuckDbRawFigures> {
  const instance = await DuckDBInstance.create(file);
  const connection = await instance.connect();
  const entities: DuckDbRawFigures['entities'] = [];
  try {
    await connection.run(duckDbDialect.createSchema('raw'));
    for (const entity of RAW_ENTITIES) {
      const files = await committedEntityFiles(lakeDir, entity);
      const t0 = performance.now();
      await connection.run(duckDbDialect.rawTableView(entity.relation, files.paths, entity.layout));
      const t1 = performance.now();
      const reader = await connection.runAndReadAll(`SELECT count(*) AS n, sum(length(CAST(value AS VARCHAR))) AS chars FROM ${entity.relation}`);
      const t2 = performance.now();
      entities.push({ relation: entity.relation, rows: Number(reader.getRowObjects()[0]!.n), viewMs: round1(t1 - t0), scanMs: round1(t2 - t1) });
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  const ms = entities.reduce((n, e) => n + e.viewMs + e.scanMs, 0);
  const rows = entities.reduce((n, e) => n + e.rows, 0);
  return {
    note: 'not a load: DuckDB reads the lake files in place; raw view creation + one full scan (count(*) and the length of every record) per raw view',
    entities,
    rows,
    seconds: round1(ms / 1000),
    rowsPerSecond: Math.round(rows / (ms / 1000)),
  };
}

/** The reader, counting the JSON text it hands out (the load's uncompressed input). */
function countingReader(read: LakeRecordReader): { read: LakeRecordReader; bytes(): number } {
  let bytes = 0;
  return {
    read: async function* (file, signal) {
      for await (const record of read(file, signal)) {
        bytes += Buffer.byteLength(record.json);
        yield record;
      }
    },
    bytes: () => bytes,
  };
}

function summarize(entities: EntityLoad[]): RawLoadFigures {
  const ms = entities.reduce((n, e) => n + e.ms, 0);
  const sum = (pick: (e: EntityLoad) => number): number => entities.reduce((n, e) => n + pick(e), 0);
  const seconds = ms / 1000;
  return {
    entities,
    rows: sum((e) => e.rows),
    seconds: round1(seconds),
    rowsPerSecond: Math.round(sum((e) => e.rows) / seconds),
    lakeMegabytesPerSecond: round1(sum((e) => e.lakeBytes) / 1e6 / seconds),
    jsonMegabytesPerSecond: round1(sum((e) => e.jsonBytes) / 1e6 / seconds),
  };
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
