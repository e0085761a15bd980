import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { LakeFileRef, LakeRecord, Warehouse } from '../../warehouse/index.js';

const lakeDirs: string[] = [];

/** `src.items`: (1, 'a'), (2, 'b'), (3, 'c'). */
export async function seedItems(warehouse: Warehouse): Promise<void> {
  await warehouse.execute([warehouse.dialect.createSchema('src'), "CREATE TABLE src.items AS SELECT * FROM (VALUES (1, 'a'), (2, 'b'), (3, 'c')) AS v(id, name)"]);
}

/** Removes the lake folders seedRawRecords wrote. */
export function removeLakeDirs(): void {
  for (const dir of lakeDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * Makes raw relation `relation` hold `records` (one committed lake file of partition `dt`) the way
 * the engine reads the lake: a view over local files where it reads them, a load where it loads
 * them. Throws for an engine that does neither, so no case silently runs without data.
 */
export async function seedRawRecords(warehouse: Warehouse, relation: string, records: readonly unknown[], dt = '2024-05-01'): Promise<void> {
  const { dialect } = warehouse;
  const schema = relation.slice(0, relation.indexOf('.'));
  const lines = records.map((r) => JSON.stringify(r));
  if (warehouse.capabilities.readsLocalFiles && dialect.rawTableView) {
    const dir = mkdtempSync(path.join(tmpdir(), 'gmp-wh-lake-'));
    lakeDirs.push(dir);
    const folder = path.join(dir, `dt=${dt}`, 'run=r1');
    mkdirSync(folder, { recursive: true });
    const file = path.join(folder, 'part-00000.jsonl.gz');
    writeFileSync(file, gzipSync(`${lines.join('\n')}\n`));
    await warehouse.execute([dialect.createSchema(schema), dialect.rawTableView(relation, [file])]);
    return;
  }
  if (warehouse.loadCommittedFiles) {
    const file: LakeFileRef = { key: `raw/${relation}/dt=${dt}/run=r1/part-00000.jsonl.gz`, dt, runId: 'r1' };
    await warehouse.loadCommittedFiles({ relation }, [file], () => recordsOf(lines, dt));
    return;
  }
  throw new Error('the engine neither reads local lake files nor loads them: the suite cannot give it raw records');
}

async function* recordsOf(lines: readonly string[], dt: string): AsyncGenerator<LakeRecord> {
  for (const json of lines) yield { dt, runId: 'r1', json };
}
