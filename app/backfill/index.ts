export { cancelBackfill, resumeBackfill, startBackfill } from './backfill.js';
export type { BackfillOutcome, BackfillRequest, BackfillRunOptions } from './backfill.js';
export { backfillStatus, listBackfills } from './backfill-status.js';
export type { BackfillStatusReport, ShownBackfill, ShownBackfillStatus } from './backfill-status.js';
