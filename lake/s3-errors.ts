import { LakeError } from '../core/index.js';

const RETRYABLE_NAMES = new Set([
  'SlowDown',
  'RequestTimeout',
  'RequestTimeTooSkewed',
  'InternalError',
  'ServiceUnavailable',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TimeoutError',
  // A concurrent conditional write on the same key; retrying resolves it to success or 412.
  'ConditionalRequestConflict',
]);
const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
]);
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'EPROTO', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT']);
const CREDENTIAL_NAMES = new Set(['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'ExpiredToken', 'InvalidToken', 'TokenRefreshRequired', 'CredentialsProviderError']);
const REGION_NAMES = new Set(['PermanentRedirect', 'AuthorizationHeaderMalformed', 'IllegalLocationConstraintException']);

interface SdkErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number };
}

/** Where a failed S3 call went, for messages and hints (never credentials). */
export interface S3Target {
  bucket: string;
  /** `s3://bucket/prefix` */
  location: string;
  region: string;
  /** A custom endpoint (MinIO, moto) without any user info; undefined for AWS. */
  endpoint: string | undefined;
}

/** The SDK error's name (`NoSuchKey`, `AccessDenied`, `TimeoutError`, …), if any. */
export function s3ErrorName(error: unknown): string | undefined {
  const name = (error as SdkErrorShape | null)?.name;
  return typeof name === 'string' ? name : undefined;
}

/** The HTTP status S3 answered with, if the request got an answer. */
export function s3ErrorStatus(error: unknown): number | undefined {
  const status = (error as SdkErrorShape | null)?.$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

/**
 * Wraps an SDK failure as a LakeError naming operation, location, S3 error and status, with
 * `retryable` for throttling, 5xx and transient network failures, and a fix hint for the failures
 * users cause (missing bucket, denied access, bad credentials, wrong region, unreachable endpoint).
 */
export function s3LakeError(operation: string, key: string, error: unknown, target: S3Target): LakeError {
  if (error instanceof LakeError) return error;
  const name = s3ErrorName(error) ?? 'Error';
  const status = s3ErrorStatus(error);
  const code = networkCode(error);
  const detail = (error as SdkErrorShape | null)?.message ?? String(error);
  const where = `${target.location} key ${JSON.stringify(key)}`;
  const via = target.endpoint === undefined ? '' : ` via ${target.endpoint}`;
  const hint = s3Hint(name, status, code, target);
  return new LakeError(
    `S3 ${operation} failed for ${where}${via}: ${name}${status === undefined ? '' : ` (HTTP ${status})`}: ${detail}`,
    {
      retryable: isTransientS3Error(error),
      cause: error,
      context: { lakeKey: key, bucket: target.bucket, operation, s3Error: name, status, ...(code === undefined ? {} : { errno: code }) },
      ...(hint === undefined ? {} : { hint }),
    },
  );
}

/** True for failures worth retrying: throttling, 5xx, 408/429, timeouts and dropped connections. */
export function isTransientS3Error(error: unknown): boolean {
  const shape = error as SdkErrorShape | null;
  if (shape?.$retryable !== undefined && shape.$retryable !== null && shape.$retryable !== false) return true;
  const status = s3ErrorStatus(error);
  if (status !== undefined && (status >= 500 || status === 429 || status === 408)) return true;
  if (RETRYABLE_NAMES.has(s3ErrorName(error) ?? '')) return true;
  return RETRYABLE_NETWORK_CODES.has(networkCode(error) ?? '');
}

function s3Hint(name: string, status: number | undefined, code: string | undefined, target: S3Target): string | undefined {
  const endpoint = target.endpoint ?? `AWS S3 in ${target.region}`;
  if (name === 'NoSuchBucket') {
    return `the bucket "${target.bucket}" does not exist at ${endpoint}: create it, or fix the bucket in GMP_LAKE_URL (and AWS_ENDPOINT_URL_S3 / AWS_REGION)`;
  }
  if (CREDENTIAL_NAMES.has(name)) {
    return 'the S3 credentials were rejected or missing: check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN (or the IAM role the process runs with)';
  }
  if (name === 'AccessDenied' || name === 'AllAccessDisabled' || status === 403) {
    return `the credentials may not access ${target.location}: grant s3:ListBucket on the bucket and s3:GetObject, s3:PutObject, s3:DeleteObject and s3:AbortMultipartUpload under the prefix`;
  }
  if (REGION_NAMES.has(name) || status === 301) {
    return `the bucket "${target.bucket}" answers from another region or endpoint: set AWS_REGION to the bucket's region (or AWS_S3_FORCE_PATH_STYLE for S3-compatible servers)`;
  }
  if (code !== undefined && UNREACHABLE_CODES.has(code)) {
    return target.endpoint === undefined
      ? `cannot reach AWS S3 (${code}): check the network and AWS_REGION`
      : `cannot reach the S3 endpoint ${target.endpoint} (${code}): check AWS_ENDPOINT_URL_S3 and that the server is running`;
  }
  if (name === 'NotImplemented' || (target.endpoint !== undefined && status === 404 && name !== 'NoSuchKey' && name !== 'NoSuchUpload')) {
    return `the endpoint ${target.endpoint ?? 'AWS S3'} does not answer like S3 here: check AWS_ENDPOINT_URL_S3 and AWS_S3_FORCE_PATH_STYLE`;
  }
  return undefined;
}

function networkCode(error: unknown): string | undefined {
  const code = (error as SdkErrorShape | null)?.code;
  if (typeof code === 'string') return code;
  // undici and some SDK paths keep the system error one level down.
  const cause = (error as { cause?: SdkErrorShape } | null)?.cause?.code;
  return typeof cause === 'string' ? cause : undefined;
}
