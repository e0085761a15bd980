import { describe, expect, it } from 'vitest';
import { WarehouseError } from '../../core/index.js';
import type { Warehouse } from '../../warehouse/index.js';
import type { FreshWarehouse, WarehouseEngine } from './warehouse-conformance.js';
import { build, model } from './warehouse-model.js';
import { seedItems } from './warehouse-seed.js';

const table = model('marts.t', 'table');
const view = model('marts.v', 'view');
const NEW_ROWS = [{ id: 2, name: 'B' }, { id: 3, name: 'C' }];

/** Builds marts.t (a table) and marts.v (a view) over src.items: rows 1 a, 2 b, 3 c. */
async function buildModels(warehouse: Warehouse): Promise<void> {
  await seedItems(warehouse);
  await build(warehouse, table, 'SELECT id, name FROM src.items');
  await build(warehouse, view, 'SELECT id, name FROM src.items');
}

/** Rebuilds both with the same columns and new rows (NEW_ROWS). */
async function rebuildModels(warehouse: Warehouse): Promise<void> {
  await build(warehouse, table, 'SELECT id, upper(name) AS name FROM src.items WHERE id > 1');
  await build(warehouse, view, 'SELECT id, upper(name) AS name FROM src.items WHERE id > 1');
}

/** What BI users build on the marts survives the marts' rebuilds: their views, and the grants they were given. */
export function describeDependentsConformance(fresh: FreshWarehouse, engine: WarehouseEngine): void {
  describe('views and grants on rebuilt models', () => {
    it('a view built on a table or view model keeps working, showing the new rows, after the model is rebuilt', async () => {
      const { warehouse } = await fresh();
      await buildModels(warehouse);
      await warehouse.execute([warehouse.dialect.createSchema('bi'), 'CREATE VIEW bi.on_t AS SELECT id, name FROM marts.t', 'CREATE VIEW bi.on_v AS SELECT id, name FROM marts.v']);
      await rebuildModels(warehouse);
      await rebuildModels(warehouse);
      expect(await warehouse.query('SELECT * FROM bi.on_t ORDER BY id')).toEqual(NEW_ROWS);
      expect(await warehouse.query('SELECT * FROM bi.on_v ORDER BY id')).toEqual(NEW_ROWS);
    });

    if (!engine.roles) return;

    it("another user's grants on the models, and its own views on them, keep working after the models are rebuilt", async () => {
      const { warehouse, otherUser } = await fresh();
      const q = warehouse.dialect.quoteIdent;
      await buildModels(warehouse);
      await build(warehouse, model('marts.granted_only', 'table'), 'SELECT id FROM src.items');
      const bi = await otherUser!('bi');
      await warehouse.execute([`GRANT USAGE ON SCHEMA marts TO ${q(bi.role)}`, ...['marts.t', 'marts.v', 'marts.granted_only'].map((r) => `GRANT SELECT ON ${r} TO ${q(bi.role)}`)]);
      await bi.warehouse.execute([bi.warehouse.dialect.createSchema('bi'), 'CREATE VIEW bi.on_t AS SELECT id, name FROM marts.t', 'CREATE VIEW bi.on_v AS SELECT id, name FROM marts.v']);

      await rebuildModels(warehouse);
      await build(warehouse, model('marts.granted_only', 'table'), 'SELECT id FROM src.items WHERE id = 3');
      await rebuildModels(warehouse);

      for (const relation of ['marts.t', 'marts.v', 'bi.on_t', 'bi.on_v']) {
        expect(await bi.warehouse.query(`SELECT id, name FROM ${relation} ORDER BY id`), relation).toEqual(NEW_ROWS);
      }
      expect(await bi.warehouse.query('SELECT id FROM marts.granted_only')).toEqual([{ id: 3 }]);
    });

    it("a rebuild that changes the columns another user's view reads fails naming that view, and changes nothing", async () => {
      const { warehouse, otherUser } = await fresh();
      const q = warehouse.dialect.quoteIdent;
      await buildModels(warehouse);
      const bi = await otherUser!('bi');
      await warehouse.execute([`GRANT USAGE ON SCHEMA marts TO ${q(bi.role)}`, `GRANT SELECT ON marts.t TO ${q(bi.role)}`]);
      await bi.warehouse.execute([bi.warehouse.dialect.createSchema('bi'), 'CREATE VIEW bi.on_t AS SELECT id, name FROM marts.t']);

      const error = await build(warehouse, table, 'SELECT id, 0 AS score FROM src.items').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WarehouseError);
      expect((error as Error).message).toContain('bi.on_t');
      expect(await bi.warehouse.query('SELECT * FROM bi.on_t ORDER BY id')).toEqual([{ id: 1, name: 'a' }, { id: 2, name: 'b' }, { id: 3, name: 'c' }]);
    });
  });
}
