import { redactText, redactValue } from '../redact.js';

/** Stable, machine-readable error codes. Retry decisions read `retryable`, never the code. */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'USAGE'
  | 'PARTITION_INVALID'
  | 'SELECTION_INVALID'
  | 'NOT_FOUND'
  /** SQL the console will not run (not one read-only statement, or one reaching files or settings). */
  | 'SQL_REFUSED'
  /** A console query stopped at its time limit. */
  | 'SQL_TIMEOUT'
  /** A user name, or an email, another account has already. */
  | 'NAME_TAKEN'
  | 'EMAIL_TAKEN'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'DEFINITION_INVALID'
  | 'HTTP_STATUS'
  | 'HTTP_NETWORK'
  | 'HTTP_TIMEOUT'
  | 'HTTP_BAD_BODY'
  | 'HTTP_UNAUTHORIZED'
  | 'LAKE_IO'
  | 'LAKE_CORRUPT'
  /** A committed lake file (or a cached copy of one) no longer matches its manifest's size or checksum. */
  | 'LAKE_FILE_DAMAGED'
  /** A write found its file system full (ENOSPC, SQLITE_FULL): nothing half-written was committed. */
  | 'DISK_FULL'
  | 'WAREHOUSE'
  | 'WAREHOUSE_BUSY'
  | 'MODEL'
  /** A model version that would not improve production (a promotion refused). */
  | 'PROMOTION_REFUSED'
  | 'STATE'
  | 'ASSET_FAILED'
  | 'BUDGET_EXCEEDED'
  | 'CANCELED';

export interface GmpErrorOptions {
  context?: Record<string, unknown>;
  cause?: unknown;
  retryable?: boolean;
  /** One sentence telling the user how to fix it. */
  hint?: string;
}

/**
 * The root of the project's error hierarchy. Message, hint and context are redacted at
 * construction, so an error can be logged or printed anywhere without leaking a secret.
 */
export class GmpError extends Error {
  readonly code: ErrorCode;
  readonly context: Record<string, unknown>;
  readonly retryable: boolean;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: GmpErrorOptions = {}) {
    super(redactText(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.context = redactValue(options.context ?? {}) as Record<string, unknown>;
    this.retryable = options.retryable ?? false;
    this.hint = options.hint === undefined ? undefined : redactText(options.hint);
  }

  /** A JSON-safe, redacted view for logs and the state store. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      hint: this.hint,
      retryable: this.retryable,
      context: this.context,
      cause: describeCause(this.cause),
    };
  }
}

/** A bad configuration value (exit code 2). */
export class ConfigError extends GmpError {
  constructor(message: string, options: Omit<GmpErrorOptions, 'retryable'> = {}) {
    super('CONFIG_INVALID', message, options);
  }
}

/** A bad command line: unknown selection, malformed partition key, a run id that names no run (NOT_FOUND), … (exit code 2). */
export class UsageError extends GmpError {
  constructor(
    message: string,
    options: Omit<GmpErrorOptions, 'retryable'> & { code?: 'USAGE' | 'PARTITION_INVALID' | 'SELECTION_INVALID' | 'NOT_FOUND' | 'SQL_REFUSED' | 'SQL_TIMEOUT' | 'NAME_TAKEN' | 'EMAIL_TAKEN' } = {},
  ) {
    super(options.code ?? 'USAGE', message, options);
  }
}

/** Definitions that cannot form a valid graph; carries every problem found, not just the first. */
export class DefinitionError extends GmpError {
  readonly problems: readonly string[];
  /** Where the problems' file names are relative to (the models folder), when they name files. */
  readonly where: string | undefined;
  constructor(problems: readonly string[], options: { where?: string; hint?: string } = {}) {
    super('DEFINITION_INVALID', `${problems.length} definition problem${problems.length === 1 ? '' : 's'}${options.where ? ` in ${options.where}` : ''}:\n  ${problems.join('\n  ')}`, {
      context: { problems, ...(options.where ? { where: options.where } : {}) },
      ...(options.hint ? { hint: options.hint } : {}),
    });
    this.problems = problems.map((p) => redactText(p));
    this.where = options.where;
  }
}

/** An HTTP exchange that failed: status, network, timeout or an unreadable body. */
export class HttpError extends GmpError {
  readonly status: number | undefined;
  constructor(
    code: 'HTTP_STATUS' | 'HTTP_NETWORK' | 'HTTP_TIMEOUT' | 'HTTP_BAD_BODY' | 'HTTP_UNAUTHORIZED',
    message: string,
    options: GmpErrorOptions & { status?: number } = {},
  ) {
    super(code, message, options);
    this.status = options.status;
  }
}

export class LakeError extends GmpError {
  constructor(message: string, options: GmpErrorOptions & { code?: 'LAKE_IO' | 'LAKE_CORRUPT' | 'LAKE_FILE_DAMAGED' } = {}) {
    super(options.code ?? 'LAKE_IO', message, options);
  }
}

/** A warehouse statement failed; context carries the (redacted) SQL. */
export class WarehouseError extends GmpError {
  constructor(message: string, options: GmpErrorOptions & { code?: 'WAREHOUSE' | 'WAREHOUSE_BUSY' } = {}) {
    super(options.code ?? 'WAREHOUSE', message, options);
  }
}

export class ModelError extends GmpError {
  constructor(message: string, options: GmpErrorOptions = {}) {
    super('MODEL', message, options);
  }
}

export class StateError extends GmpError {
  constructor(message: string, options: GmpErrorOptions = {}) {
    super('STATE', message, options);
  }
}

/** Who you are is unknown (UNAUTHORIZED: no or a bad credential) or not allowed this (FORBIDDEN). */
export class AuthError extends GmpError {
  constructor(code: 'UNAUTHORIZED' | 'FORBIDDEN', message: string, options: Omit<GmpErrorOptions, 'retryable'> = {}) {
    super(code, message, options);
  }
}

/** The request budget of a source would be exceeded: nothing more is sent. */
export class BudgetError extends GmpError {
  constructor(message: string, options: Omit<GmpErrorOptions, 'retryable'> = {}) {
    super('BUDGET_EXCEEDED', message, { ...options, retryable: false });
  }
}

export class CanceledError extends GmpError {
  constructor(message = 'canceled', options: GmpErrorOptions = {}) {
    super('CANCELED', message, options);
  }
}

/** A failure inside an asset's materialization, wrapped once with asset and partition. */
export class AssetError extends GmpError {
  readonly asset: string;
  readonly partition: string | null;
  constructor(asset: string, partition: string | null, cause: unknown) {
    const where = partition === null ? asset : `${asset} [${partition}]`;
    const inner = cause instanceof Error ? cause.message : String(cause);
    super('ASSET_FAILED', `${where}: ${inner}`, {
      cause,
      context: { asset, partition },
      retryable: cause instanceof GmpError ? cause.retryable : false,
      hint: cause instanceof GmpError ? cause.hint : undefined,
    });
    this.asset = asset;
    this.partition = partition;
  }
}

/** Exit code for the CLI: 2 for usage and configuration errors, 1 for anything else. */
export function exitCodeFor(error: unknown): 1 | 2 {
  if (error instanceof ConfigError || error instanceof UsageError || error instanceof DefinitionError || error instanceof AuthError) return 2;
  return 1;
}

/** Unwraps to the innermost GmpError, or the error itself. */
export function rootCause(error: unknown): unknown {
  let current = error;
  while (current instanceof AssetError && current.cause !== undefined) current = current.cause;
  return current;
}

function describeCause(cause: unknown): unknown {
  if (cause === undefined) return undefined;
  if (cause instanceof GmpError) return cause.toJSON();
  if (cause instanceof Error) return { name: cause.name, message: redactText(cause.message) };
  return redactText(String(cause));
}
