import { LakeError } from '../core/index.js';

/** True when `error` is the LakeError a store throws for a missing key. */
export function isNotFound(error: unknown): boolean {
  return error instanceof LakeError && error.context['notFound'] === true;
}
