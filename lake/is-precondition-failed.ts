import { LakeError } from '../core/index.js';

/** True when a conditional put was refused: `ifNoneMatch` met an existing key, or `ifMatch` a changed one. */
export function isPreconditionFailed(error: unknown): boolean {
  return error instanceof LakeError && error.context['preconditionFailed'] === true;
}
