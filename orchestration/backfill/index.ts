export { backfillStatus, cancelBackfill, listBackfills, resumeBackfill, startBackfill } from './backfill.js';
export type { BackfillOutcome, BackfillRequest, BackfillRunOptions, BackfillStatusReport } from './backfill.js';
