export { checkEvent, unparseable, EVENT_NAMES, STORE_EVENTS, SCHEMA_VERSION, schemaId, MAX_BODY_BYTES, MAX_EVENT_BYTES } from './contracts.js';
export type { Checked, CollectedEvent, EventName, FailedEvent } from './contracts.js';
export { WriteAheadLog } from './write-ahead-log.js';
export type { WalRecord, WalStats } from './write-ahead-log.js';
export { RecentIds } from './recent-ids.js';
export { commitEventBatch, DEFAULT_LATE_WINDOW_MS, EVENTS_ENTITY, EVENTS_SOURCE, FAILED_EVENTS_ENTITY } from './commit-events.js';
export type { BatchCommit, EventBatch, LogEntry } from './commit-events.js';
export { commitLandedEvents, landedLogId, LANDED_COLLECTOR_ID, LANDING_PREFIX } from './commit-landed.js';
export type { CommitLandedOptions, LandedCommit, LandedObjectProgress } from './commit-landed.js';
