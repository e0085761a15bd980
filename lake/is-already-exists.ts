import { LakeError } from '../core/index.js';

/** True when `error` is the LakeError a store throws when `ifNoneMatch` meets an existing key. */
export function isAlreadyExists(error: unknown): boolean {
  return error instanceof LakeError && error.context['exists'] === true;
}
