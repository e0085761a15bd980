export type { ListEntry, ObjectBody, ObjectInfo, ObjectStore, PutOptions, SignalOptions } from './object-store.js';
export { isNotFound } from './is-not-found.js';
export { isAlreadyExists } from './is-already-exists.js';
export { isPreconditionFailed } from './is-precondition-failed.js';
export { assertValidKey, assertValidPrefix } from './assert-valid-key.js';
export { LocalObjectStore } from './local-object-store.js';
export type { S3LakeLocation, S3ObjectStore, S3ObjectStoreOptions } from './s3-object-store.js';
export type { MultipartSettings } from './s3-multipart-upload.js';
export { createObjectStore } from './create-object-store.js';
export type { CreateObjectStoreOptions } from './create-object-store.js';
export {
  assertDt,
  assertEntityNames,
  assertRunId,
  entityPrefix,
  invalidFileKey,
  manifestKey,
  parseLakeKey,
  partFileKey,
  partitionPrefix,
  runPrefix,
} from './layout.js';
export type { LakeKeyParts } from './layout.js';
export { PARTITION_MANIFEST_SCHEMA } from './partition-manifest.js';
export type { CommittedFile, PartitionManifest } from './partition-manifest.js';
export { openPartitionWriter } from './partition-writer.js';
export type { CommitStats, PartitionWriter, PartitionWriterOptions } from './partition-writer.js';
export { listCommittedPartitions, readFileLines, readIntactManifest, readManifest, readRecords } from './partition-reader.js';
export { collectGarbage } from './collect-garbage.js';
export type { CollectGarbageOptions, GarbageReport } from './collect-garbage.js';
export { mirrorCommittedFiles, recacheFile } from './local-mirror.js';
export { committedFileLocations } from './committed-file-locations.js';
export type { CommittedFileLocationOptions } from './committed-file-locations.js';
export type { MirrorOptions } from './local-mirror.js';
export { listReadablePartitions } from './list-readable-partitions.js';
export { absorbedKeys, compactionOf, COMPACTION_RECORD_SCHEMA } from './compaction-record.js';
export type { CompactionRecord } from './compaction-record.js';
export { bytesSha256, fileSha256 } from './file-sha256.js';
export { damagedFileError, repairCommand } from './damaged-file.js';
export { verifyLake } from './verify-lake.js';
export type { LakeFileCheck, VerifyLakeOptions } from './verify-lake.js';
export { assertCommittedFileIntact, readCommittedFile } from './read-committed-file.js';
