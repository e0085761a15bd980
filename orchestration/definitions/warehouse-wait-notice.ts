import type { Logger } from '../../core/index.js';
import type { WarehouseHolder, WarehouseWait, WarehouseWaitEnd } from '../../warehouse/index.js';
import { processHome } from '../leases/index.js';
import type { RunRecord, StateStore } from '../state/index.js';

/** Who holds the warehouse file: a running gmp run of this host, another program, or nobody named. */
export type WarehouseHolderInfo =
  | { kind: 'run'; pid: number; runId: string; runKind: string; program?: string }
  | { kind: 'program'; pid: number; program?: string }
  | { kind: 'unknown' };

/** What a run tells its caller (the CLI) about a wait for the warehouse file; the engine prints nothing. */
export type WarehouseWaitNotice =
  | {
      type: 'waiting';
      /** The warehouse file. */
      warehouse: string;
      /** The read-only copy BI tools and the DuckDB CLI should open instead. */
      snapshotPath: string;
      waitedMs: number;
      /** 1 at the first busy attempt; later attempts come with backoff, up to once a second. */
      attempt: number;
      holder: WarehouseHolderInfo;
    }
  | { type: 'ended'; warehouse: string; waitedMs: number; outcome: WarehouseWaitEnd['outcome'] };

export interface WarehouseWaitReporterOptions {
  /** Where running runs are recorded, to tell a gmp run from another program. */
  state: StateStore;
  logger: Logger;
  /** The warehouse as log lines name it (never a credential). */
  namespace: string;
  onNotice?: (notice: WarehouseWaitNotice) => void;
}

/** Recent runs searched for the holder: a running run is among the newest. */
const RUNS_SEARCHED = 50;

/**
 * `onWait`/`onWaitEnd` for the shared warehouse: resolves the holder DuckDB names against the runs
 * of this host, logs a warning once per holder, and forwards every wait as a notice. Never throws.
 */
export function createWarehouseWaitReporter(options: WarehouseWaitReporterOptions): {
  onWait: (wait: WarehouseWait) => Promise<void>;
  onWaitEnd: (end: WarehouseWaitEnd) => void;
} {
  const { logger } = options;
  let resolved: { pid: number | undefined; info: Promise<WarehouseHolderInfo> } | undefined;
  const warned = new Set<string>();
  let warnedThisWait = false;
  const notify = (notice: WarehouseWaitNotice): void => {
    try {
      options.onNotice?.(notice);
    } catch {
      // A caller's display must not fail the run.
    }
  };
  return {
    async onWait(wait) {
      if (wait.attempt === 1) resolved = undefined;
      if (resolved?.pid !== wait.holder?.pid || resolved === undefined) {
        resolved = { pid: wait.holder?.pid, info: identifyWarehouseHolder(options.state, wait.holder) };
      }
      const holder = await resolved.info;
      const key = holder.kind === 'run' ? `run ${holder.runId}` : holder.kind === 'program' ? `pid ${holder.pid}` : 'unknown';
      if (!warned.has(key)) {
        warned.add(key);
        warnedThisWait = true;
        logger.warn(
          { warehouse: options.namespace, holder },
          holder.kind === 'run' ? 'waiting for another gmp process to release the warehouse' : 'waiting for another program to release the warehouse',
        );
      }
      notify({ type: 'waiting', warehouse: wait.path, snapshotPath: wait.snapshotPath, waitedMs: wait.waitedMs, attempt: wait.attempt, holder });
    },
    onWaitEnd(end) {
      if (warnedThisWait) logger.info({ warehouse: options.namespace, waited_ms: end.waitedMs, outcome: end.outcome }, 'the wait for the warehouse ended');
      warnedThisWait = false;
      notify({ type: 'ended', warehouse: end.path, waitedMs: end.waitedMs, outcome: end.outcome });
    },
  };
}

/**
 * The holder as a running run of this host (its recorded owner `home:pid:…` names the PID), else
 * as the program the lock error named. A state store that cannot answer leaves it a program.
 */
export async function identifyWarehouseHolder(state: StateStore, holder: WarehouseHolder | undefined): Promise<WarehouseHolderInfo> {
  if (holder === undefined) return { kind: 'unknown' };
  const program = holder.program ? { program: holder.program } : {};
  const runs = await state.listRuns({ limit: RUNS_SEARCHED }).catch((): RunRecord[] => []);
  const run = runs.find((r) => r.status === 'running' && ownedBy(r.owner, holder.pid));
  return run ? { kind: 'run', pid: holder.pid, runId: run.runId, runKind: run.kind, ...program } : { kind: 'program', pid: holder.pid, ...program };
}

function ownedBy(owner: string | null | undefined, pid: number): boolean {
  const [home, ownerPid] = (owner ?? '').split(':');
  return home === processHome() && ownerPid === String(pid);
}
