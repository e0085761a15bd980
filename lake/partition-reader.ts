import { promisify } from 'node:util';
import { gunzip as gunzipCallback } from 'node:zlib';
import pLimit from 'p-limit';
import { LakeError } from '../core/index.js';
import { repairCommand } from './damaged-file.js';
import { isNotFound } from './is-not-found.js';
import { entityPrefix, manifestKey, parseLakeKey } from './layout.js';
import type { ObjectStore, SignalOptions } from './object-store.js';
import { PARTITION_MANIFEST_SCHEMA, type CommittedFile, type PartitionManifest } from './partition-manifest.js';
import { readCommittedFile } from './read-committed-file.js';
import { throwIfAborted } from './throw-if-aborted.js';

const gunzip = promisify(gunzipCallback);
const MANIFEST_READS_IN_FLIGHT = 8;

/** The committed manifest of a partition, undefined when none; LAKE_CORRUPT when unreadable. */
export async function readManifest(
  store: ObjectStore,
  source: string,
  entity: string,
  dt: string,
  options: SignalOptions = {},
): Promise<PartitionManifest | undefined> {
  const key = manifestKey(source, entity, dt);
  let bytes: Uint8Array;
  try {
    bytes = await store.get(key, options);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (cause) {
    throw corrupt(store, key, 'it is not valid JSON', cause);
  }
  const parsed = PARTITION_MANIFEST_SCHEMA.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw corrupt(store, key, issues.join('; '), parsed.error);
  }
  const manifest = parsed.data;
  // A manifest copied to the wrong folder would make readers load another partition's files.
  if (manifest.source !== source || manifest.entity !== entity || manifest.dt !== dt) {
    throw corrupt(store, key, `it describes ${manifest.source}/${manifest.entity} dt=${manifest.dt}`);
  }
  return manifest;
}

/**
 * The committed manifest, or undefined when there is none OR it is corrupt: for callers to whom a
 * corrupt commit means "nothing usable is committed" (a re-run repairs it) rather than an error.
 */
export async function readIntactManifest(
  store: ObjectStore,
  source: string,
  entity: string,
  dt: string,
  options: SignalOptions = {},
): Promise<PartitionManifest | undefined> {
  try {
    return await readManifest(store, source, entity, dt, options);
  } catch (error) {
    if (error instanceof LakeError && error.code === 'LAKE_CORRUPT') return undefined;
    throw error;
  }
}

/** Every committed partition of an entity, sorted by dt (partitions without a manifest are skipped). */
export async function listCommittedPartitions(
  store: ObjectStore,
  source: string,
  entity: string,
  options: SignalOptions = {},
): Promise<PartitionManifest[]> {
  const dts: string[] = [];
  for await (const { key } of store.list(entityPrefix(source, entity), options)) {
    const parts = parseLakeKey(key);
    if (parts?.kind === 'manifest') dts.push(parts.dt);
  }
  const limit = pLimit(MANIFEST_READS_IN_FLIGHT);
  const manifests = await Promise.all(dts.map((dt) => limit(() => readManifest(store, source, entity, dt, options))));
  // A manifest deleted between list and read is simply no longer committed.
  return manifests.filter((m): m is PartitionManifest => m !== undefined).sort((a, b) => (a.dt < b.dt ? -1 : a.dt > b.dt ? 1 : 0));
}

/**
 * Streams the records of a committed partition (the invalid ones with `invalid: true`), each file
 * verified against its manifest first (LAKE_FILE_DAMAGED names a damaged one).
 */
export async function* readRecords(
  store: ObjectStore,
  manifest: PartitionManifest,
  options: SignalOptions & { invalid?: boolean } = {},
): AsyncIterable<Record<string, unknown>> {
  const files = options.invalid ? manifest.invalid_files : manifest.files;
  for (const file of files) {
    for await (const { line, lineNumber } of readFileLines(store, file, options)) {
      try {
        yield JSON.parse(line) as Record<string, unknown>;
      } catch (cause) {
        throw corrupt(store, file.key, `line ${lineNumber} is not valid JSON`, cause);
      }
    }
  }
}

/**
 * The non-empty lines of one committed gzip JSON-lines file, as text (for engines that load the
 * records as they are). Given the manifest's entry for the file (rather than its key), the bytes
 * are first checked against its size and SHA-256: a damaged file fails with LAKE_FILE_DAMAGED
 * naming it and its repair; a file that is not gzip fails with LAKE_CORRUPT naming it.
 */
export async function* readFileLines(
  store: ObjectStore,
  file: string | Pick<CommittedFile, 'key' | 'bytes' | 'sha256'>,
  options: SignalOptions = {},
): AsyncIterable<{ line: string; lineNumber: number }> {
  const key = typeof file === 'string' ? file : file.key;
  throwIfAborted(options.signal, `read ${key}`);
  const compressed = typeof file === 'string' ? await store.get(key, options) : await readCommittedFile(store, file, options);
  let text: string;
  try {
    text = (await gunzip(compressed)).toString('utf8');
  } catch (cause) {
    throw corrupt(store, key, 'it is not valid gzip', cause);
  }
  let lineNumber = 0;
  for (const line of text.split('\n')) {
    lineNumber++;
    if (line !== '') yield { line, lineNumber };
  }
}

function corrupt(store: ObjectStore, key: string, problem: string, cause?: unknown): LakeError {
  const repair = repairCommand(key);
  return new LakeError(`corrupt lake file ${key} in ${store.describe()}: ${problem}`, {
    code: 'LAKE_CORRUPT',
    retryable: false,
    cause,
    context: { lakeKey: key },
    hint: repair ? `repair its partition with \`${repair}\` (a re-run rewrites it)` : 're-run the partition to rewrite it',
  });
}
