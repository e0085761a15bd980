import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Workspace } from '../workspace.js';
import type { AlertState } from './evaluate-alerts.js';

/** What the daemon last saw of a rule and last told about it. */
export interface RememberedAlert {
  state: AlertState;
  /** When the rule entered `state`. */
  since: string;
  value: number | null;
  detail: string;
  evaluatedAt: string;
  /** The last notice delivered: a firing one is not sent again until it resolved. */
  notified: 'firing' | 'resolved' | null;
}

const fileOf = (ws: Workspace): string => path.join(ws.config.home, 'alerts', 'state.json');

/** The daemon's memory of each rule (GMP_HOME/alerts/state.json); empty when it never evaluated. */
export function readAlertMemory(ws: Workspace): Record<string, RememberedAlert> {
  try {
    return JSON.parse(readFileSync(fileOf(ws), 'utf8')) as Record<string, RememberedAlert>;
  } catch {
    return {};
  }
}

/** Replaces the memory whole (written aside, then renamed: a reader never sees half a file). */
export function writeAlertMemory(ws: Workspace, memory: Record<string, RememberedAlert>): void {
  const file = fileOf(ws);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, `${JSON.stringify(memory, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}
