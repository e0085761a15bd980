import { describe, expect, it } from 'vitest';
import { GENERIC_TESTS } from './data-test.js';
import { projectFileSchema } from './load-project-config.js';
import { RELATION_CALL, testArgsSchema } from './parse-test-entry.js';
import { isPlainProjectFile, isPlainSchemaFile, plainTestArgs } from './plain-properties.js';
import { schemaFileSchema } from './schema-file-schema.js';

// The fast checks stand in for zod on the files written as expected: whatever they accept, zod must
// accept and parse to the same value (test arguments: the same keys in the same order).

function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const WEIRD: unknown[] = [null, '', 'x', 0, -1, 1.5, Infinity, true, [], [1], {}, { a: 1 }, 'Bad-Name', 'day', 2, '2'];

/** Replaces, removes or adds one value somewhere in `value` (a deep copy). */
function mutate(value: unknown, random: () => number): unknown {
  const copy = structuredClone(value) as Record<string, unknown>;
  const paths: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach((child, i) => {
        paths.push({ parent: node, key: i });
        walk(child);
      });
    } else if (node !== null && typeof node === 'object') {
      for (const [k, child] of Object.entries(node)) {
        paths.push({ parent: node as Record<string, unknown>, key: k });
        walk(child);
      }
    }
  };
  walk(copy);
  const target = paths[Math.floor(random() * paths.length)];
  if (target === undefined) return copy;
  const r = random();
  const parent = target.parent as Record<string | number, unknown>;
  if (r < 0.6) parent[target.key] = WEIRD[Math.floor(random() * WEIRD.length)];
  else if (r < 0.8 && !Array.isArray(parent)) delete parent[target.key];
  else if (Array.isArray(parent)) parent.length = 0;
  else parent[['unknown', 'meta', 'freshness', 'identifier', 'columns'][Math.floor(random() * 5)] as string] = WEIRD[Math.floor(random() * WEIRD.length)];
  return copy;
}

const FILE = {
  version: 2,
  sources: [
    {
      name: 'shop',
      schema: 'landing',
      description: 'Raw.',
      loaded_at_field: 'ts',
      freshness: { warn_after: { count: 36, period: 'hour' }, error_after: { count: 2, period: 'day' } },
      tables: [{ name: 'orders', identifier: 'orders_v2', description: 'Orders.', freshness: null, columns: [{ name: 'id', description: 'Key.' }] }, { name: 'users' }],
    },
  ],
  models: [
    { name: 'dim_users', description: 'Users.', meta: { owner: 'x' }, columns: [{ name: 'id', description: 'Key.', data_type: 'int', meta: {}, tests: ['unique', { accepted_values: { values: [1, 2] } }] }], data_tests: ['not_null'] },
    { name: 'fct_orders', columns: [{ name: 'id', data_tests: ['unique'] }] },
  ],
};

describe('the plain properties checks', () => {
  it('accept a schema file only when zod does, with the same value', () => {
    expect(isPlainSchemaFile(FILE)).toBe(true);
    const random = prng(7);
    let accepted = 0;
    for (let i = 0; i < 3000; i++) {
      let value: unknown = FILE;
      for (let k = 1 + Math.floor(random() * 3); k > 0; k--) value = mutate(value, random);
      if (!isPlainSchemaFile(value)) continue;
      accepted++;
      const parsed = schemaFileSchema().safeParse(value);
      expect(parsed.success).toBe(true);
      expect(parsed.data).toEqual(value);
    }
    expect(accepted).toBeGreaterThan(300);
  });

  it('accept test arguments only when zod does, with the same keys in the same order', () => {
    const examples: Record<string, unknown>[] = [
      {},
      { severity: 'warn' },
      { config: { severity: 'error' }, name: 'my_test', column_name: 'id' },
      { values: ['a', 1, true], quote: false, severity: 'error' },
      { to: "ref('dim_users')", field: 'id' },
      { field: 'id', to: "source('shop', 'users')", name: 'rel' },
      { min_value: 0, max_value: 10, inclusive: false },
      { max_value: 10 },
    ];
    const random = prng(11);
    let accepted = 0;
    for (let i = 0; i < 4000; i++) {
      const kind = GENERIC_TESTS[Math.floor(random() * GENERIC_TESTS.length)]!;
      let args = examples[Math.floor(random() * examples.length)] as Record<string, unknown>;
      if (random() < 0.7) args = mutate(args, random) as Record<string, unknown>;
      if (random() < 0.2) args = { ...args, severity: 'WARN' };
      const plain = plainTestArgs(kind, args, RELATION_CALL);
      if (plain === undefined) continue;
      accepted++;
      const parsed = testArgsSchema(kind).safeParse(args);
      expect(parsed.success).toBe(true);
      expect(JSON.stringify(plain)).toBe(JSON.stringify(parsed.data));
    }
    expect(accepted).toBeGreaterThan(300);
  });

  it('accept a project file only when zod does, with the same value', () => {
    const project = { name: 'shop', version: '1.0', models: { staging: { materialized: 'view' }, marts: { materialized: 'partitioned' }, events: { materialized: 'ephemeral' } } };
    const examples: unknown[] = [project, {}, { version: 2 }, { models: {} }, { name: 'x', models: { marts: { materialized: 'table' } } }];
    const random = prng(13);
    let accepted = 0;
    for (let i = 0; i < 3000; i++) {
      let value = examples[Math.floor(random() * examples.length)];
      for (let k = Math.floor(random() * 3); k > 0; k--) value = mutate(value, random);
      if (random() < 0.1) value = { ...(value as object), models: { staging: { materialized: 'View' } } };
      if (!isPlainProjectFile(value)) continue;
      accepted++;
      const parsed = projectFileSchema().safeParse(value);
      expect(parsed.success).toBe(true);
      expect(parsed.data).toEqual(value);
    }
    expect(accepted).toBeGreaterThan(300);
  });
});
