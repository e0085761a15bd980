export { cancelBackfill, resumeBackfill, startBackfill } from './backfill.js';
export type { BackfillOutcome, BackfillRequest, BackfillRunOptions } from './backfill.js';
export { backfillStatus, listBackfills } from './backfill-status.js';
export type { BackfillStatusRange, BackfillStatusReport, ShownBackfill, ShownBackfillStatus } from './backfill-status.js';
