import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { createObjectStore } from '../../lake/index.js';
import type { Workspace } from '../workspace.js';

export interface StorageProbe {
  ready: boolean;
  /** One line per part: `writable` / `reachable`, or why not (never a credential). */
  checks: { wal: string; lake: string };
}

/**
 * Whether the collector can keep its promise: its write-ahead log folder is writable and the
 * lake's object store answers (a HEAD of one key: cheap on S3, a stat locally). Never throws.
 */
export async function probeEventStorage(ws: Workspace, options: { walDir?: string; signal?: AbortSignal } = {}): Promise<StorageProbe> {
  const walDir = options.walDir ?? path.join(ws.config.home, 'events', 'wal');
  const wal = await access(walDir, constants.W_OK).then(
    () => 'writable',
    (error: NodeJS.ErrnoException) => `not writable (${error.code ?? 'error'})`,
  );
  const lake = await (async () => {
    const store = await createObjectStore(ws.config.lake);
    await store.head('raw/events/events/_readiness_probe', options.signal ? { signal: options.signal } : {});
    return 'reachable';
  })().catch((error: unknown) => `unreachable: ${(error instanceof Error ? error.message : String(error)).slice(0, 200)}`);
  return { ready: wal === 'writable' && lake === 'reachable', checks: { wal, lake } };
}
