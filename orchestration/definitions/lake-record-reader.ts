import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readDayParquet } from '../../ingestion/index.js';
import { assertCommittedFileIntact, readCommittedFile, readFileLines, type ObjectStore } from '../../lake/index.js';
import type { LakeRecordReader } from '../../warehouse/index.js';

/**
 * Reads committed lake files record by record for engines that load the lake (Postgres): gzip
 * JSON lines as their lines, each with the partition and run its manifest names (never what the
 * record claims); a compacted day's Parquet as its rows, each with its own hour. A Parquet file of
 * a remote store is downloaded to `scratchDir` for the read and removed after it.
 */
export function createLakeRecordReader(lake: ObjectStore, scratchDir: string): LakeRecordReader {
  return async function* read(file, signal) {
    const options = signal ? { signal } : {};
    // With the manifest's size (and checksum), a damaged file fails naming itself and its repair.
    const expected = file.bytes === undefined ? undefined : { key: file.key, bytes: file.bytes, sha256: file.sha256 };
    if (file.key.endsWith('.parquet')) {
      let local = lake.localPathFor?.(file.key);
      const scratch = local === undefined ? path.join(scratchDir, file.key.replace(/[^A-Za-z0-9._-]+/g, '_')) : undefined;
      if (scratch !== undefined) {
        await mkdir(scratchDir, { recursive: true });
        await writeFile(scratch, expected ? await readCommittedFile(lake, expected, options) : await lake.get(file.key, options));
        local = scratch;
      } else if (expected) {
        await assertCommittedFileIntact(lake, expected, options);
      }
      try {
        for await (const row of readDayParquet(local!)) yield { dt: row.hour, runId: row.runId, json: row.value };
      } finally {
        if (scratch !== undefined) await rm(scratch, { force: true });
      }
      return;
    }
    for await (const { line } of readFileLines(lake, expected ?? file.key, options)) yield { dt: file.dt, runId: file.runId, json: line };
  };
}
