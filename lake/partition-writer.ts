import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { LakeError, redactText, redactValue, systemClock } from '../core/index.js';
import type { Clock } from '../core/index.js';
import { fileSha256 } from './file-sha256.js';
import { GzipPart } from './gzip-part.js';
import { assertDt, assertEntityNames, assertRunId, invalidFileKey, manifestKey, partFileKey, runPrefix } from './layout.js';
import type { ObjectStore } from './object-store.js';
import { PARTITION_MANIFEST_SCHEMA, type CommittedFile, type PartitionManifest } from './partition-manifest.js';
import { isNotFound } from './is-not-found.js';
import { isPreconditionFailed } from './is-precondition-failed.js';
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
  /** Text a part gathers before compressing it (default 64 K; the files are the same, the event-loop turns fewer). */
  partBufferChars?: number;
  signal?: AbortSignal;
  /** Stamps `committed_at` (tests pass a fixed clock). */
  clock?: Clock;
  /**
   * Appends instead of replacing: the commit keeps every file the replaced manifest names and adds
   * this run's (events arrive in micro-batches; each commit is one more batch of the partition).
   */
  append?: boolean;
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
  /**
   * The intact commit this writer's commit will replace, as read when it opened (undefined when
   * there was none, or it was corrupt): what a run builds on must be the commit it replaces.
   */
  readonly replaces: PartitionManifest | undefined;
  /** Appends a record (a JSON object) to the data files; secrets are redacted on the way. */
  write(record: object): Promise<void>;
  /**
   * Appends a record given as the JSON text of an object, as `JSON.stringify` wrote it (a write
   * -ahead log line): the file receives what `write(JSON.parse(json))` would write, without the
   * parse and re-serialization when there is nothing to redact.
   */
  writeJson(json: string): Promise<void>;
  /** Appends a record that failed validation to the invalid-record files. */
  writeInvalid(record: object): Promise<void>;
  /**
   * Puts a finished local file (e.g. Parquet) into the run as data file `name` (`part-00000.parquet`),
   * streamed as is: no redaction, so it must hold lake data only. The manifest records its
   * `records`, size and SHA-256.
   */
  putFile(name: string, localPath: string, records: number): Promise<CommittedFile>;
  /**
   * Flushes every file, then writes the manifest last, replacing the commit seen when the writer
   * opened; rejects (non-retryable, `context.concurrentCommit`) when another run committed since.
   */
  commit(stats: CommitStats): Promise<PartitionManifest>;
  /** Discards the run: buffers dropped, its files deleted (best effort), the previous commit untouched. */
  abort(): Promise<void>;
}

const FILE_NAME = /^[a-z][a-z0-9_-]*(\.[a-z0-9]+)+$/;

interface FileSeries {
  kind: 'data' | 'invalid';
  current: { key: string; part: GzipPart } | undefined;
  next: number;
  files: CommittedFile[];
}

/** How the manifest put must be conditioned so it replaces exactly the commit seen at open. */
type CommitCondition = { ifNoneMatch: true } | { ifMatch: string } | Record<string, never>;

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
  // Head before get: if a commit lands in between, the etag is the older one and commit() refuses.
  const seen = await store.head(manifestKey(source, entity, dt), { signal });
  // Re-using the committed run id would overwrite files the live manifest names.
  const committed = await readManifest(store, source, entity, dt, { signal }).catch((error: unknown) => {
    // A corrupt manifest is exactly what a re-run repairs; it must not block one.
    if (error instanceof LakeError && error.code === 'LAKE_CORRUPT') return 'corrupt' as const;
    throw error;
  });
  if (committed !== 'corrupt' && committed?.run_id === runId) {
    throw new LakeError(`run ${runId} is already the committed run of ${manifestKey(source, entity, dt)}`, {
      retryable: false,
      context: { lakeKey: manifestKey(source, entity, dt), runId },
      hint: 'a re-run of a partition needs a new run id',
    });
  }
  const condition: CommitCondition = seen === undefined ? { ifNoneMatch: true } : seen.etag !== undefined ? { ifMatch: seen.etag } : {};
  // The commit replaces `committed` (or refuses, see putManifest), so one more than its generation
  // orders it after every earlier commit of the partition, whatever the writers' clocks say.
  const previous = committed === 'corrupt' ? await salvageGeneration(store, manifestKey(source, entity, dt), signal) : (committed?.generation ?? 0);
  return new Writer(options, maxRecordsPerFile, condition, previous + 1, committed === 'corrupt' ? undefined : committed);
}

/**
 * The generation a corrupt manifest still states, so its repair is ordered after it (0 when none
 * can be read: a warehouse that recorded a higher one then keeps the older run and warns).
 */
async function salvageGeneration(store: ObjectStore, key: string, signal: AbortSignal | undefined): Promise<number> {
  const bytes = await store.get(key, { signal }).catch((error: unknown) => (isNotFound(error) ? undefined : Promise.reject(error)));
  if (bytes === undefined) return 0;
  try {
    const generation = (JSON.parse(Buffer.from(bytes).toString('utf8')) as { generation?: unknown } | null)?.generation;
    return Number.isSafeInteger(generation) && (generation as number) >= 0 ? (generation as number) : 0;
  } catch {
    return 0;
  }
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
    private readonly condition: CommitCondition,
    private readonly generation: number,
    readonly replaces: PartitionManifest | undefined,
  ) {
    this.where = runPrefix(options.source, options.entity, options.dt, options.runId);
  }

  async write(record: object): Promise<void> {
    return this.append(this.data, record);
  }

  async writeJson(json: string): Promise<void> {
    this.assertWritable();
    return this.appendLine(this.data, serializedJson(json, this.where));
  }

  async writeInvalid(record: object): Promise<void> {
    return this.append(this.invalid, record);
  }

  async putFile(name: string, localPath: string, records: number): Promise<CommittedFile> {
    this.assertWritable();
    if (!FILE_NAME.test(name) || !Number.isSafeInteger(records) || records < 0) {
      throw new LakeError(`putFile into ${this.where}: invalid file name ${JSON.stringify(name)} or record count ${records}`, { retryable: false });
    }
    return this.enqueue(async () => {
      this.assertWritable();
      const { store, signal } = this.options;
      const key = `${this.where}${name}`;
      if (this.putKeys.includes(key)) throw new LakeError(`putFile into ${this.where}: ${name} was put already`, { retryable: false });
      const sha256 = await fileSha256(localPath);
      const { size } = await stat(localPath);
      this.putKeys.push(key);
      await store.put(key, createReadStream(localPath) as AsyncIterable<Uint8Array>, { signal, contentType: 'application/octet-stream' });
      const file: CommittedFile = { key, records, bytes: size, sha256 };
      this.data.files.push(file);
      return file;
    });
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
      const { source, entity, dt, signal } = this.options;
      this.manifestAttempted = true;
      await this.putManifest(manifestKey(source, entity, dt), body, signal);
      this.state = 'committed';
      return PARTITION_MANIFEST_SCHEMA.parse(JSON.parse(body));
    });
  }

  async abort(): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'aborted';
    await this.tail;
    // Destroyed streams make their puts fail, so no part appears after the deletes below.
    await this.data.current?.part.discard();
    await this.invalid.current?.part.discard();
    // Once the manifest put was sent it may have landed (a lost response): its files must stay.
    if (this.manifestAttempted) return;
    for (const key of this.putKeys) {
      // No signal: the run's own signal is often the reason for the abort.
      await this.options.store.delete(key).catch(() => undefined);
    }
  }

  private async append(series: FileSeries, record: object): Promise<void> {
    this.assertWritable();
    return this.appendLine(series, serialize(record, this.where));
  }

  private async appendLine(series: FileSeries, line: string): Promise<void> {
    return this.enqueue(async () => {
      this.assertWritable();
      series.current ??= this.startPart(series);
      await series.current.part.append(line);
      if (series.current.part.records >= this.maxRecordsPerFile) await this.flush(series);
    });
  }

  /** Opens the next file of a series; its put starts now and streams while records arrive. */
  private startPart(series: FileSeries): { key: string; part: GzipPart } {
    const { store, source, entity, dt, runId, signal } = this.options;
    const key =
      series.kind === 'data'
        ? partFileKey(source, entity, dt, runId, series.next)
        : invalidFileKey(source, entity, dt, runId, series.next);
    series.next++;
    // Recorded before the put: a put whose response is lost may still have created the file.
    this.putKeys.push(key);
    const options = this.options.partBufferChars === undefined ? {} : { batchChars: this.options.partBufferChars };
    return { key, part: new GzipPart((body) => store.put(key, body, { signal, contentType: 'application/gzip' }), options) };
  }

  private async flush(series: FileSeries): Promise<void> {
    const current = series.current;
    if (current === undefined) return;
    series.current = undefined;
    const { bytes, sha256 } = await current.part.finish();
    series.files.push({ key: current.key, records: current.part.records, bytes, sha256 });
  }

  /**
   * Puts the manifest only over the commit seen at open (create-only when there was none), so two
   * writers of one partition can never overwrite each other's commit. A refusal whose current
   * manifest is byte-identical to ours is our own put landing twice (the SDK retried after a lost
   * response): that is a success. Anything else means another run committed meanwhile.
   */
  private async putManifest(key: string, body: string, signal: AbortSignal | undefined): Promise<void> {
    const { store, source, entity, dt, runId } = this.options;
    try {
      await store.put(key, body, { signal, contentType: 'application/json', ...this.condition });
    } catch (error) {
      if (!isPreconditionFailed(error)) throw error;
      const current = await store.get(key, { signal }).catch((e: unknown) => (isNotFound(e) ? undefined : Promise.reject(e)));
      if (current !== undefined && Buffer.from(current).equals(Buffer.from(body, 'utf8'))) return;
      const other = current === undefined ? undefined : committedRunOf(current);
      throw new LakeError(
        `commit of ${this.where} refused: ${source}/${entity} dt=${dt} was ${other === undefined ? 'changed' : `committed by run ${other}`} after run ${runId} started`,
        {
          retryable: false,
          cause: error,
          context: { lakeKey: key, runId, concurrentCommit: true, committedRunId: other },
          hint: "another run committed this partition first; re-run the partition if this run's data should replace it",
        },
      );
    }
  }

  private manifestBody(stats: CommitStats): string {
    const { source, entity, dt, runId, clock = systemClock } = this.options;
    const kept = this.options.append ? this.replaces : undefined;
    const files = [...(kept?.files ?? []), ...this.data.files];
    const invalidFiles = [...(kept?.invalid_files ?? []), ...this.invalid.files];
    const manifest: PartitionManifest = {
      format: 1,
      source,
      entity,
      dt,
      run_id: runId,
      generation: this.generation,
      committed_at: clock.now().toISOString(),
      records: sum(files),
      invalid_records: sum(invalidFiles),
      pages: stats.pages,
      requests: stats.requests,
      files,
      invalid_files: invalidFiles,
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

/**
 * The line `serialize(JSON.parse(json))` would give. Text without a backslash holds every string
 * verbatim, so when redaction finds nothing in the whole text it finds nothing in any string, and
 * the JSON of a parsed `JSON.stringify` output is that output: the text is written as is. Anything
 * else (an escape, a secret or a `key=` parameter) takes the full path.
 */
function serializedJson(json: string, where: string): string {
  const whole = json.charCodeAt(0) === 123 && json.charCodeAt(json.length - 1) === 125; // {…}
  if (whole && !json.includes('\\') && !json.includes('\n') && redactText(json) === json) return `${json}\n`;
  let record: unknown;
  try {
    record = JSON.parse(json);
  } catch (cause) {
    throw new LakeError(`record for ${where} is not JSON`, { retryable: false, cause });
  }
  return serialize(record as object, where);
}

function committedRunOf(manifest: Uint8Array): string | undefined {
  try {
    const runId = (JSON.parse(Buffer.from(manifest).toString('utf8')) as { run_id?: unknown }).run_id;
    return typeof runId === 'string' ? runId : undefined;
  } catch {
    return undefined;
  }
}

function sum(files: readonly CommittedFile[]): number {
  return files.reduce((total, file) => total + file.records, 0);
}
