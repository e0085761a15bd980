import path from 'node:path';
import { LakeError } from '../../core/index.js';

/** One hourly data file (gzip JSON lines) to compact, in the order its copies rank. */
export interface HourlyInput {
  /** Local path of the file. */
  path: string;
  hour: string;
  /** The run folder it was committed in (the view's `run_id`). */
  runId: string;
}

export interface ParquetCompaction {
  /** Rows read: the previous Parquet's plus every line of the inputs. */
  rowsIn: number;
  /** Rows written, one per event once deduplicated. */
  rowsOut: number;
}

/**
 * How copies of one event are recognised: accepted events by `event_id`; refused ones (whose
 * `event_id` may be missing or repeated by distinct refusals) only as byte-identical records.
 */
export type DedupeKey = 'event_id' | 'record';

/**
 * Writes one day as Parquet (`event_id`, `hour`, `run_id`, `value` as JSON text) from the day's
 * previous Parquet (if any) and hourly JSON files, with an in-memory DuckDB. One row per event:
 * the first copy wins, in this order: the previous Parquet (already compacted), then the inputs
 * in the order given, then line order. Rows are written by hour.
 */
export async function writeDayParquet(options: { previous?: string; inputs: readonly HourlyInput[]; output: string; dedupe: DedupeKey }): Promise<ParquetCompaction> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  // One thread: scans then keep file and line order, which ranks the copies (and the machine is shared).
  const instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false', threads: '1', preserve_insertion_order: 'true', temp_directory: path.join(path.dirname(options.output), 'duckdb-tmp') });
  const connection = await instance.connect();
  try {
    const sources: string[] = [];
    if (options.previous !== undefined) {
      sources.push(
        `SELECT 0 AS src, 0 AS file_order, line, event_id, hour, run_id, value FROM (SELECT *, row_number() OVER () AS line FROM read_parquet([${literal(options.previous)}], hive_partitioning = false))`,
      );
    }
    if (options.inputs.length > 0) {
      const values = options.inputs.map((input, i) => `(${literal(input.path)}, ${literal(input.hour)}, ${literal(input.runId)}, ${i})`).join(', ');
      await connection.run(`CREATE TEMP TABLE inputs AS SELECT * FROM (VALUES ${values}) AS t(path, hour, run_id, file_order)`);
      const list = options.inputs.map((input) => literal(input.path)).join(', ');
      sources.push(
        `SELECT 1 AS src, i.file_order, j.line, j.json ->> '$.event_id' AS event_id, i.hour, i.run_id, CAST(j.json AS VARCHAR) AS value ` +
          `FROM (SELECT json, filename, row_number() OVER () AS line FROM read_ndjson_objects([${list}], filename = true)) AS j JOIN inputs AS i ON i.path = j.filename`,
      );
    }
    if (sources.length === 0) throw new LakeError('nothing to compact: no previous Parquet and no hourly file', { retryable: false });
    const key = options.dedupe === 'event_id' ? 'coalesce(event_id, value)' : 'value';
    await connection.run(`CREATE TEMP TABLE rows_in AS ${sources.join(' UNION ALL ')}`);
    await connection.run(
      `COPY (SELECT event_id, hour, run_id, value FROM (` +
        `SELECT *, row_number() OVER (PARTITION BY ${key} ORDER BY src, file_order, line) AS copy_no FROM rows_in` +
        `) WHERE copy_no = 1 ORDER BY hour, src, file_order, line) TO ${literal(options.output)} (FORMAT parquet, COMPRESSION zstd)`,
    );
    const counts = await connection.runAndReadAll(`SELECT (SELECT count(*) FROM rows_in) AS rows_in, (SELECT count(*) FROM read_parquet([${literal(options.output)}])) AS rows_out`);
    const [row] = counts.getRowObjectsJson() as { rows_in: string | number; rows_out: string | number }[];
    return { rowsIn: Number(row?.rows_in ?? 0), rowsOut: Number(row?.rows_out ?? 0) };
  } catch (cause) {
    if (cause instanceof LakeError) throw cause;
    throw new LakeError(`cannot write the compacted day ${options.output}: ${(cause as Error).message}`, { retryable: false, cause });
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

const literal = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/** One row of a compacted day: its hour key, run and record (JSON text). */
export interface CompactedRow {
  hour: string;
  runId: string;
  value: string;
}

/**
 * Streams the rows of a compacted day's Parquet (as written by writeDayParquet), for engines that
 * load the lake rather than read it (Postgres), with an in-memory DuckDB.
 */
export async function* readDayParquet(file: string): AsyncGenerator<CompactedRow> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false', threads: '1' });
  const connection = await instance.connect();
  try {
    const result = await connection.stream(`SELECT hour, run_id, value FROM read_parquet([${literal(file)}], hive_partitioning = false)`);
    for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
      for (const [hour, runId, value] of chunk.getRows()) yield { hour: String(hour), runId: String(runId), value: String(value) };
    }
  } catch (cause) {
    throw new LakeError(`cannot read the compacted day ${file}: ${(cause as Error).message}`, { retryable: false, cause });
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
