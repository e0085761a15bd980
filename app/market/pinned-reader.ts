import { statSync } from 'node:fs';
import { openPublication, snapshotPathFor, type Warehouse } from '../../warehouse/index.js';
import type { Workspace } from '../workspace.js';

interface Pinned {
  /** The publication file's identity (inode, size, mtime): a new publication is a new file. */
  key: string;
  warehouse: Promise<Warehouse>;
  users: number;
  retired: boolean;
}

const pinned = new Map<string, Pinned>();

/**
 * The readers' publication of a DuckDB warehouse (its marts), kept open across requests: opening
 * DuckDB costs ~25 ms, more than a market query. Only the publication may stay open — runs never
 * write it (they rename a new one over it), whereas a reader holding the warehouse file itself
 * would lock runs out. A newer publication gets a new instance; the old one closes when its last
 * read ends. Returns null where there is none (no run published one yet) or no DuckDB file; `work`
 * naming raw or staging fails as openPublication says.
 */
export async function withPinnedSnapshot<T>(ws: Workspace, work: (w: Warehouse) => Promise<T>): Promise<{ value: T } | null> {
  const config = ws.config.warehouse;
  if (config.type !== 'duckdb' || ws.config.lake.type === 's3') return null;
  const file = snapshotPathFor(config.path);
  let key: string;
  try {
    const info = statSync(file);
    key = `${info.ino}:${info.size}:${info.mtimeMs}`;
  } catch {
    return null;
  }
  let entry = pinned.get(file);
  if (entry?.key !== key) {
    if (entry) retire(file, entry);
    entry = { key, warehouse: openPublication(file).then((p) => p.warehouse), users: 0, retired: false };
    pinned.set(file, entry);
    entry.warehouse.catch(() => pinned.get(file) === entry && pinned.delete(file));
  }
  entry.users++;
  try {
    return { value: await work(await entry.warehouse) };
  } finally {
    entry.users--;
    if (entry.retired && entry.users === 0) void close(entry);
  }
}

function retire(file: string, entry: Pinned): void {
  entry.retired = true;
  if (pinned.get(file) === entry) pinned.delete(file);
  if (entry.users === 0) void close(entry);
}

async function close(entry: Pinned): Promise<void> {
  await (await entry.warehouse.catch(() => null))?.close().catch(() => undefined);
}

/** Closes every pinned snapshot (a server stopping, a test ending). */
export async function closePinnedSnapshots(): Promise<void> {
  const entries = [...pinned.values()];
  pinned.clear();
  for (const e of entries) e.retired = true;
  await Promise.all(entries.filter((e) => e.users === 0).map(close));
}
