import { commitLandedEvents, type LandedCommit, type LandedObjectProgress } from '../../ingestion/index.js';
import { createObjectStore } from '../../lake/index.js';
import type { Workspace } from '../workspace.js';

export interface CommitLandedInput {
  signal?: AbortSignal;
  /** Called once per landed object, as it is done. */
  onObject?: (progress: LandedObjectProgress) => void;
}

export interface CommitLandedResult extends LandedCommit {
  /** The lake, as `describe()` names it (no credentials). */
  lake: string;
}

/**
 * Commits what Firehose landed in the workspace's lake (`raw/events/landing/`) into the hourly
 * event partitions, exactly once, with the workspace's late window. See commitLandedEvents.
 */
export async function commitLanded(ws: Workspace, input: CommitLandedInput = {}): Promise<CommitLandedResult> {
  const store = await createObjectStore(ws.config.lake);
  const result = await commitLandedEvents(store, {
    clock: ws.clock,
    lateWindowMs: ws.config.eventsLateWindowDays * 86_400_000,
    ...(input.signal ? { signal: input.signal } : {}),
    ...(input.onObject ? { onObject: input.onObject } : {}),
  });
  return { ...result, lake: store.describe() };
}
