import type { ListEntry, ObjectBody, ObjectInfo, ObjectStore, PutOptions, SignalOptions } from '../object-store.js';

/**
 * Test double around a real store: records the order of puts and deletes, and can fail the puts
 * whose key matches `failPutsMatching` (to simulate a crash mid-run). Deliberately has no
 * `localPathFor`, so readers treat it as a remote store (it keeps the inner store's `objectUrl`).
 */
export class RecordingObjectStore implements ObjectStore {
  readonly puts: string[] = [];
  readonly deletes: string[] = [];
  readonly gets: string[] = [];
  failPutsMatching: RegExp | undefined;
  /** The inner store's URLs, when it has them (S3). */
  readonly objectUrl?: (key: string) => string;

  constructor(private readonly inner: ObjectStore) {
    if (inner.objectUrl !== undefined) this.objectUrl = inner.objectUrl.bind(inner);
  }

  async put(key: string, body: ObjectBody, options?: PutOptions): Promise<void> {
    if (this.failPutsMatching?.test(key)) throw new Error(`injected put failure for ${key}`);
    await this.inner.put(key, body, options);
    this.puts.push(key);
  }

  get(key: string, options?: SignalOptions): Promise<Uint8Array> {
    this.gets.push(key);
    return this.inner.get(key, options);
  }

  head(key: string, options?: SignalOptions): Promise<ObjectInfo | undefined> {
    return this.inner.head(key, options);
  }

  list(prefix: string, options?: SignalOptions): AsyncIterable<ListEntry> {
    return this.inner.list(prefix, options);
  }

  async delete(key: string, options?: SignalOptions): Promise<void> {
    await this.inner.delete(key, options);
    this.deletes.push(key);
  }

  describe(): string {
    return `recording(${this.inner.describe()})`;
  }
}
