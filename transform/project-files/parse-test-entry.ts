import type * as zod from 'zod';
import { lazyZodSchema } from '../../core/index.js';
import { GENERIC_TESTS, type DataTest, type GenericTestKind } from './data-test.js';
import { plainTestArgs } from './plain-properties.js';

/** `ref('model')` or `source('src', 'table')`, as dbt writes the target of `relationships`. */
export const RELATION_CALL = /^\s*(ref|source)\(\s*['"](\w+)['"]\s*(?:,\s*['"](\w+)['"]\s*)?\)\s*$/;

type ArgsSchema = zod.ZodType<Record<string, unknown>>;

// Built on first use: plainTestArgs stands in for them on the arguments written as expected, so
// zod loads only for the others, for its messages.
const argsSchemas = lazyZodSchema((z): Record<GenericTestKind, ArgsSchema> => {
  const severity = z.preprocess((v) => (typeof v === 'string' ? v.toLowerCase() : v), z.enum(['warn', 'error']));
  const common = {
    severity: severity.optional(),
    config: z.strictObject({ severity: severity.optional() }).optional(),
    name: z.string().regex(/^\w+$/, 'a test name is letters, digits and _').optional(),
    column_name: z.string().min(1).optional(),
  };
  return {
    unique: z.strictObject(common),
    not_null: z.strictObject(common),
    accepted_values: z.strictObject({ ...common, values: z.array(z.union([z.string(), z.number(), z.boolean()])).min(1), quote: z.boolean().optional() }),
    relationships: z.strictObject({ ...common, to: z.string().regex(RELATION_CALL, "write to: ref('<model>') or source('<source>', '<table>')"), field: z.string().min(1) }),
    accepted_range: z
      .strictObject({ ...common, min_value: z.number().optional(), max_value: z.number().optional(), inclusive: z.boolean().optional() })
      .refine((a) => a.min_value !== undefined || a.max_value !== undefined, 'accepted_range needs min_value or max_value'),
  };
});

/** The zod schema of a generic test's arguments (what plainTestArgs stands in for). */
export function testArgsSchema(kind: GenericTestKind): ArgsSchema {
  return argsSchemas()[kind];
}

/**
 * One entry of a `tests:` list (`unique`, `{accepted_values: {values: [...]}}`, dbt's `arguments:`
 * and `config: {severity}` forms) as a DataTest of `model`, or the problems that make it invalid.
 */
export function parseTestEntry(
  entry: unknown,
  at: { model: string; column: string | undefined; where: string },
): { test?: DataTest; problems: string[] } {
  const [kind, raw] = typeof entry === 'string' ? [entry, {}] : (Object.entries(entry as Record<string, unknown>)[0] ?? ['', {}]);
  if (typeof entry === 'object' && Object.keys(entry as object).length !== 1) {
    return { problems: [`${at.where}: a test is a name or a one-key mapping like {accepted_values: {values: [...]}}`] };
  }
  if (!(GENERIC_TESTS as readonly string[]).includes(kind)) {
    return { problems: [`${at.where}: unknown test '${kind}'; generic tests are ${GENERIC_TESTS.join(', ')} (singular tests go in models/tests/*.sql)`] };
  }
  const generic = kind as GenericTestKind;
  let args = (raw ?? {}) as Record<string, unknown>;
  if (typeof args !== 'object' || Array.isArray(args)) return { problems: [`${at.where}: ${kind}: arguments must be a mapping`] };
  if (args.arguments && typeof args.arguments === 'object') {
    const { arguments: nested, ...rest } = args;
    args = { ...(nested as Record<string, unknown>), ...rest };
  }
  const plain = plainTestArgs(generic, args, RELATION_CALL);
  const parsed = plain !== undefined ? { success: true as const, data: plain } : testArgsSchema(generic).safeParse(args);
  if (!parsed.success) {
    return { problems: parsed.error.issues.map((i) => `${at.where}: ${kind}${i.path.length > 0 ? `.${i.path.join('.')}` : ''}: ${i.message}`) };
  }
  const a = parsed.data as Record<string, unknown> & { severity?: 'warn' | 'error'; config?: { severity?: 'warn' | 'error' }; name?: string; column_name?: string };
  const column = a.column_name ?? at.column;
  if (column === undefined) return { problems: [`${at.where}: ${kind} at model level needs column_name`] };
  const { severity: s, config, name, column_name: _c, ...rest } = a;
  return {
    problems: [],
    test: {
      name: name ?? `${generic}_${column.replace(/\W+/g, '_').replace(/^_|_$/g, '')}`,
      model: at.model,
      kind: generic,
      column,
      severity: config?.severity ?? s ?? 'error',
      description: describe(generic, column, rest),
      where: at.where,
      args: rest,
      reads: [],
    },
  };
}

function describe(kind: GenericTestKind, column: string, args: Record<string, unknown>): string {
  switch (kind) {
    case 'unique':
      return `${column} is unique`;
    case 'not_null':
      return `${column} is never null`;
    case 'accepted_values':
      return `${column} is one of ${(args.values as unknown[]).map(String).join(', ')}`;
    case 'relationships':
      return `every ${column} exists in ${String(args.to)}.${String(args.field)}`;
    case 'accepted_range': {
      const [lo, hi] = args.inclusive === false ? ['>', '<'] : ['>=', '<='];
      const parts = [args.min_value !== undefined ? `${lo} ${String(args.min_value)}` : '', args.max_value !== undefined ? `${hi} ${String(args.max_value)}` : ''];
      return `${column} ${parts.filter((p) => p !== '').join(' and ')}`;
    }
  }
}
