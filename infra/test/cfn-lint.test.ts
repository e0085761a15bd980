import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cfnLint, type CfnLintMatch } from './support/cfn-lint.js';
import { fullEnvironment, minimalEnvironment, postgresEnvironment, postgresExampleEnvironments } from './support/environments.js';
import { INFRA_DIR, synthesize, type Synthesized } from './support/synth.js';

// Warnings accepted on purpose, each with its reason; anything else fails.
const ACCEPTED_WARNINGS: Record<string, { reason: string; resource: RegExp }> = {
  W3010: {
    reason: 'the VPC names its zones (config network.availabilityZones) so synthesis needs no AWS lookup',
    resource: /^NetworkVpc/,
  },
  W3005: {
    reason: "aws-cdk-lib's own custom resource provider (restricting the default security group) states a DependsOn that a GetAtt already implies",
    resource: /^CustomVpcRestrictDefaultSGCustomResourceProvider/,
  },
};

let synth: Synthesized;
let findings: CfnLintMatch[];
let brokenFindings: CfnLintMatch[];
let linted: string[];
let lintError: Error | undefined;
const BROKEN = 'broken.template.json';
beforeAll(() => {
  const shipped = JSON.parse(readFileSync(path.join(INFRA_DIR, 'config', 'environments.json'), 'utf8')) as { environments: unknown[] };
  synth = synthesize([
    ...shipped.environments,
    ...postgresExampleEnvironments(),
    fullEnvironment(),
    minimalEnvironment(),
    postgresEnvironment({ warehouse: { kind: 'aurora-serverless', minCapacity: 0, port: 6432, biAccess: { cidrs: ['10.50.0.0/16'] } } }),
  ]);
  // One cfn-lint run (it starts slowly): every template against every region in use, plus a
  // deliberately broken template that proves errors are read.
  const regions = [...new Set([...synth.byName.values()].map((e) => e.stacks.config.region))];
  const templates = [...synth.byName.values()].flatMap((e) => [e.stacks.stateful.templateFile, e.stacks.runtime.templateFile]);
  writeFileSync(path.join(synth.outdir, BROKEN), JSON.stringify({ Resources: { Lake: { Type: 'AWS::S3::Bucket', Properties: { VersioningConfiguration: { Status: 'On' } } } } }));
  linted = templates;
  try {
    const all = cfnLint([...templates, BROKEN], regions, synth.outdir);
    brokenFindings = all.filter((f) => f.Filename === BROKEN);
    findings = all.filter((f) => f.Filename !== BROKEN);
  } catch (error) {
    // Kept for every test to rethrow: a missing cfn-lint fails each test, it never skips them.
    lintError = error as Error;
  }
});
afterAll(() => synth.dispose());

function lint(): { findings: CfnLintMatch[]; brokenFindings: CfnLintMatch[] } {
  if (lintError !== undefined) throw lintError;
  return { findings, brokenFindings };
}

describe('cfn-lint on the synthesized templates', () => {
  it('lints every template of every environment', () => {
    const written = readdirSync(synth.outdir).filter((f) => f.endsWith('.template.json') && f !== BROKEN);
    expect(written).toHaveLength(synth.byName.size * 2);
    expect([...linted].sort()).toEqual(written.sort());
    expect(lint().findings.every((f) => linted.includes(f.Filename))).toBe(true);
  });

  it('reports no errors', () => {
    const errors = lint().findings.filter((f) => f.Level === 'Error').map((f) => `${f.Filename} ${f.Rule.Id} ${f.Location.Path.join('/')}: ${f.Message}`);
    expect(errors).toEqual([]);
  });

  it('reports only the accepted warnings, on the resources they are accepted for', () => {
    const unexpected = lint()
      .findings
      .filter((f) => f.Level !== 'Error')
      .filter((f) => {
        const accepted = ACCEPTED_WARNINGS[f.Rule.Id];
        return accepted === undefined || !accepted.resource.test(String(f.Location.Path[1]));
      })
      .map((f) => `${f.Filename} ${f.Level} ${f.Rule.Id} ${f.Location.Path.join('/')}: ${f.Message}`);
    expect(unexpected).toEqual([]);
  });

  it('would catch an error (the harness reads cfn-lint’s findings)', () => {
    expect(lint().brokenFindings.filter((f) => f.Level === 'Error').map((f) => f.Rule.Id)).toContain('E3030');
  });
});
