import { readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { WarehouseError } from '../../core/index.js';
import type { PublishOptions, ReadersPublication, Warehouse } from '../warehouse.js';
import { duckDbDialect } from './duckdb-dialect.js';
import { copyTableStatement, PUBLICATION_ALIAS, publicationRecordStatements, publishedRelationsQuery, PUBLISHED_SCHEMAS } from './publication-sql.js';

/**
 * Publishes the `marts` and `checks` relations of the warehouse `w` (opened by this process, which
 * holds its file) as a separate DuckDB file `target` for readers: built beside it as
 * `<target>.tmp-<pid>` through ATTACH and CREATE TABLE AS (tables copied, views re-created when
 * they read only published relations), then renamed over `target`. The cost follows the marts,
 * not the warehouse. Readers that have the previous publication open keep reading it; a killed
 * publish leaves the previous one in place, and its temp file is removed by the next publish.
 * Throws WarehouseError (the previous publication stays) when any step fails.
 */
export async function publishForReaders(w: Warehouse, target: string, options: PublishOptions = {}): Promise<ReadersPublication> {
  const started = performance.now();
  const opts = options.signal ? { signal: options.signal } : {};
  removeLeftovers(target);
  const temp = `${target}.tmp-${process.pid}`;
  const alias = duckDbDialect.quoteIdent(PUBLICATION_ALIAS);
  let attached = false;
  try {
    const relations = await w.query(publishedRelationsQuery(), opts);
    const [{ db }] = (await w.query('SELECT current_database() AS db')) as [{ db: string }];
    await w.execute([`ATTACH ${duckDbDialect.quoteLiteral(temp)} AS ${alias}`]);
    attached = true;
    const schemas = PUBLISHED_SCHEMAS.filter((s) => relations.some((r) => r.schema === s));
    const tables = relations.filter((r) => r.kind === 'table');
    // One transaction: one commit to the new file instead of one per table (a third of the time for small marts).
    await w.execute(
      [...schemas.map((s) => `CREATE SCHEMA ${alias}.${duckDbDialect.quoteIdent(s)}`), ...tables.map((r) => copyTableStatement(String(r.schema), String(r.name)))],
      { ...opts, transaction: true },
    );
    const published = tables.map((r) => `${String(r.schema)}.${String(r.name)}`);
    // A view's stored statement names its relations without a catalog: run in the publication, it
    // binds there, and fails to bind (it is left out) when it reads anything unpublished.
    const views = relations.filter((r) => r.kind === 'view');
    if (views.length > 0) {
      await w.execute([`USE ${alias}`]);
      try {
        for (const v of views) {
          const created = await w.execute([String(v.sql)], opts).then(
            () => true,
            () => false,
          );
          if (created) published.push(`${String(v.schema)}.${String(v.name)}`);
        }
      } finally {
        await w.execute([`USE ${duckDbDialect.quoteIdent(db)}`]);
      }
    }
    const record = { runId: options.runId ?? null, publishedAt: options.publishedAt ?? new Date().toISOString(), relations: published.sort() };
    await w.execute([...publicationRecordStatements(record), `CHECKPOINT ${alias}`, `DETACH ${alias}`], opts);
    attached = false;
    renameSync(temp, target);
    return { ...record, path: target, bytes: statSync(target).size, ms: performance.now() - started };
  } catch (cause) {
    if (attached) await w.execute([`DETACH ${alias}`]).catch(() => undefined);
    removeTemp(temp);
    throw new WarehouseError(`cannot publish the marts for readers to ${target}`, { cause });
  }
}

/** Temp files of publishes killed before their rename (only the warehouse's holder publishes, so none is in progress). */
function removeLeftovers(target: string): void {
  const dir = path.dirname(target);
  const prefix = `${path.basename(target)}.tmp-`;
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const entry of entries) if (entry.startsWith(prefix)) rmSync(path.join(dir, entry), { force: true });
}

function removeTemp(temp: string): void {
  rmSync(temp, { force: true });
  rmSync(`${temp}.wal`, { force: true });
}
