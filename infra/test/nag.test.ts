import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGmpApp } from '../src/app/create-gmp-app.js';
import { loadEnvironments, parseEnvironments } from '../src/config/load-environments.js';
import { fullEnvironment, minimalEnvironment, postgresEnvironment, postgresExampleEnvironments } from './support/environments.js';
import { INFRA_DIR, REPO_ROOT, synthesize, type Synthesized } from './support/synth.js';

// The shipped configs plus every optional branch (KMS and SSE-S3, password and key pair, GitHub
// with a new and an existing provider, an encrypted key pair, both kinds of Postgres warehouse,
// protected or not, single- or multi-zone), with CDK's own CloudFormation validation switched on.
let synth: Synthesized;
beforeAll(() => {
  const shipped = JSON.parse(readFileSync(path.join(INFRA_DIR, 'config', 'environments.json'), 'utf8')) as { environments: unknown[] };
  synth = synthesize(
    [
      ...shipped.environments,
      fullEnvironment(),
      minimalEnvironment(),
      fullEnvironment({
        name: 'shared',
        warehouse: { url: 'snowflake://acct/GMP', user: 'GMP', auth: 'key-pair', keyPassphrase: true },
        github: { repo: 'o/r', oidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com' },
      }),
      ...postgresExampleEnvironments(),
      postgresEnvironment({ warehouse: { multiAz: true, biAccess: { securityGroupIds: ['sg-0123456789abcdef0'] } } }),
      postgresEnvironment({ name: 'pgaurora', warehouse: { kind: 'aurora-serverless', deletionProtection: false } }),
    ],
    { builtinCloudFormationValidation: true },
  );
});
afterAll(() => synth.dispose());

interface Suppression {
  template: string;
  logicalId: string;
  id: string;
  reason: string;
}

function suppressions(): Suppression[] {
  const out: Suppression[] = [];
  for (const file of readdirSync(synth.outdir).filter((f) => f.endsWith('.template.json'))) {
    const template = JSON.parse(readFileSync(path.join(synth.outdir, file), 'utf8')) as {
      Resources: Record<string, { Metadata?: { cdk_nag?: { rules_to_suppress: { id: string; reason: string }[] } } }>;
    };
    for (const [logicalId, r] of Object.entries(template.Resources)) {
      for (const { id, reason } of r.Metadata?.cdk_nag?.rules_to_suppress ?? []) out.push({ template: file, logicalId, id, reason });
    }
  }
  return out;
}

// Every acknowledged finding, by rule and the resources it sits on (logical-id prefixes). A new
// acknowledgement fails this test until it is listed here, where a reviewer sees it.
const EXPECTED_ACKNOWLEDGEMENTS: Record<string, RegExp> = {
  'AwsSolutions-S1': /^LakeAccessLogs/,
  'AwsSolutions-SMG4': /^Secrets(RawgApiKey|SnowflakeCredential|SnowflakeKeyPassphrase|StateUrl|WarehouseReaderPassword)/,
  // The Postgres warehouse: single zone when multiAz is false, passwords rather than IAM tokens,
  // the port BI tools expect, unprotected only when the config says so.
  'AwsSolutions-RDS3': /^WarehouseInstance[0-9A-F]{8}$/,
  'AwsSolutions-RDS6': /^WarehouseCluster[0-9A-F]{8}$/,
  'AwsSolutions-RDS10': /^Warehouse(Instance|Cluster)[0-9A-F]{8}$/,
  'AwsSolutions-RDS11': /^Warehouse(Instance|Cluster)[0-9A-F]{8}$/,
  'AwsSolutions-ECS2': /^TaskTaskDefinition[0-9A-F]{8}$/,
  'AwsSolutions-IAM5[Resource::*]': /^TaskTaskDefinitionExecutionRole/,
  'AwsSolutions-IAM5[Resource::arn:aws:s3:::<lake bucket>/<prefix>/*]': /^(TaskTaskDefinitionTaskRole|SnowflakeLakeReaderRole|EventDeliveryRole)/,
  'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:*]': /^EventApiCloudWatchRole/,
  // Write keys (API keys) are the senders' credentials; no WAF in front of a Kinesis-only API.
  'AwsSolutions-APIG3': /^EventApiDeploymentStageapi/,
  'AwsSolutions-APIG4': /^EventApiv1(batch|track)POST/,
  'AwsSolutions-COG4': /^EventApiv1(batch|track)POST/,
  'AwsSolutions-KDF1': /^EventDeliveryDeliveryStream/,
  'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]': /^AlertsTaskFailedEventsRole/,
  'AwsSolutions-SQS3': /^DailyRunDeadLetterQueue/,
  'CloudFormation-Validate::W3010': /^NetworkVpc/,
  // Acknowledged by aws-cdk-lib itself on every flow log (its camelCase DestinationOptions).
  'CloudFormation-Validate::F3002': /^NetworkVpcFlowLog/,
  'CloudFormation-Validate::F3003': /^NetworkVpcFlowLog/,
};

const byRule = (id: string): string => id.replace(/^AwsSolutions-IAM5\[Resource::arn:aws:s3:::[a-z0-9-]+\/[a-z0-9/_-]+\/\*\]$/, 'AwsSolutions-IAM5[Resource::arn:aws:s3:::<lake bucket>/<prefix>/*]');

describe('cdk-nag (AwsSolutions) and CloudFormation validation', () => {
  it('leave no unacknowledged finding of any severity', () => {
    const findings = synth.validationReport.pluginReports.flatMap((report) =>
      report.violations.map((v) => `${report.pluginName} ${v.severity ?? 'error'} ${v.ruleName}: ${v.violatingConstructs.map((c) => c.constructPath).join(', ')}`),
    );
    expect(findings).toEqual([]);
  });

  it('leave no CDK warning or error annotation on any stack', () => {
    // Annotations.fromStack would re-synthesize the app per stack; the assembly holds the same messages.
    const assembly = new CloudAssembly(synth.outdir);
    expect(assembly.stacks).toHaveLength(synth.byName.size * 2);
    const messages = assembly.stacks.flatMap((s) => s.messages.filter((m) => m.level !== 'info').map((m) => `${s.stackName} ${m.level} ${m.id}: ${String(m.entry.data)}`));
    expect(messages).toEqual([]);
  });

  it('acknowledge exactly the listed findings, on the listed resources only', () => {
    const found = suppressions();
    expect([...new Set(found.map((s) => byRule(s.id)))].sort()).toEqual(Object.keys(EXPECTED_ACKNOWLEDGEMENTS).sort());
    for (const s of found) expect(s.logicalId, `${s.id} in ${s.template}`).toMatch(EXPECTED_ACKNOWLEDGEMENTS[byRule(s.id)]!);
  });

  it('give every acknowledgement a specific reason', () => {
    const reasons = new Map<string, Set<string>>();
    for (const s of suppressions()) reasons.set(byRule(s.id), (reasons.get(byRule(s.id)) ?? new Set()).add(s.reason));
    const listing = [...reasons].map(([id, r]) => `${id}: ${[...r].join(' | ')}`).sort();
    // The listing is the audit trail an operator reads; print it with the test run.
    console.log(`acknowledged findings:\n${listing.join('\n')}`);
    for (const [id, set] of reasons) {
      for (const reason of set) {
        expect(reason.length, `${id}: ${reason}`).toBeGreaterThanOrEqual(40);
        expect(reason, id).not.toMatch(/^(n\/?a|todo|ok|fine|not needed|suppressed)\b/i);
      }
    }
    // Each kind of secret explains its own rotation: RAWG key, Snowflake password, private key,
    // key passphrase, state URL, Postgres reader password.
    expect(reasons.get('AwsSolutions-SMG4')?.size).toBe(6);
  });

  it('is really checking: an unencrypted, non-TLS, unlogged bucket fails synthesis with AwsSolutions findings', () => {
    const configs = parseEnvironments({ environments: [minimalEnvironment()] });
    const { app, stacks } = createGmpApp(configs, { imageDirectory: REPO_ROOT, builtinCloudFormationValidation: false, context: { 'aws:cdk:disable-asset-staging': true } });
    new s3.Bucket(stacks[0]!.stateful as Stack, 'CarelessBucket', { enforceSSL: false });
    expect(() => app.synth()).toThrow(/AwsSolutions-S1[\s\S]*CarelessBucket|CarelessBucket[\s\S]*AwsSolutions-S1/);
    expect(() => app.synth({ force: true })).toThrow(/AwsSolutions-S10/);
  });

  it('acknowledges a single-zone instance only when the config asks for one', () => {
    const rds3 = suppressions().filter((s) => s.id === 'AwsSolutions-RDS3').map((s) => s.template);
    expect(rds3.sort()).toEqual(['gmp-pgdev-runtime.template.json']);
    const rds10 = suppressions().filter((s) => s.id === 'AwsSolutions-RDS10').map((s) => s.template);
    expect(rds10.sort()).toEqual(['gmp-pgaurora-runtime.template.json', 'gmp-pgdev-runtime.template.json']);
  });

  it('covers the shipped configurations', () => {
    const shipped = ['environments.json', 'environments.postgres-example.json'].flatMap((f) => loadEnvironments(path.join(INFRA_DIR, 'config', f)).map((e) => e.name));
    for (const name of shipped) expect(synth.byName.has(name)).toBe(true);
  });
});
