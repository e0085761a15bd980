import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LineCounter, parseDocument } from 'yaml';
import { packageRoot } from '../../core/index.js';
import { parseSimpleYaml, YamlSubsetError } from './parse-simple-yaml.js';
import { readYaml } from './read-yaml.js';

/** What the `yaml` package gives: the value and each node's line, as readYaml had them before the subset parser. */
function viaYaml(text: string): { value: unknown; lineOf: (p: readonly PropertyKey[]) => number | undefined } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  expect(doc.errors).toEqual([]);
  return {
    value: doc.toJS(),
    lineOf: (p) => {
      for (let n = p.length; n >= 0; n--) {
        const node = doc.getIn(p.slice(0, n) as unknown[], true) as { range?: [number, number, number] } | undefined;
        if (node && typeof node === 'object' && node.range) return lineCounter.linePos(node.range[0]).line;
      }
      return undefined;
    },
  };
}

function paths(v: unknown, prefix: PropertyKey[] = [], out: PropertyKey[][] = []): PropertyKey[][] {
  out.push(prefix);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...prefix, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...prefix, k], out);
  return out;
}

function expectSameAsYaml(text: string): void {
  const simple = parseSimpleYaml(text);
  const reference = viaYaml(text);
  expect(simple.value).toEqual(reference.value);
  for (const p of [...paths(reference.value), ['no_such_key'], ['models', 99, 'name']]) expect(simple.nodeLine(p), JSON.stringify(p)).toBe(reference.lineOf(p));
}

function ymlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? ymlFiles(path.join(dir, e.name)) : e.name.endsWith('.yml') ? [path.join(dir, e.name)] : []));
}

describe('parseSimpleYaml', () => {
  it.each(ymlFiles(path.join(packageRoot(), 'models')).map((f) => path.relative(packageRoot(), f)))('reads %s as yaml does, values and lines', (file) => {
    expectSameAsYaml(readFileSync(path.join(packageRoot(), file), 'utf8'));
  });

  it('reads nested block and flow collections, quoted and typed scalars, and block scalars as yaml does', () => {
    expectSameAsYaml(`# leading comment
version: 2
models:
  - name: m
    description: "A \\"quoted\\" one" # trailing comment
    meta: {owner: 'o''k', tier: 1, tags: [a, "b c", 2.5], nested: {deep: [1, {x: y}]}}
    columns:
    - name: id
      tests:
        - unique
        - accepted_values: {values: [a, b]}
        - relationships: {to: "ref('parent')", field: id}
      description: >-
        Folded onto
        one line.
  - name: n
    description: |
      Kept
      as lines.

    other: ~
sources:
  - name: raw
    freshness:
      warn_after: {count: 36, period: hour}
    enabled: true
    ratio: -1.5e3
    plain: a, b and c - d
`);
  });

  it.each([
    ['an anchor', 'a: &x 1\nb: *x\n'],
    ['a tag', 'a: !str 1\n'],
    ['a multi-line plain scalar', 'a: one\n  two\n'],
    ['an empty value', 'a:\nb: 1\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a nested mapping on one line', 'a: b: c\n'],
    ['a hexadecimal number', 'a: 0x1F\n'],
    ['a document marker', '---\na: 1\n'],
    ['a tab', 'a:\t1\n'],
  ])('leaves %s to yaml', (_what, text) => {
    expect(() => parseSimpleYaml(text)).toThrow(YamlSubsetError);
  });
});

describe('readYaml', () => {
  it('reports yaml syntax problems at their line for text outside the subset', () => {
    const read = readYaml('bad.yml', 'version: 2\nmodels:\n  - name: [unclosed\n');
    expect(read.value).toBeNull();
    expect(read.problems).toHaveLength(1);
    expect(read.problems[0]).toMatch(/^bad\.yml:\d+: /);
  });
});
