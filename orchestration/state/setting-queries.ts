import type { SqlDriver } from './sql-driver.js';
import type { StateStore } from './state-store.js';

type SettingQueries = Pick<StateStore, 'listSettings' | 'putSetting' | 'removeSetting'>;

/** The server's switches admins set: one row per key with its value, who set it and when. */
export function settingQueries(db: SqlDriver): SettingQueries {
  return {
    async listSettings() {
      const rows = await db.query(`SELECT key, value, updated_at, updated_by FROM settings ORDER BY key`);
      return rows.map((r) => ({ key: String(r.key), value: String(r.value), updatedAt: String(r.updated_at), updatedBy: String(r.updated_by) }));
    },
    async putSetting(setting) {
      await db.execute(
        `INSERT INTO settings (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
        [setting.key, setting.value, setting.updatedAt, setting.updatedBy],
      );
    },
    async removeSetting(key) {
      return (await db.execute(`DELETE FROM settings WHERE key = ?`, [key])) > 0;
    },
  };
}
