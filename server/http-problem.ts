import { HTTPException } from 'hono/http-exception';
import { GmpError, redactText, rootCause, type ErrorCode } from '../core/index.js';

/** The one error body of every route: `{"error": {"code", "message", "hint"}}`. */
export interface ErrorBody {
  error: { code: string; message: string; hint?: string };
}

/** An HTTP-level refusal (bad Host, read-only, too large, …) with its status and error body. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const STATUS: Partial<Record<ErrorCode, number>> = {
  USAGE: 400,
  PARTITION_INVALID: 400,
  SELECTION_INVALID: 400,
  NOT_FOUND: 404,
  SQL_REFUSED: 400,
  SQL_TIMEOUT: 408,
  NAME_TAKEN: 400,
  EMAIL_TAKEN: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  BUDGET_EXCEEDED: 409,
  PROMOTION_REFUSED: 409,
  WAREHOUSE_BUSY: 503,
  CANCELED: 409,
};

/** The status and redacted error body for anything a route threw. */
export function problemOf(error: unknown): { status: number; body: ErrorBody; headers: Record<string, string> } {
  if (error instanceof HttpProblem) {
    return { status: error.status, body: body(error.code, error.message, error.hint), headers: error.headers };
  }
  // Hono's own refusals: a malformed JSON body, mostly.
  if (error instanceof HTTPException && error.status < 500) {
    return { status: error.status, body: body('BAD_REQUEST', error.message || 'bad request', 'send a well-formed JSON body'), headers: {} };
  }
  const root = rootCause(error);
  if (root instanceof GmpError) {
    return { status: STATUS[root.code] ?? 500, body: body(root.code, root.message, root.hint), headers: {} };
  }
  // Anything else is a bug: say so without leaking its details.
  return { status: 500, body: body('INTERNAL', 'the server failed to answer this request', 'the server log has the details'), headers: {} };
}

function body(code: string, message: string, hint?: string): ErrorBody {
  return { error: { code, message: redactText(message), ...(hint ? { hint: redactText(hint) } : {}) } };
}
