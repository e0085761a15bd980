/**
 * The runs and backfills this server launched and still runs: so a cancel reaches them at once
 * (runs elsewhere are asked through the state store), and a shutdown cancels them and waits until
 * each has recorded its end and released its leases.
 */
export interface RunRegistry {
  track(id: string, controller: AbortController, done: Promise<unknown>): void;
  /** Aborts a run this server launched; false when it is not one of them. */
  cancel(id: string): boolean;
  /** Waits until the run or backfill `id` of this server (if any) has settled. */
  settled(id: string): Promise<void>;
  /** Cancels everything still running and waits for it to settle. */
  closeAll(): Promise<void>;
  readonly size: number;
}

export function createRunRegistry(): RunRegistry {
  const running = new Map<string, { controller: AbortController; done: Promise<unknown> }>();
  return {
    track(id, controller, done) {
      running.set(id, { controller, done });
      void done.catch(() => undefined).finally(() => running.delete(id));
    },
    cancel(id) {
      const entry = running.get(id);
      entry?.controller.abort();
      return entry !== undefined;
    },
    async settled(id) {
      await running.get(id)?.done.catch(() => undefined);
    },
    async closeAll() {
      for (const { controller } of running.values()) controller.abort();
      await Promise.all([...running.values()].map((r) => r.done.catch(() => undefined)));
    },
    get size() {
      return running.size;
    },
  };
}
