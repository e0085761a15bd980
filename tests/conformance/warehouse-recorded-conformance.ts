import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { materializationStatements, type ModelNode } from '../../transform/index.js';
import type { PartitionRange, SqlParam, Warehouse } from '../../warehouse/index.js';
import { model } from './warehouse-model.js';

/** What a fake driver saw: statements in order, `<session>`/`</session>` around a held session. */
export interface RecordedWarehouse {
  warehouse: Warehouse;
  log: string[];
  /** Each statement with the values bound to it and the signal it was given. */
  calls: { sql: string; binds: readonly SqlParam[] | undefined; signal: AbortSignal | undefined }[];
  /** Makes statements matching `pattern` fail from now on. */
  failOn(pattern: RegExp): void;
}

/** An engine whose driver is a fake: only the statements it is sent can be observed. */
export interface RecordedEngine {
  open(): RecordedWarehouse;
  /** How the dialect must spell these names and literals (reviewed by hand). */
  identifiers: Record<string, string>;
  literals: Record<string, string>;
  /** The reviewed golden file of the dialect's macros: `-- <macro>` then `select <macro call>;`. */
  macrosGolden: string;
}

const DDL = /^(CREATE|ALTER|DROP)\b/;
const DML = /^(INSERT|DELETE|UPDATE|MERGE)\b/;
const SOURCE = 'select game_id, score from staging.scores';
const DAY: PartitionRange = { start: '2024-05-01', end: '2024-05-01' };
const HOURS: PartitionRange = { start: '2024-05-01T23', end: '2024-05-02T00' };

/** The macro calls behind each golden section, as the dialect's golden test writes them. */
const GOLDEN_CALLS: Record<string, { macro: string; sql: (call: string) => string; args: string[] }> = {
  json_text: { macro: 'json_text', sql: (c) => `select ${c}`, args: ['r.value', 'esrb_rating.slug'] },
  json_get: { macro: 'json_get', sql: (c) => `select ${c}`, args: ['value', 'platform'] },
  json_int: { macro: 'json_int', sql: (c) => `select ${c}`, args: ['value', 'id'] },
  json_float: { macro: 'json_float', sql: (c) => `select ${c}`, args: ['value', 'rating'] },
  json_bool: { macro: 'json_bool', sql: (c) => `select ${c}`, args: ['value', 'tba'] },
  json_date: { macro: 'json_date', sql: (c) => `select ${c}`, args: ['value', 'released'] },
  json_timestamp: { macro: 'json_timestamp', sql: (c) => `select ${c}`, args: ['value', 'updated'] },
  'json_int over an expression (GET_PATH)': { macro: 'json_int', sql: (c) => `select ${c}`, args: ['parse_json(r.raw)', 'platform.id'] },
  'json_text with a reserved key': { macro: 'json_text', sql: (c) => `select ${c}`, args: ['x.value', 'order'] },
  flatten: { macro: 'flatten', sql: (c) => `select x.value from staging.stg_rawg__games as g\n${c}`, args: ['g.record', 'genres', 'x'] },
  json_record: { macro: 'json_record', sql: (c) => `select ${c}`, args: ['r.value', 'id, esrb_rating.slug, genres[].id'] },
  record_text: { macro: 'record_text', sql: (c) => `select ${c}`, args: ['rec', 'esrb_rating.slug'] },
  record_int: { macro: 'record_int', sql: (c) => `select ${c}`, args: ['rec', 'id'] },
  record_float: { macro: 'record_float', sql: (c) => `select ${c}`, args: ['rec', 'rating'] },
  record_bool: { macro: 'record_bool', sql: (c) => `select ${c}`, args: ['rec', 'tba'] },
  record_date: { macro: 'record_date', sql: (c) => `select ${c}`, args: ['rec', 'released'] },
  record_timestamp: { macro: 'record_timestamp', sql: (c) => `select ${c}`, args: ['rec', 'updated'] },
  record_list: { macro: 'record_list', sql: (c) => `select ${c}`, args: ['rec', 'platforms'] },
  record_flatten: { macro: 'record_flatten', sql: (c) => `select x.value from staging.stg_rawg__games_daily as d\n${c}`, args: ['d.platforms', 'x'] },
  date_spine: { macro: 'date_spine', sql: (c) => `select d.date_day from bounds as b\n${c}`, args: ['b.first_day', 'b.last_day', 'd'] },
  iso_day_of_week: { macro: 'iso_day_of_week', sql: (c) => `select ${c}`, args: ['date_day'] },
  iso_week: { macro: 'iso_week', sql: (c) => `select ${c}`, args: ['date_day'] },
  listagg: { macro: 'listagg', sql: (c) => `select ${c}`, args: ['genre', "', '", 'views desc, genre'] },
  round_float: { macro: 'round_float', sql: (c) => `select ${c}`, args: ['avg(rating)', '2'] },
};

/** `-- label\nsql;` sections of a golden file. */
function goldenSections(file: string): [string, string][] {
  return readFileSync(file, 'utf8')
    .split(/^-- /m)
    .filter((s) => s.trim() !== '')
    .map((s) => {
      const newline = s.indexOf('\n');
      return [s.slice(0, newline), s.slice(newline + 1).trimEnd().replace(/;$/, '')];
    });
}

/**
 * The half of the warehouse contract a fake driver can show honestly, for engines whose DDL cannot
 * share a transaction: the statements of each materialization (DDL first, on its own; then the DML
 * in one BEGIN … COMMIT on one session), names and literals as the dialect spells them, the macros'
 * SQL as their reviewed goldens, bound parameters and signals handed to the driver. Nothing here
 * claims the SQL runs.
 */
export function describeRecordedWarehouseConformance(name: string, engine: RecordedEngine): void {
  describe(`Warehouse conformance (recorded statements): ${name}`, () => {
    const materialize = (r: RecordedWarehouse, node: ModelNode, range: PartitionRange | null, exists = false) => {
      const statements = materializationStatements(r.warehouse.dialect, node, SOURCE, range, { relationExists: exists });
      return { statements, done: r.warehouse.execute(statements, { transaction: true }) };
    };

    const shapes: [string, ModelNode, PartitionRange | null, boolean, string[]][] = [
      ['view', model('marts.v', 'view'), null, false, ['CREATE', 'CREATE']],
      ['table', model('marts.t', 'table'), null, false, ['CREATE', 'CREATE']],
      ['incremental, first build', model('marts.i', 'incremental', { uniqueKey: ['game_id'] }), null, false, ['CREATE', 'CREATE']],
      ['incremental, merge', model('marts.i', 'incremental', { uniqueKey: ['game_id'] }), null, true, ['CREATE', '<session>', 'BEGIN', 'MERGE', 'COMMIT', '</session>']],
      ['partitioned by day', model('marts.p', 'partitioned', { partitionBy: 'dt' }), DAY, false, ['CREATE', 'CREATE', '<session>', 'BEGIN', 'DELETE', 'INSERT', 'COMMIT', '</session>']],
      ['partitioned by hour', model('marts.h', 'partitioned', { partitionBy: 'event_hour' }), HOURS, false, ['CREATE', 'CREATE', '<session>', 'BEGIN', 'DELETE', 'INSERT', 'COMMIT', '</session>']],
    ];
    for (const [label, node, range, exists, shape] of shapes) {
      it(`${label}: runs its statements in order, DDL first on its own, then the DML in one transaction on one session`, async () => {
        const r = engine.open();
        expect(r.warehouse.capabilities.transactionalDdl).toBe(false);
        const { statements, done } = materialize(r, node, range, exists);
        await done;
        expect(r.log.map((s) => s.split(' ')[0])).toEqual(shape);
        const sent = r.log.filter((s) => !/^(<\/?session>|BEGIN|COMMIT)/.test(s));
        expect(sent).toEqual(statements);
        const session = r.log.indexOf('<session>');
        const inSession = session < 0 ? [] : r.log.slice(session + 2, r.log.indexOf('COMMIT'));
        expect(sent.slice(0, sent.length - inSession.length).every((s) => DDL.test(s))).toBe(true);
        expect(inSession.every((s) => DML.test(s))).toBe(true);
      });
    }

    it('rolls back, never commits, when a statement of the transaction fails', async () => {
      const r = engine.open();
      r.failOn(/^INSERT/);
      const { done } = materialize(r, model('marts.p', 'partitioned'), DAY);
      await expect(done).rejects.toThrow();
      expect(r.log.slice(r.log.indexOf('<session>')).map((s) => s.split(' ')[0])).toEqual(['<session>', 'BEGIN', 'DELETE', 'INSERT', 'ROLLBACK', '</session>']);
    });

    it('names relations and columns, and writes literals, as the dialect must spell them', async () => {
      const r = engine.open();
      const { quoteIdent, quoteLiteral } = r.warehouse.dialect;
      for (const [raw, spelled] of Object.entries(engine.identifiers)) {
        expect(quoteIdent(raw), raw).toBe(spelled);
        await materialize(r, model(`marts.${raw}`, 'table'), null).done;
        expect(r.log.at(-1)!.split('\n')[0], raw).toMatch(new RegExp(`^CREATE OR REPLACE TABLE marts\\.${spelled.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `));
      }
      for (const [raw, spelled] of Object.entries(engine.literals)) expect(quoteLiteral(raw), raw).toBe(spelled);
      await materialize(r, model('marts.p', 'partitioned', { partitionBy: 'order' }), DAY).done;
      expect(r.log.find((s) => s.startsWith('DELETE'))).toBe(`DELETE FROM marts.p WHERE ${quoteIdent('order')} BETWEEN DATE ${quoteLiteral('2024-05-01')} AND DATE ${quoteLiteral('2024-05-01')}`);
    });

    it("sends each macro's SQL exactly as its reviewed golden, inside the model it builds", async () => {
      const r = engine.open();
      const { macros } = r.warehouse.dialect;
      const sections = goldenSections(engine.macrosGolden);
      expect(sections.length).toBeGreaterThan(0);
      for (const [label, golden] of sections) {
        const call = GOLDEN_CALLS[label];
        if (call === undefined) throw new Error(`the golden section "${label}" has no macro call in this suite: add one`);
        const macro = macros[call.macro];
        expect(macro, `${label}: the dialect has no ${call.macro} macro`).toBeTypeOf('function');
        const sql = call.sql(macro!(...call.args));
        expect(sql, label).toBe(golden);
        await r.warehouse.execute(materializationStatements(r.warehouse.dialect, model('staging.m', 'view'), sql, null), { transaction: true });
        expect(r.log.at(-1), label).toContain(golden);
      }
    });

    it('hands bound values and the signal to the driver, never splicing a value into the SQL', async () => {
      const r = engine.open();
      const hostile = "x'; drop table marts.t; --";
      const controller = new AbortController();
      const sql = 'SELECT game_id FROM marts.t WHERE name = ? AND game_id > ?';
      await r.warehouse.query(sql, { params: [hostile, 3], signal: controller.signal });
      expect(r.calls.at(-1)).toEqual({ sql, binds: [hostile, 3], signal: controller.signal });
    });
  });
}
