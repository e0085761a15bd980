import { GmpError, type GmpErrorOptions } from '../../core/index.js';

export type MlflowErrorCode = 'HTTP_STATUS' | 'HTTP_NETWORK' | 'HTTP_TIMEOUT' | 'HTTP_BAD_BODY' | 'HTTP_UNAUTHORIZED' | 'CONFIG_INVALID';

export interface MlflowErrorOptions extends GmpErrorOptions {
  /** `METHOD /api/2.0/...` of the request that failed, when one did. */
  endpoint?: string;
  status?: number;
  /** MLflow's `error_code`, e.g. `RESOURCE_DOES_NOT_EXIST`. */
  errorCode?: string;
}

/**
 * A failure talking to an MLflow tracking server. The message is one line naming the endpoint, the
 * HTTP status and MLflow's error_code; it never carries the tracking token or password (they are
 * never put in it, and GmpError redacts registered secrets on top).
 */
export class MlflowError extends GmpError {
  readonly endpoint: string | undefined;
  readonly status: number | undefined;
  readonly errorCode: string | undefined;

  constructor(code: MlflowErrorCode, message: string, options: MlflowErrorOptions = {}) {
    const { endpoint, status, errorCode, ...rest } = options;
    super(code, message, { ...rest, context: { ...rest.context, endpoint, status, errorCode } });
    this.endpoint = endpoint;
    this.status = status;
    this.errorCode = errorCode;
  }
}
