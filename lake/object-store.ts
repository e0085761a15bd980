/**
 * The lake's only IO surface. Two implementations (local folder, S3) pass one conformance suite,
 * so everything above this interface is storage-agnostic.
 *
 * Keys are '/'-separated relative paths (`raw/rawg/games/dt=2024-05-01/_manifest.json`).
 * Errors are `LakeError` (code LAKE_IO, `retryable` set for transient failures); an aborted
 * signal rejects with `CanceledError`.
 */
export interface ObjectStore {
  /**
   * Writes the whole object atomically: readers see the old object or the new one, never a mix.
   * A streamed body is consumed once, as it is produced (S3 sends large objects in parts); when it
   * throws or the signal aborts, nothing is written and the stream is closed with `return()`.
   */
  put(key: string, body: ObjectBody, options?: PutOptions): Promise<void>;
  /** Reads the whole object; a missing key rejects with a LakeError for which `isNotFound` is true. */
  get(key: string, options?: SignalOptions): Promise<Uint8Array>;
  /** Size (and etag when the store has one) of an object, or undefined when it is missing. */
  head(key: string, options?: SignalOptions): Promise<ObjectInfo | undefined>;
  /** Every object whose key starts with `prefix` (plain string prefix, recursive), sorted by key bytes. */
  list(prefix: string, options?: SignalOptions): AsyncIterable<ListEntry>;
  /** Removes an object; deleting a missing key succeeds. */
  delete(key: string, options?: SignalOptions): Promise<void>;
  /** Where the store lives (`file:///abs/root`, `s3://bucket/prefix`), never with credentials. */
  describe(): string;
  /** Absolute local path of a key, only on stores backed by a local folder (readers skip copying). */
  localPathFor?(key: string): string;
  /** URL of a key for engines that read the store directly (`s3://bucket/prefix/key`), only on S3. */
  objectUrl?(key: string): string;
}

/** An object's content: whole, or streamed as chunks of bytes. */
export type ObjectBody = Uint8Array | string | AsyncIterable<Uint8Array>;

export interface SignalOptions {
  signal?: AbortSignal;
}

export interface PutOptions extends SignalOptions {
  contentType?: string;
  /**
   * Create only: reject with `context.exists === true` (and `preconditionFailed`) when the key
   * already exists.
   */
  ifNoneMatch?: boolean;
  /**
   * Replace only the version `head()` reported with this etag: reject with
   * `context.preconditionFailed === true` when the object changed or is gone. Stores whose `head`
   * reports no etag (the local folder) reject the option itself.
   */
  ifMatch?: string;
}

export interface ObjectInfo {
  size: number;
  /** Changes with every write of the key; present on stores that support `ifMatch`. */
  etag?: string;
}

export interface ListEntry {
  key: string;
  size: number;
  /** Present on both built-in stores; garbage collection uses it to spare runs still being written. */
  lastModified?: Date;
  /** Changes with every write of the key (S3); readers use it to tell a rewritten object from the one they verified. */
  etag?: string;
}
