import type { WarehouseHolderInfo, WarehouseWaitNotice } from '../app/index.js';

type Waiting = Extract<WarehouseWaitNotice, { type: 'waiting' }>;

/** Lines between "still waiting" reports when stderr is not a terminal. */
const QUIET_REPORT_MS = 30_000;

/**
 * Who holds the warehouse and what to do about it, as told once when a wait starts (pure).
 * A gmp run: which one. Another program: its path and PID, and the snapshot BI tools should open.
 */
export function formatWarehouseHolder(notice: Waiting): string[] {
  const { holder } = notice;
  if (holder.kind === 'run') {
    return [`run ${holder.runId} (gmp ${holder.runKind}, pid ${holder.pid}) holds the warehouse; waiting for it to finish`];
  }
  const who = holder.kind === 'program' ? `${holder.program ?? 'a process'} (pid ${holder.pid}), which is not a gmp run` : 'another process';
  return [
    `the warehouse ${notice.warehouse} is held by ${who}`,
    `  BI tools and the DuckDB CLI should open the read-only snapshot instead: ${notice.snapshotPath}`,
    '  gmp waits until the file is released (Ctrl-C to stop)',
  ];
}

/** `0.3s`, `12s`, `3m 05s`, `1h 02m`. */
export function formatWaited(ms: number): string {
  if (ms < 10_000) return `${(Math.floor(ms / 100) / 10).toFixed(1)}s`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/**
 * Shows waits for the warehouse on `stream` (stderr): who holds it at once, then on a terminal one
 * updating line with the time waited, elsewhere a line at most every 30 s, and a line when it ends.
 * A holder already introduced (gmp runs taking turns) is not introduced again.
 */
export function createWarehouseWaitDisplay(stream: NodeJS.WriteStream = process.stderr): (notice: WarehouseWaitNotice) => void {
  const introduced = new Set<string>();
  let holderKey = '';
  let spoke = false;
  let lastLineAt = 0;
  const write = (text: string): void => void stream.write(stream.isTTY ? `\r\x1b[2K${text}` : text);
  return (notice) => {
    if (notice.type === 'ended') {
      const waited = formatWaited(notice.waitedMs);
      const line = notice.outcome === 'acquired' ? `the warehouse is free after ${waited}; continuing` : `stopped waiting for the warehouse after ${waited}`;
      // On a terminal the updating line was seen; elsewhere only what was printed.
      if (spoke || (stream.isTTY && notice.waitedMs >= 2000)) write(`${line}\n`);
      else if (stream.isTTY) write('');
      spoke = false;
      return;
    }
    if (notice.attempt === 1) {
      spoke = false;
      lastLineAt = 0;
    }
    const key = keyOf(notice.holder);
    if (!introduced.has(key) || (notice.attempt > 1 && key !== holderKey)) {
      introduced.add(key);
      write(`${formatWarehouseHolder(notice).join('\n')}\n`);
      spoke = true;
      lastLineAt = notice.waitedMs;
    }
    holderKey = key;
    const status = `waiting for the warehouse (${holderOf(notice.holder)}): ${formatWaited(notice.waitedMs)}`;
    if (stream.isTTY) {
      const width = (stream.columns || 100) - 1;
      write(status.length > width ? `${status.slice(0, width - 1)}…` : status);
    } else if (notice.waitedMs - lastLineAt >= QUIET_REPORT_MS) {
      write(`still ${status}\n`);
      spoke = true;
      lastLineAt = notice.waitedMs;
    }
  };
}

function keyOf(holder: WarehouseHolderInfo): string {
  return holder.kind === 'run' ? `run:${holder.runId}` : holder.kind === 'program' ? `pid:${holder.pid}` : 'unknown';
}

function holderOf(holder: WarehouseHolderInfo): string {
  return holder.kind === 'run' ? `held by run ${holder.runId}` : holder.kind === 'program' ? `held by pid ${holder.pid}` : 'held by another process';
}
