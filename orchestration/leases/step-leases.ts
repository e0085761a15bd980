import { CanceledError, type Clock } from '../../core/index.js';
import type { Acquired, Step } from '../execute/index.js';
import type { StateStore } from '../state/index.js';
import { ownerId, ownerIsDeadLocally } from './process-identity.js';

export interface StepLeases {
  /** Lease owner, `<host~pid-namespace>:<pid>:<run>`. */
  readonly owner: string;
  /** The executor's `acquire`: waits while another live process holds the step's lease. */
  acquire(step: Step, signal: AbortSignal): Promise<Acquired>;
  /** Stops renewing and releases everything still held. */
  close(): Promise<void>;
}

export interface StepLeaseOptions {
  state: StateStore;
  clock: Clock;
  runId: string;
  /** A lease not renewed for this long is free: its process is presumed dead. */
  ttlMs?: number;
  pollMs?: number;
  /** Asked once the lease is held: did another process materialize this step meanwhile? */
  doneElsewhere?: (step: Step, info: { waited: boolean }) => Promise<boolean>;
  /** Called on every renewal tick (e.g. to notice a cancel request). */
  onTick?: () => Promise<void>;
  /**
   * Called when held leases could not be renewed for half their ttl: another process may take
   * them soon, so the holder must stop (the run aborts its steps).
   */
  onLeaseLost?: (error: unknown) => void;
}

/** The lease name of (asset, partition): one process at a time may materialize it. */
export function stepLeaseName(asset: string, partition: string | null): string {
  return `step:${asset}:${partition ?? '-'}`;
}

/**
 * Cross-process exclusion per (asset, partition) through leases in the state store. Leases are
 * renewed every ttl/3 while held, so a killed process frees its steps within one ttl.
 */
export function createStepLeases(options: StepLeaseOptions): StepLeases {
  const { state, clock } = options;
  const ttlMs = options.ttlMs ?? 30_000;
  const pollMs = options.pollMs ?? 200;
  const owner = ownerId(options.runId);
  const held = new Set<string>();
  // Every lease time comes from the injected clock: the stored expiries and the "lost" judgement alike.
  const now = (): string => clock.now().toISOString();
  const nowMs = (): number => clock.now().getTime();
  let lastRenewed = nowMs();
  const timer = setInterval(() => {
    void (async () => {
      if (held.size > 0) {
        try {
          await state.renewLocks(owner, ttlMs, now());
          lastRenewed = nowMs();
        } catch (error) {
          if (nowMs() - lastRenewed > ttlMs / 2) options.onLeaseLost?.(error);
        }
      } else {
        lastRenewed = nowMs();
      }
      await options.onTick?.();
    })().catch(() => undefined);
  }, Math.max(50, Math.floor(ttlMs / 3)));
  timer.unref();

  // A lease of a process of this host (and PID namespace) that no longer exists is freed at once
  // instead of after its ttl (a `kill -9` followed by `resume` should not stall).
  const freeIfOwnerDied = async (name: string): Promise<boolean> => {
    const lock = (await state.listLocks(now())).find((l) => l.name === name);
    if (!lock) return true;
    if (!ownerIsDeadLocally(lock.owner)) return false;
    await state.releaseLock(name, lock.owner);
    return true;
  };

  return {
    owner,
    async acquire(step, signal) {
      // A range step holds the lease of every partition it covers, taken in order (no deadlock
      // between two processes taking overlapping ranges).
      const names = (step.range ?? [step.partition]).map((p) => stepLeaseName(step.asset, p));
      const taken: string[] = [];
      let waited = false;
      const release = async (): Promise<void> => {
        for (const name of taken) {
          held.delete(name);
          await state.releaseLock(name, owner);
        }
      };
      try {
        for (const name of names) {
          while (!(await state.tryAcquireLock(name, owner, ttlMs, now()))) {
            if (signal.aborted) throw new CanceledError(`canceled while waiting for ${step.id}`);
            waited = true;
            if (await freeIfOwnerDied(name)) continue;
            await new Promise((r) => setTimeout(r, pollMs));
          }
          held.add(name);
          taken.push(name);
        }
      } catch (error) {
        await release();
        throw error;
      }
      // Checked even without a wait: another process may have finished the step before we planned to.
      if (await options.doneElsewhere?.(step, { waited })) {
        await release();
        return 'already-done';
      }
      return { release };
    },
    async close() {
      clearInterval(timer);
      for (const name of [...held]) await state.releaseLock(name, owner).catch(() => undefined);
      held.clear();
    },
  };
}

