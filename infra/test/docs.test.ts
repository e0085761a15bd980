import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ENVIRONMENTS_SCHEMA } from '../src/config/environment-config.js';
import { fullEnvironment, minimalEnvironment, postgresExampleEnvironments } from './support/environments.js';
import { INFRA_DIR, REPO_ROOT, synthesize } from './support/synth.js';

// The two texts an operator deploys from — this package's README and USER_MANUAL.md's "Deploying to
// AWS" — checked against the app itself, so a renamed stack, secret, output or config field, or a
// reordered step, fails here rather than at 3 a.m.
const readme = readFileSync(path.join(INFRA_DIR, 'README.md'), 'utf8');
const manualText = readFileSync(path.join(REPO_ROOT, 'USER_MANUAL.md'), 'utf8');
const manual = between(manualText, '\n## Deploying to AWS', '\n## ');
const docs = [
  ['infra/README.md', readme],
  ["USER_MANUAL.md's Deploying to AWS", manual],
] as const;
const sample = JSON.parse(readFileSync(path.join(INFRA_DIR, 'config', 'environments.json'), 'utf8')) as { environments: Record<string, unknown>[] };

// The samples, plus the branches they do not use: password login, an encrypted key.
const synth = synthesize([
  ...sample.environments,
  ...postgresExampleEnvironments(),
  fullEnvironment(),
  minimalEnvironment({ warehouse: { url: 'snowflake://xy12345.us-east-2/GMP', user: 'gmp', auth: 'key-pair', keyPassphrase: true } }),
]);
afterAll(() => synth.dispose());
const environments = [...synth.byName.values()];
const templates = environments.flatMap((e) => [e.stateful.toJSON(), e.runtime.toJSON()] as Template[]);

interface Template {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
  Outputs?: Record<string, unknown>;
}

/** The text from the line starting with `start` up to the next `end` (or the end). */
function between(text: string, start: string, end: string): string {
  const from = text.indexOf(start);
  if (from < 0) throw new Error(`no "${start.trim()}" in the text`);
  const to = text.indexOf(end, from + start.length);
  return text.slice(from, to < 0 ? undefined : to);
}

/** Every string in a template, at any depth. */
function strings(node: unknown): string[] {
  if (typeof node === 'string') return [node];
  if (Array.isArray(node)) return node.flatMap(strings);
  if (node !== null && typeof node === 'object') return Object.values(node).flatMap(strings);
  return [];
}

/** The dotted paths of every field of one environment (of every option of a union), and whether each is a leaf. */
function fieldPaths(schema: z.ZodType, prefix = ''): { path: string; leaf: boolean }[] {
  let inner: z.ZodType = schema;
  while (inner instanceof z.ZodDefault || inner instanceof z.ZodOptional) inner = inner.unwrap() as z.ZodType;
  if (inner instanceof z.ZodUnion) {
    const byPath = new Map<string, boolean>();
    for (const option of inner.options as z.ZodType[]) for (const f of fieldPaths(option, prefix)) byPath.set(f.path, (byPath.get(f.path) ?? true) && f.leaf);
    return [...byPath].map(([path, leaf]) => ({ path, leaf }));
  }
  if (!(inner instanceof z.ZodObject)) return [];
  return Object.entries(inner.shape as Record<string, z.ZodType>).flatMap(([key, field]) => {
    const fieldPath = prefix === '' ? key : `${prefix}.${key}`;
    const children = fieldPaths(field, fieldPath);
    return [{ path: fieldPath, leaf: children.length === 0 }, ...children];
  });
}
const fields = fieldPaths(ENVIRONMENTS_SCHEMA.shape.environments.element);
const topLevel = fields.filter((f) => !f.path.includes('.')).map((f) => f.path);

/** The top-level numbered steps of a list, each with its continuation lines. */
function numberedSteps(text: string): string[] {
  const steps: string[] = [];
  for (const line of text.split('\n')) {
    if (/^\d+\. /.test(line)) steps.push(line);
    else if (steps.length > 0 && /^\s+\S/.test(line)) steps[steps.length - 1] += `\n${line}`;
  }
  return steps.map((s) => s.replace(/\s+/g, ' '));
}

describe('the deploy docs', () => {
  it('name only stacks, resources and secrets the app creates (gmp-<env>…, gmp/<env>/…)', () => {
    const namesOf = new Map(environments.map((e) => [e.stacks.config.name, new Set([e.stacks.stateful.stackName, e.stacks.runtime.stackName, ...strings(e.stateful.toJSON()), ...strings(e.runtime.toJSON())])]));
    for (const [where, text] of docs) {
      const mentioned = new Set([...text.matchAll(/\bgmp[-/](?:<env>|<name>|dev|prod)(?:[-/][a-z0-9-]*[a-z0-9])?/g)].map((m) => m[0]));
      expect(mentioned.size, where).toBeGreaterThan(8);
      for (const name of mentioned) {
        const generic = /<env>|<name>/.test(name);
        const found = [...namesOf].some(([env, names]) => (generic ? names.has(name.replace(/<env>|<name>/, env)) : names.has(name)));
        expect(found, `${where} names ${name}, which no synthesized environment creates`).toBe(true);
      }
    }
  });

  it('name only stack outputs the templates have', () => {
    const outputs = new Set(templates.flatMap((t) => Object.keys(t.Outputs ?? {})));
    for (const [where, text] of docs) {
      const named = [
        ...[...text.matchAll(/stack\s+outputs?\s+`(\w+)`(?:\s+and\s+`(\w+)`)?/g)].flatMap((m) => m.slice(1)),
        ...[...text.matchAll(/<([A-Z][A-Za-z]+)>/g)].map((m) => m[1]),
      ].filter((n): n is string => n !== undefined);
      expect(named.length, where).toBeGreaterThanOrEqual(3);
      for (const name of named) expect(outputs, `${where} names the stack output ${name}`).toContain(name);
    }
  });

  it('name only config fields the schema has, and document every one', () => {
    for (const [where, text] of docs) {
      const dotted = [...text.matchAll(/`([a-z][A-Za-z]*(?:\.[a-z][A-Za-z]*)+)(?::[^`]*)?`/g)].map((m) => m[1]!);
      const known = new Set(fields.map((f) => f.path));
      // Dotted words that are not config paths: file names and the like.
      for (const name of dotted.filter((d) => !/\.(json|ts|md|out)$/.test(d) && topLevel.includes(d.split('.')[0]!))) {
        expect(known, `${where} names the config field ${name}`).toContain(name);
      }
      const mentions = new Set([...text.matchAll(/`([a-zA-Z][\w.]*)(?::[^`]*)?`/g)].map((m) => m[1]!.split('.')[0]!));
      for (const field of topLevel) expect(mentions, `${where} documents the config field ${field}`).toContain(field);
    }
    // The README's table documents every leaf, dotted or by its last name after the first of a row.
    const table = between(readme, '| field | meaning |', '\n\n');
    const cells = new Set([...table.matchAll(/`([a-zA-Z][\w.]*)`/g)].flatMap((m) => [m[1]!, m[1]!.split('.').at(-1)!]));
    for (const { path: leaf } of fields.filter((f) => f.leaf)) {
      expect(cells.has(leaf) || cells.has(leaf.split('.').at(-1)!), `infra/README.md's table documents ${leaf}`).toBe(true);
    }
  });

  it('give the same deploy steps, with the same commands in the same step', () => {
    const HEADS = ['npx cdk bootstrap', 'npx cdk deploy', 'aws secretsmanager put-secret-value', 'gmp warehouse setup', 'aws ecs run-task', 'aws logs tail'];
    const commandsOf = (text: string): string[][] => numberedSteps(text).map((step) => HEADS.filter((h) => step.includes(h)));
    const fromReadme = commandsOf(between(readme, '\n## Deploy\n', '\n**From GitHub Actions**'));
    const fromManual = commandsOf(between(manual, '\n**Deploy**', '\n**Alerts.**'));
    expect(fromReadme).toHaveLength(5);
    expect(fromManual).toEqual(fromReadme);
    expect(new Set(fromReadme.flat())).toEqual(new Set(HEADS));
  });

  it('deploy stacks that exist, and override the container the task defines', () => {
    const stacks = new Set(environments.flatMap((e) => [e.stacks.stateful.stackName, e.stacks.runtime.stackName]));
    const containers = new Set(
      templates.flatMap((t) =>
        Object.values(t.Resources)
          .filter((r) => r.Type === 'AWS::ECS::TaskDefinition')
          .flatMap((r) => (r.Properties?.ContainerDefinitions as { Name: string }[]).map((c) => c.Name)),
      ),
    );
    for (const [where, text] of docs) {
      for (const m of text.matchAll(/npx cdk (?:deploy|destroy) (gmp-[\w<>-]+)/g)) {
        const names = [...synth.byName.keys()].map((env) => m[1]!.replace(/<env>|<name>/, env));
        expect(names.some((n) => stacks.has(n)), `${where}: ${m[0]}`).toBe(true);
      }
      const overridden = [...text.matchAll(/"name":"(\w+)"|the container `(\w+)`/g)].map((m) => m[1] ?? m[2]);
      expect(overridden.length, where).toBeGreaterThan(0);
      for (const name of overridden) expect(containers, `${where} overrides the container ${name}`).toContain(name);
    }
  });

  it('name the Lambda runtimes of the templates (AWS Lambda runtimes, not gmp’s Node)', () => {
    const runtimes = new Set(
      templates.flatMap((t) => Object.values(t.Resources).filter((r) => r.Type === 'AWS::Lambda::Function').map((r) => String(r.Properties?.Runtime))),
    );
    expect(runtimes.size).toBeGreaterThan(0);
    for (const [where, text] of docs) {
      const named = new Set([...text.matchAll(/`(nodejs\d+\.x)`/g)].map((m) => m[1]));
      expect(named, where).toEqual(runtimes);
    }
  });

  it('link and name files that exist', () => {
    for (const link of readme.matchAll(/\]\((?!https?:|#)([^)]+)\)/g)) expect(existsSync(path.join(INFRA_DIR, link[1]!)), `infra/README.md links ${link[1]}`).toBe(true);
    const files = [...manual.matchAll(/`(infra\/[\w./-]*)`/g)].map((m) => m[1]!).filter((f) => !f.startsWith('infra/cdk.out'));
    expect(files).toContain('infra/config/environments.json');
    for (const file of files) expect(existsSync(path.join(REPO_ROOT, file)), `USER_MANUAL.md names ${file}`).toBe(true);
  });

  it('ship the samples with every schedule disabled, as both say to deploy first', () => {
    expect(manual).toMatch(/the sample ships\s+`false`/);
    expect(sample.environments.map((e) => (e.schedule as { enabled: boolean }).enabled)).toEqual(sample.environments.map(() => false));
    expect(postgresExampleEnvironments().map((e) => (e.schedule as { enabled: boolean }).enabled)).toEqual([false, false]);
  });
});
