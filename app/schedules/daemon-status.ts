import type { DaemonRecord } from '../../orchestration/index.js';
import { openStateStore, stateExists, type Workspace } from '../workspace.js';
import { DAEMON_HEARTBEAT_MS } from './run-daemon.js';

export interface DaemonStatus extends DaemonRecord {
  /** running: heard from lately; silent: not stopped but quiet for 3 heartbeats (killed, hung, machine gone); stopped: stopped cleanly. */
  state: 'running' | 'silent' | 'stopped';
}

/** Daemons heard from in the last week, the latest first, each with what its heartbeat says. */
export async function daemonStatus(ws: Workspace): Promise<DaemonStatus[]> {
  if (!stateExists(ws)) return [];
  const now = ws.clock.now().getTime();
  const state = await openStateStore(ws);
  try {
    const daemons = await state.listDaemons(new Date(now - 7 * 86_400_000).toISOString());
    return daemons.map((d) => ({
      ...d,
      state: d.stoppedAt !== null ? 'stopped' : now - Date.parse(d.heartbeatAt) > 3 * DAEMON_HEARTBEAT_MS ? 'silent' : 'running',
    }));
  } finally {
    await state.close();
  }
}
