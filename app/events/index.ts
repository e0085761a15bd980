export { BackPressure, newEventId, openCollector } from './collector.js';
export type { BatchOutcome, Collector, CollectorOptions, CollectorStats, WalEntry } from './collector.js';
export { EVENT_NAMES, MAX_BODY_BYTES, MAX_EVENT_BYTES, schemaId } from '../../ingestion/index.js';
export { addEventSource, listEventSources, revokeEventSource, writeKeyCheck } from './sources.js';
export type { EventSourceInfo, WriteKeyCheck } from './sources.js';
export { probeEventStorage } from './probe-storage.js';
export type { StorageProbe } from './probe-storage.js';
