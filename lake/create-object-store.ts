import type { LakeLocation } from '../core/index.js';
import { LocalObjectStore } from './local-object-store.js';
import type { ObjectStore } from './object-store.js';
import type { S3ObjectStoreOptions } from './s3-object-store.js';

export interface CreateObjectStoreOptions {
  /** Settings for an S3 lake (multipart sizes, a test client); ignored for a local folder. */
  s3?: S3ObjectStoreOptions;
}

/**
 * The ObjectStore for a configured lake location (local folder or S3-compatible bucket). The AWS
 * SDK is loaded only for an S3 lake: it costs ~150 ms of start-up that local runs should not pay.
 */
export async function createObjectStore(location: LakeLocation, options: CreateObjectStoreOptions = {}): Promise<ObjectStore> {
  if (location.type === 'local') return new LocalObjectStore(location.root);
  const { S3ObjectStore } = await import('./s3-object-store.js');
  return new S3ObjectStore(location, options.s3);
}
