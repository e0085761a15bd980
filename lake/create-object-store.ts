import type { LakeLocation } from '../core/index.js';
import { LocalObjectStore } from './local-object-store.js';
import type { ObjectStore } from './object-store.js';
import { S3ObjectStore } from './s3-object-store.js';

/** The ObjectStore for a configured lake location (local folder or S3-compatible bucket). */
export function createObjectStore(location: LakeLocation): ObjectStore {
  return location.type === 'local' ? new LocalObjectStore(location.root) : new S3ObjectStore(location);
}
