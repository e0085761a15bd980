import { createRequire } from 'node:module';
import type * as zod from 'zod';

type Zod = typeof zod.z;

let loaded: Zod | undefined;

/**
 * A zod schema built on first use, zod itself required only then (~95 modules, ~40 ms to load).
 * For schemas that a plain check stands in for on valid input: zod loads to explain what is wrong.
 */
export function lazyZodSchema<S>(build: (z: Zod) => S): () => S {
  let schema: S | undefined;
  return () => (schema ??= build((loaded ??= (createRequire(import.meta.url)('zod') as typeof zod).z)));
}
