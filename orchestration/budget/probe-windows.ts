import type { PartitionKey } from '../../core/index.js';

export interface ProbeWindow {
  from: PartitionKey;
  to: PartitionKey;
  /** The partitions of the window being estimated (a window's span may hold others too). */
  keys: PartitionKey[];
}

/** Enough windows to follow a multi-year range month by month, few enough to cost little. */
const MAX_WINDOWS = 24;

/**
 * Groups sorted partition keys into count-probe windows: one per calendar month, then, past
 * MAX_WINDOWS, neighbours merged pairwise (two months, four, …) so a long range costs at most
 * MAX_WINDOWS probe requests. A window spans its first to its last key.
 */
export function probeWindows(keys: readonly PartitionKey[]): ProbeWindow[] {
  let windows: ProbeWindow[] = [];
  for (const key of keys) {
    const last = windows[windows.length - 1];
    if (last !== undefined && last.to.slice(0, 7) === key.slice(0, 7)) {
      last.to = key;
      last.keys.push(key);
    } else {
      windows.push({ from: key, to: key, keys: [key] });
    }
  }
  while (windows.length > MAX_WINDOWS) {
    const merged: ProbeWindow[] = [];
    for (let i = 0; i < windows.length; i += 2) {
      const a = windows[i]!;
      const b = windows[i + 1];
      merged.push(b === undefined ? a : { from: a.from, to: b.to, keys: [...a.keys, ...b.keys] });
    }
    windows = merged;
  }
  return windows;
}
