import { describe, expect, it } from 'vitest';
import { CanceledError, WarehouseError } from '../../core/index.js';
import type { LakeFileRef, LakeRecord, LakeRecordReader, Warehouse } from '../../warehouse/index.js';
import type { FreshWarehouse, WarehouseEngine } from './warehouse-conformance.js';

const entity = { relation: 'raw.rawg_games' };

/** A committed lake file and the JSON lines it holds (text, so a malformed line can be one). */
interface LakeFile extends LakeFileRef {
  lines: string[];
}

const file = (dt: string, runId: string, ids: number[], part = 0): LakeFile => ({
  key: `raw/rawg/games/dt=${dt}/run=${runId}/part-0000${part}.jsonl.gz`,
  dt,
  runId,
  lines: ids.map((id) => JSON.stringify({ id, run: runId, name: `game "${id}", ok\n` })),
});

/** Reads files from memory, counting the files it was asked for. */
function lake(files: readonly LakeFile[]): { read: LakeRecordReader; reads: string[] } {
  const reads: string[] = [];
  const byKey = new Map(files.map((f) => [f.key, f]));
  const read: LakeRecordReader = async function* (ref) {
    reads.push(ref.key);
    const f = byKey.get(ref.key);
    if (f === undefined) throw new Error(`no lake file ${ref.key}`);
    for (const json of f.lines) yield { dt: f.dt, runId: f.runId, json };
  };
  return { read, reads };
}

/** Every row of the raw table, every column, in one order. */
const rows = (warehouse: Warehouse) => warehouse.query(`SELECT * FROM ${entity.relation} ORDER BY CAST(dt AS VARCHAR), run_id, CAST(value AS VARCHAR)`);
/** Rows per partition and run. */
const runs = (warehouse: Warehouse) =>
  warehouse.query(`SELECT CAST(dt AS VARCHAR) AS dt, run_id, count(*) AS n FROM ${entity.relation} GROUP BY 1, 2 ORDER BY 1, 2`);

/** A promise and its resolve, for a reader that waits where the test says. */
function latch(): { promise: Promise<void>; release: () => void } {
  let release = (): void => undefined;
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release };
}

/** Loading exactly the committed lake files (engines that load the lake rather than read it). */
export function describeLoadConformance(fresh: FreshWarehouse, engine: WarehouseEngine): void {
  describe('loading committed lake files', () => {
    const may = (part: number, ids: number[]) => file('2024-05-01', 'r1', ids, part);
    const jun = file('2024-05-02', 'r1', [9]);

    it('loads exactly the listed files; a re-run with the same list reads nothing and changes nothing', async () => {
      const { warehouse } = await fresh();
      const files = [may(0, [1, 2]), may(1, [3]), jun];
      const { read, reads } = lake(files);
      expect(await warehouse.loadCommittedFiles!(entity, files, read)).toEqual({ filesAdded: 3, filesRemoved: 0, rowsAdded: 4 });
      expect(await runs(warehouse)).toEqual([
        { dt: '2024-05-01', run_id: 'r1', n: 3 },
        { dt: '2024-05-02', run_id: 'r1', n: 1 },
      ]);
      // The records are kept whole: quotes, commas and line breaks inside values included.
      expect(await warehouse.query(`SELECT ${warehouse.dialect.macros.json_text!('value', 'name')} AS name FROM ${entity.relation} WHERE run_id = 'r1' ORDER BY 1 LIMIT 1`)).toEqual([
        { name: 'game "1", ok\n' },
      ]);
      const before = await rows(warehouse);
      expect(await warehouse.loadCommittedFiles!(entity, files, read)).toEqual({ filesAdded: 0, filesRemoved: 0, rowsAdded: 0 });
      expect(reads).toHaveLength(3);
      expect(await rows(warehouse)).toEqual(before);
    });

    if (engine.concurrentReaders) {
      it("a superseding run replaces its partition's rows in one transaction: a reader sees the old run or the new one, never both or neither", async () => {
        const { warehouse, reader } = await fresh();
        await warehouse.loadCommittedFiles!(entity, [may(0, [1, 2]), may(1, [3]), jun], lake([may(0, [1, 2]), may(1, [3]), jun]).read);
        const rerun = file('2024-05-01', 'r2', [1, 2, 3, 4]);
        const reached = latch();
        const proceed = latch();
        const read: LakeRecordReader = async function* (ref) {
          for (const [i, json] of rerun.lines.entries()) {
            if (i === 2) {
              reached.release();
              await proceed.promise;
            }
            yield { dt: ref.dt, runId: ref.runId, json };
          }
        };
        const loading = warehouse.loadCommittedFiles!(entity, [rerun, jun], read);
        await reached.promise;
        // Mid-load: the old run's rows are deleted and half the new run's are in, uncommitted.
        expect(await runs(reader!)).toEqual([
          { dt: '2024-05-01', run_id: 'r1', n: 3 },
          { dt: '2024-05-02', run_id: 'r1', n: 1 },
        ]);
        proceed.release();
        expect(await loading).toEqual({ filesAdded: 1, filesRemoved: 2, rowsAdded: 4 });
        expect(await runs(reader!)).toEqual([
          { dt: '2024-05-01', run_id: 'r2', n: 4 },
          { dt: '2024-05-02', run_id: 'r1', n: 1 },
        ]);
      });
    }

    it('a file that fails mid-load (its reader fails, or a line is not JSON) leaves the table exactly as it was, and loads once it is readable', async () => {
      const { warehouse } = await fresh();
      const first = [may(0, [1, 2]), jun];
      await warehouse.loadCommittedFiles!(entity, first, lake(first).read);
      const before = await rows(warehouse);

      const rerun = file('2024-05-01', 'r2', [1, 2, 3, 4]);
      const failingReader: LakeRecordReader = async function* (ref) {
        yield* lake([rerun]).read(ref);
        throw new Error('the lake went away');
      };
      const broken = { ...rerun, lines: [...rerun.lines.slice(0, 2), '{"id": 3, "name": "cut off', ...rerun.lines.slice(3)] };
      for (const [what, read] of [
        ['a failing reader', failingReader],
        ['a malformed line', lake([broken]).read],
      ] as const) {
        const error = await warehouse.loadCommittedFiles!(entity, [rerun, jun], read).catch((e: unknown) => e);
        expect(error, what).toBeInstanceOf(WarehouseError);
        expect((error as Error).message, what).toContain(rerun.key);
        expect(await rows(warehouse), what).toEqual(before);
      }

      expect(await warehouse.loadCommittedFiles!(entity, [rerun, jun], lake([rerun]).read)).toEqual({ filesAdded: 1, filesRemoved: 1, rowsAdded: 4 });
      expect(await runs(warehouse)).toEqual([
        { dt: '2024-05-01', run_id: 'r2', n: 4 },
        { dt: '2024-05-02', run_id: 'r1', n: 1 },
      ]);
    });

    it('an aborted load stops with CanceledError and changes nothing', async () => {
      const { warehouse } = await fresh();
      await warehouse.loadCommittedFiles!(entity, [jun], lake([jun]).read);
      const before = await rows(warehouse);
      const reached = latch();
      const controller = new AbortController();
      const endless: LakeRecordReader = async function* (ref, signal) {
        for (let id = 1; ; id++) {
          if (id === 100) {
            reached.release();
            await new Promise<void>((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true }));
          }
          yield { dt: ref.dt, runId: ref.runId, json: JSON.stringify({ id }) } satisfies LakeRecord;
        }
      };
      const loading = warehouse.loadCommittedFiles!(entity, [jun, file('2024-05-03', 'r1', [])], endless, { signal: controller.signal });
      await reached.promise;
      controller.abort();
      await expect(loading).rejects.toBeInstanceOf(CanceledError);
      expect(await rows(warehouse)).toEqual(before);
    });

    it('loads hourly partitions with their hour keys as text, and promoted columns beside the record', async () => {
      const { warehouse } = await fresh();
      const events = { relation: 'raw.events', layout: { hourly: true, columns: ['event_id'] } };
      const hour = { key: 'raw/events/events/dt=2024-05-01T10/run=log1/part-00000.jsonl.gz', dt: '2024-05-01T10', runId: 'log1' };
      const read: LakeRecordReader = async function* () {
        yield { dt: hour.dt, runId: hour.runId, json: JSON.stringify({ event_id: 'e-1', type: 'view' }) };
        yield { dt: hour.dt, runId: hour.runId, json: JSON.stringify({ type: 'no id' }) };
      };
      expect(await warehouse.loadCommittedFiles!(events, [hour], read)).toEqual({ filesAdded: 1, filesRemoved: 0, rowsAdded: 2 });
      expect(await warehouse.query(`SELECT dt, run_id, event_id FROM raw.events ORDER BY event_id`)).toEqual([
        { dt: '2024-05-01T10', run_id: 'log1', event_id: 'e-1' },
        { dt: '2024-05-01T10', run_id: 'log1', event_id: null },
      ]);
    });
  });
}
