export { BackPressure, newEventId, openCollector } from './collector.js';
export type { BatchOutcome, Collector, CollectorOptions, CollectorStats, WalEntry } from './collector.js';
export { EVENT_NAMES, MAX_BODY_BYTES, MAX_EVENT_BYTES, schemaId } from '../../ingestion/index.js';
export { createEmbeddedHotStore, RECENT_VIEWS, SESSION_IDLE_MS } from './hot-store.js';
export type { HotStore, RecentView, SessionState } from './hot-store.js';
export { openHotStore } from './open-hot-store.js';
export { addEventSource, listEventSources, revokeEventSource, writeKeyCheck } from './sources.js';
export type { EventSourceInfo, WriteKeyCheck } from './sources.js';
