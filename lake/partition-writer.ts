import { LakeError, redactText, redactValue, systemClock } from '../core/index.js';
import type { Clock } from '../core/index.js';
import { GzipPart } from './gzip-part.js';
import { assertDt, assertEntityNames, assertRunId, invalidFileKey, manifestKey, partFileKey, runPrefix } from './layout.js';
import type { ObjectStore } from './object-store.js';
import { PARTITION_MANIFEST_SCHEMA, type CommittedFile, type PartitionManifest } from './partition-manifest.js';
import { readManifest } from './partition-reader.js';
import { throwIfAborted } from './throw-if-aborted.js';

export interface PartitionWriterOptions {
  store: ObjectStore;
  source: string;
  entity: string;
  /** The partition day, YYYY-MM-DD. */
  dt: string;
  /** Names the run folder; must differ from the run currently committed for the partition. */
  runId: string;
  maxRecordsPerFile?: number;
  signal?: AbortSignal;
  /** Stamps `committed_at` (tests pass a fixed clock). */
  clock?: Clock;
}

export interface CommitStats {
  pages: number;
  requests: number;
  metadata?: Record<string, unknown>;
}

/**
 * Writes one run of one partition. Calls may overlap (they are queued in call order); after a
 * failed call only `abort()` is accepted. Nothing is visible to readers until `commit`.
 */
export interface PartitionWriter {
  /** Appends a record (a JSON object) to the data files; secrets are redacted on the way. */
  write(record: object): Promise<void>;
  /** Appends a record that failed validation to the invalid-record files. */
  writeInvalid(record: object): Promise<void>;
  /** Flushes every file, then writes the manifest last, replacing the previous commit. */
  commit(stats: CommitStats): Promise<PartitionManifest>;
  /** Discards the run: buffers dropped, its files deleted (best effort), the previous commit untouched. */
  abort(): Promise<void>;
}

interface FileSeries {
  kind: 'data' | 'invalid';
  current: GzipPart | undefined;
  next: number;
  files: CommittedFile[];
}

/** Opens a writer for run `runId` of partition `dt`; rejects a run id that is already the committed one. */
export async function openPartitionWriter(options: PartitionWriterOptions): Promise<PartitionWriter> {
  const { store, source, entity, dt, runId, signal } = options;
  assertEntityNames(source, entity);
  assertDt(dt);
  assertRunId(runId);
  const maxRecordsPerFile = options.maxRecordsPerFile ?? 5000;
  if (!Number.isSafeInteger(maxRecordsPerFile) || maxRecordsPerFile < 1) {
    throw new LakeError(`maxRecordsPerFile must be a positive integer, got ${maxRecordsPerFile}`, { retryable: false });
  }
  throwIfAborted(signal, `open partition writer ${runPrefix(source, entity, dt, runId)}`);
  // Re-using the committed run id would overwrite files the live manifest names.
  const committed = await readManifest(store, source, entity, dt, { signal }).catch((error: unknown) => {
    // A corrupt manifest is exactly what a re-run repairs; it must not block one.
    if (error instanceof LakeError && error.code === 'LAKE_CORRUPT') return undefined;
    throw error;
  });
  if (committed?.run_id === runId) {
    throw new LakeError(`run ${runId} is already the committed run of ${manifestKey(source, entity, dt)}`, {
      retryable: false,
      context: { lakeKey: manifestKey(source, entity, dt), runId },
      hint: 'a re-run of a partition needs a new run id',
    });
  }
  return new Writer(options, maxRecordsPerFile);
}

class Writer implements PartitionWriter {
  private state: 'open' | 'committed' | 'aborted' = 'open';
  private failure: unknown = undefined;
  private manifestAttempted = false;
  private tail: Promise<unknown> = Promise.resolve();
  private readonly data: FileSeries = { kind: 'data', current: undefined, next: 0, files: [] };
  private readonly invalid: FileSeries = { kind: 'invalid', current: undefined, next: 0, files: [] };
  private readonly putKeys: string[] = [];
  private readonly where: string;

  constructor(
    private readonly options: PartitionWriterOptions,
    private readonly maxRecordsPerFile: number,
  ) {
    this.where = runPrefix(options.source, options.entity, options.dt, options.runId);
  }

  async write(record: object): Promise<void> {
    return this.append(this.data, record);
  }

  async writeInvalid(record: object): Promise<void> {
    return this.append(this.invalid, record);
  }

  async commit(stats: CommitStats): Promise<PartitionManifest> {
    this.assertWritable();
    for (const field of ['pages', 'requests'] as const) {
      if (!Number.isSafeInteger(stats[field]) || stats[field] < 0) {
        throw new LakeError(`commit of ${this.where}: ${field} must be a non-negative integer, got ${stats[field]}`, {
          retryable: false,
        });
      }
    }
    return this.enqueue(async () => {
      this.assertWritable();
      await this.flush(this.data);
      await this.flush(this.invalid);
      const body = this.manifestBody(stats);
      // abort() may have been called while the files were flushing.
      this.assertWritable();
      throwIfAborted(this.options.signal, `commit ${this.where}`);
      const { store, source, entity, dt, signal } = this.options;
      this.manifestAttempted = true;
      await store.put(manifestKey(source, entity, dt), body, { signal, contentType: 'application/json' });
      this.state = 'committed';
      return PARTITION_MANIFEST_SCHEMA.parse(JSON.parse(body));
    });
  }

  async abort(): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'aborted';
    await this.tail;
    this.data.current?.discard();
    this.invalid.current?.discard();
    // Once the manifest put was sent it may have landed (a lost response): its files must stay.
    if (this.manifestAttempted) return;
    for (const key of this.putKeys) {
      // No signal: the run's own signal is often the reason for the abort.
      await this.options.store.delete(key).catch(() => undefined);
    }
  }

  private async append(series: FileSeries, record: object): Promise<void> {
    this.assertWritable();
    const line = serialize(record, this.where);
    return this.enqueue(async () => {
      this.assertWritable();
      series.current ??= new GzipPart();
      await series.current.append(line);
      if (series.current.records >= this.maxRecordsPerFile) await this.flush(series);
    });
  }

  private async flush(series: FileSeries): Promise<void> {
    const part = series.current;
    if (part === undefined || part.records === 0) return;
    series.current = undefined;
    const body = await part.finish();
    const { store, source, entity, dt, runId, signal } = this.options;
    const key =
      series.kind === 'data'
        ? partFileKey(source, entity, dt, runId, series.next)
        : invalidFileKey(source, entity, dt, runId, series.next);
    series.next++;
    // Recorded before the put: a put whose response is lost may still have created the file.
    this.putKeys.push(key);
    await store.put(key, body, { signal, contentType: 'application/gzip' });
    series.files.push({ key, records: part.records, bytes: body.byteLength });
  }

  private manifestBody(stats: CommitStats): string {
    const { source, entity, dt, runId, clock = systemClock } = this.options;
    const manifest: PartitionManifest = {
      format: 1,
      source,
      entity,
      dt,
      run_id: runId,
      committed_at: clock.now().toISOString(),
      records: sum(this.data.files),
      invalid_records: sum(this.invalid.files),
      pages: stats.pages,
      requests: stats.requests,
      files: this.data.files,
      invalid_files: this.invalid.files,
      metadata: redactValue(stats.metadata ?? {}) as Record<string, unknown>,
    };
    try {
      return `${redactText(JSON.stringify(manifest, null, 2))}\n`;
    } catch (cause) {
      throw new LakeError(`commit of ${this.where}: metadata is not JSON-serializable`, { retryable: false, cause });
    }
  }

  /** Runs tasks one at a time in call order; the first failure poisons the writer. */
  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.tail.then(task).catch((error: unknown) => {
      if (this.state === 'open') this.failure ??= error;
      throw error;
    });
    this.tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private assertWritable(): void {
    if (this.state !== 'open') {
      throw new LakeError(`partition writer for ${this.where} is already ${this.state}`, { retryable: false });
    }
    if (this.failure !== undefined) {
      const reason = this.failure instanceof Error ? this.failure.message : String(this.failure);
      throw new LakeError(`partition writer for ${this.where} failed earlier (${reason}); abort it and re-run`, {
        retryable: (this.failure as { retryable?: unknown } | null)?.retryable === true,
        cause: this.failure,
      });
    }
  }
}

// Strings are redacted before JSON escaping, so a secret containing '"' or '\' is still found.
function redactStrings(_key: string, value: unknown): unknown {
  return typeof value === 'string' ? redactText(value) : value;
}

function serialize(record: object, where: string): string {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) {
    throw new LakeError(`record for ${where} must be a JSON object`, { retryable: false });
  }
  let json: string;
  try {
    json = JSON.stringify(record, redactStrings);
  } catch (cause) {
    throw new LakeError(`record for ${where} is not JSON-serializable`, { retryable: false, cause });
  }
  return `${redactText(json)}\n`;
}

function sum(files: readonly CommittedFile[]): number {
  return files.reduce((total, file) => total + file.records, 0);
}
