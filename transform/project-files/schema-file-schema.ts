import type * as zod from 'zod';
import { lazyZodSchema } from '../../core/index.js';

// Built on first use: isPlainSchemaFile stands in for it on the files written as expected, so zod
// (~95 modules, ~40 ms to load) loads only for the others, for its messages.
/** A dbt-like properties file (`models/**\/*.yml`): `version: 2`, `sources:` and `models:`. */
export const schemaFileSchema = lazyZodSchema((z) => {
  const testList = z.array(z.union([z.string(), z.record(z.string(), z.unknown())]));
  const hours = z.strictObject({ count: z.number().positive(), period: z.enum(['minute', 'hour', 'day']) });
  const freshness = z.strictObject({ warn_after: hours.optional(), error_after: hours.optional() }).nullable();

  const column = z.strictObject({
    name: z.string().min(1),
    description: z.string().optional(),
    data_type: z.string().optional(),
    meta: z.record(z.string(), z.unknown()).optional(),
    tests: testList.optional(),
    data_tests: testList.optional(),
  });

  const model = z.strictObject({
    name: z.string().min(1),
    description: z.string().optional(),
    meta: z.record(z.string(), z.unknown()).optional(),
    columns: z.array(column).optional(),
    tests: testList.optional(),
    data_tests: testList.optional(),
  });

  const sourceTable = z.strictObject({
    name: z.string().min(1),
    identifier: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a plain SQL identifier').optional(),
    description: z.string().optional(),
    loaded_at_field: z.string().optional(),
    freshness: freshness.optional(),
    columns: z.array(z.strictObject({ name: z.string().min(1), description: z.string().optional() })).optional(),
  });

  const source = z.strictObject({
    name: z.string().min(1),
    schema: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a plain SQL identifier').optional(),
    description: z.string().optional(),
    loaded_at_field: z.string().optional(),
    freshness: freshness.optional(),
    tables: z.array(sourceTable).min(1),
  });

  return z.strictObject({
    version: z.literal(2),
    sources: z.array(source).optional(),
    models: z.array(model).optional(),
  });
});

export type SchemaFile = zod.infer<ReturnType<typeof schemaFileSchema>>;
