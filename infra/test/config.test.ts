import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { availabilityZones, lakeBucketName } from '../src/config/environment-config.js';
import { InfraConfigError, loadEnvironments, parseEnvironments } from '../src/config/load-environments.js';
import { fullEnvironment, minimalEnvironment, postgresEnvironment, postgresExampleEnvironments } from './support/environments.js';
import { INFRA_DIR } from './support/synth.js';

function problemsOf(environments: unknown[]): string[] {
  try {
    parseEnvironments({ environments });
  } catch (error) {
    expect(error).toBeInstanceOf(InfraConfigError);
    return [...(error as InfraConfigError).problems];
  }
  throw new Error('expected the configuration to be rejected');
}

describe('environment config', () => {
  it('accepts the shipped config/environments.json (dev and prod), schedules disabled until the deploy steps enable them', () => {
    const envs = loadEnvironments(path.join(INFRA_DIR, 'config', 'environments.json'));
    expect(envs.map((e) => e.name)).toEqual(['dev', 'prod']);
    expect(envs.map((e) => e.schedule.enabled)).toEqual([false, false]);
  });

  it('rejects a field the schema does not know, at any depth, instead of ignoring it', () => {
    const env = fullEnvironment({ network: { maxAzs: 2, natGateways: 1 }, alarmEmails: 'a@example.com' });
    expect(problemsOf([{ ...env, lake: { ...(env.lake as object), prefx: 'lake' } }])).toEqual([
      'environments[0].lake: Unrecognized key: "prefx"',
      'environments[0].network: Unrecognized key: "maxAzs"',
      'environments[0]: Unrecognized key: "alarmEmails"',
    ]);
  });

  it('fills the documented defaults', () => {
    const [env] = parseEnvironments({ environments: [minimalEnvironment({ lake: { bucketNamePrefix: 'gmp-lake' } })] });
    expect(env).toMatchObject({
      lake: { prefix: 'lake', encryption: 'kms', noncurrentVersionExpirationDays: 30, abortIncompleteMultipartUploadDays: 7, accessLogExpirationDays: 365 },
      task: { cpu: 1024, memoryMiB: 2048 },
      network: { natGateways: 1, stateDatabasePort: 5432 },
      logRetentionDays: 90,
      cdkBootstrapQualifier: 'hnb659fds',
      snowflake: {},
    });
    expect(env?.github).toBeUndefined();
    expect(availabilityZones(env!)).toEqual(['us-east-2a', 'us-east-2b']);
    expect(lakeBucketName(env!)).toBe('gmp-lake-minimal-210987654321-us-east-2');
  });

  it('turns the event path on by default, on demand, with one write key', () => {
    const [env] = parseEnvironments({ environments: [minimalEnvironment()] });
    expect(env?.events).toEqual({ enabled: true, retentionHours: 24, writeKeys: ['default'], ratePerSecond: 500, burst: 1000, bufferSeconds: 300, bufferMiB: 64 });
  });

  it('rejects write keys named twice or not as API key names, and a Firehose buffer it does not offer', () => {
    expect(problemsOf([fullEnvironment({ events: { writeKeys: ['game', 'game'], bufferSeconds: 30 } })])).toEqual([
      'environments[0].events.writeKeys: must not name a key twice',
      'environments[0].events.bufferSeconds: Too small: expected number to be >=60 (got 30)',
    ]);
    expect(problemsOf([fullEnvironment({ events: { writeKeys: ['Game Client'] } })])).toEqual([
      'environments[0].events.writeKeys[0]: must be 1-40 lowercase letters, digits or hyphens (got "Game Client")',
    ]);
  });

  it('rejects a bad account id, naming the field and the value', () => {
    expect(problemsOf([fullEnvironment({ account: '12345' })])).toEqual([
      'environments[0].account: must be a 12-digit AWS account id (got "12345")',
    ]);
  });

  it.each(['eu-west', 'EU-WEST-1', 'europe-west1', 'us-east-1a'])('rejects the region %j', (region) => {
    expect(problemsOf([fullEnvironment({ region })])).toEqual([
      `environments[0].region: must be an AWS region code such as eu-west-1 or us-east-1 (got "${region}")`,
    ]);
  });

  it('accepts GovCloud and China regions', () => {
    for (const region of ['us-gov-west-1', 'cn-north-1', 'ap-southeast-5']) {
      expect(() => parseEnvironments({ environments: [minimalEnvironment({ region })] })).not.toThrow();
    }
  });

  it('reports every problem at once, across environments', () => {
    const problems = problemsOf([
      fullEnvironment({ account: 'abc', alarmEmail: 'not-an-email' }),
      minimalEnvironment({ region: 'moon-1', logRetentionDays: 42 }),
    ]);
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toContain('environments[0].account');
    expect(problems.join('\n')).toContain('environments[0].alarmEmail: must be an email address (got "not-an-email")');
    expect(problems.join('\n')).toContain('environments[1].region');
    expect(problems.join('\n')).toMatch(/environments\[1\]\.logRetentionDays: must be one of CloudWatch's retention periods: 1, 3, 5.* \(got 42\)/);
  });

  it('says which field is missing', () => {
    const { warehouse: _w, ...withoutWarehouse } = fullEnvironment();
    expect(problemsOf([withoutWarehouse])).toEqual([expect.stringMatching(/^environments\[0\]\.warehouse: .*expected object/)]);
  });

  it('rejects a warehouse URL that carries a user or password (gmp refuses those too)', () => {
    for (const url of ['snowflake://GMP:hunter2@acct/GMP', 'snowflake://GMP@acct/GMP']) {
      expect(problemsOf([fullEnvironment({ warehouse: { url, user: 'GMP', auth: 'password' } })])).toEqual([
        `environments[0].warehouse.url: must not contain a user or password: the user is warehouse.user, the secret lives in Secrets Manager (got "${url}")`,
      ]);
    }
  });

  it.each([
    'snowflake://acct.snowflakecomputing.com:443/GMP',
    'snowflake://acct',
    'snowflake://acct/GMP?warehouse=WH&schema=X',
    'snowflake://acct/"quoted db"',
    'duckdb:///tmp/w.duckdb',
  ])('rejects the warehouse URL %j, which gmp could not parse', (url) => {
    expect(problemsOf([fullEnvironment({ warehouse: { url, user: 'GMP', auth: 'password' } })])).toEqual([
      `environments[0].warehouse.url: must look like snowflake://<account>/<database>[/<schema>]?warehouse=<wh>&role=<role> (got ${JSON.stringify(url)})`,
    ]);
  });

  it('accepts the warehouse URL shapes gmp documents', () => {
    for (const url of ['snowflake://xy12345.eu-west-1/GAME_MARKET?warehouse=TRANSFORMING&role=GMP', 'snowflake://myorg-analytics/GMP/STAGING', 'snowflake://acct/GMP?role=R']) {
      expect(() => parseEnvironments({ environments: [fullEnvironment({ warehouse: { url, user: 'GMP', auth: 'password' } })] })).not.toThrow();
    }
  });

  it('allows a key passphrase only with key-pair authentication', () => {
    expect(problemsOf([fullEnvironment({ warehouse: { url: 'snowflake://acct/GMP', user: 'GMP', auth: 'password', keyPassphrase: true } })])).toEqual([
      'environments[0].warehouse.keyPassphrase: applies to key-pair authentication only',
    ]);
  });

  it('reads a warehouse without engine as Snowflake, so configs written before the postgres option stay valid', () => {
    const [env] = parseEnvironments({ environments: [minimalEnvironment()] });
    expect(env?.warehouse.engine).toBe('snowflake');
  });

  it('fills the Postgres warehouse defaults: an RDS instance, protected, reader gmp_reader, no BI network', () => {
    const [env] = parseEnvironments({ environments: [postgresEnvironment()] });
    expect(env?.warehouse).toEqual({
      engine: 'postgres',
      kind: 'instance',
      instanceClass: 't4g.medium',
      allocatedStorageGiB: 20,
      multiAz: false,
      database: 'gmp',
      user: 'gmp',
      port: 5432,
      reader: 'gmp_reader',
      backupRetentionDays: 7,
      deletionProtection: true,
      biAccess: { cidrs: [], securityGroupIds: [] },
    });
    const [aurora] = parseEnvironments({ environments: [postgresEnvironment({ warehouse: { kind: 'aurora-serverless' } })] });
    expect(aurora?.warehouse).toMatchObject({ kind: 'aurora-serverless', minCapacity: 0.5, maxCapacity: 4, multiAz: false, deletionProtection: true });
  });

  it('accepts the shipped Postgres example (an instance and an Aurora Serverless cluster)', () => {
    const envs = parseEnvironments({ environments: postgresExampleEnvironments() }, 'config/environments.postgres-example.json');
    expect(envs.map((e) => [e.name, e.warehouse.engine, e.warehouse.engine === 'postgres' ? e.warehouse.kind : undefined, e.schedule.enabled])).toEqual([
      ['pgdev', 'postgres', 'instance', false],
      ['pgprod', 'postgres', 'aurora-serverless', false],
    ]);
  });

  it('rejects an engine it does not offer, and a field of the other kind of Postgres database', () => {
    expect(problemsOf([minimalEnvironment({ warehouse: { engine: 'duckdb' } })])).toEqual(['environments[0].warehouse.engine: must be "snowflake" (the default) or "postgres" (got "duckdb")']);
    expect(problemsOf([postgresEnvironment({ warehouse: { kind: 'aurora' } })])).toEqual(['environments[0].warehouse.kind: must be "instance" (the default) or "aurora-serverless" (got "aurora")']);
    expect(problemsOf([postgresEnvironment({ warehouse: { kind: 'aurora-serverless', instanceClass: 'r7g.large' } })])).toEqual(['environments[0].warehouse: Unrecognized key: "instanceClass"']);
    expect(problemsOf([postgresEnvironment({ warehouse: { minCapacity: 0 } })])).toEqual(['environments[0].warehouse: Unrecognized key: "minCapacity"']);
    expect(problemsOf([postgresEnvironment({ warehouse: { url: 'postgres://gmp:secret@db/gmp' } })])).toEqual(['environments[0].warehouse: Unrecognized key: "url"']);
  });

  it('rejects Postgres settings RDS or Aurora would refuse', () => {
    expect(
      problemsOf([
        postgresEnvironment({ warehouse: { user: 'postgres', port: 80, instanceClass: 'db.t4g.medium' } }),
        postgresEnvironment({ name: 'aurora', warehouse: { kind: 'aurora-serverless', maxCapacity: 4.25 } }),
      ]),
    ).toEqual([
      'environments[0].warehouse.user: is reserved by RDS; choose another name such as gmp (got "postgres")',
      'environments[0].warehouse.port: Too small: expected number to be >=1150 (got 80)',
      'environments[0].warehouse.instanceClass: must be an RDS instance class without "db.", such as t4g.medium (got "db.t4g.medium")',
      'environments[1].warehouse.maxCapacity: Invalid number: must be a multiple of 0.5 (got 4.25)',
    ]);
    expect(problemsOf([postgresEnvironment({ warehouse: { allocatedStorageGiB: 50, maxAllocatedStorageGiB: 40 } })])).toEqual([
      'environments[0].warehouse.maxAllocatedStorageGiB: must exceed allocatedStorageGiB (50) (got 40)',
    ]);
    expect(problemsOf([postgresEnvironment({ warehouse: { kind: 'aurora-serverless', minCapacity: 8, maxCapacity: 4 } })])).toEqual([
      'environments[0].warehouse.maxCapacity: must be at least minCapacity (8) (got 4)',
    ]);
  });

  it('rejects BI access open to every address, or not naming a network or security group', () => {
    expect(problemsOf([postgresEnvironment({ warehouse: { biAccess: { cidrs: ['0.0.0.0/0', '10.0.0.0/33'], securityGroupIds: ['default'] } } })])).toEqual([
      'environments[0].warehouse.biAccess.cidrs[0]: must not open the warehouse to every address (got "0.0.0.0/0")',
      'environments[0].warehouse.biAccess.cidrs[1]: must be an IPv4 CIDR such as 10.50.0.0/16 (got "10.0.0.0/33")',
      'environments[0].warehouse.biAccess.securityGroupIds[0]: must be a security group id such as sg-0123456789abcdef0 (got "default")',
    ]);
  });

  it('rejects Snowflake role settings for a Postgres warehouse (they would configure nothing)', () => {
    expect(problemsOf([postgresEnvironment({ snowflake: { externalId: 'MYACCOUNT_SFCRole=2_abc' } })])).toEqual([
      'environments[0].snowflake: applies to warehouse.engine "snowflake" only (no Snowflake role is created for a postgres warehouse)',
    ]);
  });

  it('rejects a bucket name longer than S3 allows', () => {
    const [problem] = problemsOf([fullEnvironment({ name: 'very-long-name1', lake: { bucketNamePrefix: 'a-rather-long-prefix' }, region: 'ap-southeast-2' })]);
    expect(problem).toMatch(/^environments\[0\]\.lake\.bucketNamePrefix: makes the bucket name "a-rather-long-prefix-very-long-name1-123456789012-ap-southeast-2" 64 characters long; S3 allows 63/);
  });

  it('rejects zones outside the region and more NAT gateways than zones', () => {
    const problems = problemsOf([minimalEnvironment({ network: { availabilityZones: ['us-east-2a', 'us-west-2b'], natGateways: 3 } })]);
    expect(problems).toEqual([
      'environments[0].network.availabilityZones[1]: is not in region us-east-2 (got "us-west-2b")',
      'environments[0].network.natGateways: cannot exceed the 2 availability zones (got 3)',
    ]);
  });

  it('rejects a CPU/memory pair Fargate does not offer', () => {
    expect(problemsOf([minimalEnvironment({ task: { cpu: 256, memoryMiB: 4096 } })])).toEqual([
      'environments[0].task.memoryMiB: is not a Fargate CPU/memory combination (e.g. 1024 CPU with 2048-8192 MiB) (got 4096)',
    ]);
  });

  it('rejects duplicate environment names', () => {
    expect(problemsOf([minimalEnvironment(), minimalEnvironment({ account: '111122223333' })])).toEqual([
      'environments[1].name: "minimal" is used by two environments (got "minimal")',
    ]);
  });

  it('rejects two environments creating the GitHub OIDC provider in one account', () => {
    const github = { repo: 'o/r' };
    expect(problemsOf([fullEnvironment({ name: 'a', github }), fullEnvironment({ name: 'b', github })])).toEqual([
      'environments[1].github.oidcProviderArn: must be set: environment "a" already creates the GitHub OIDC provider in account 123456789012',
    ]);
    const existing = { repo: 'o/r', oidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com' };
    expect(() => parseEnvironments({ environments: [fullEnvironment({ name: 'a', github }), fullEnvironment({ name: 'b', github: existing })] })).not.toThrow();
  });

  it('rejects a GitHub branch with wildcards (the trust must name one branch)', () => {
    expect(problemsOf([fullEnvironment({ github: { repo: 'o/r', branch: 'release/*' } })])).toEqual([
      'environments[0].github.branch: must be a branch name without wildcards (got "release/*")',
    ]);
  });

  it('rejects an empty environments list', () => {
    expect(problemsOf([])).toEqual(['environments: must name at least one environment']);
  });

  it('names the file when it is not JSON', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'gmp-config-')), 'environments.json');
    writeFileSync(file, '{ "environments": [ ');
    try {
      expect(() => loadEnvironments(file)).toThrow(new RegExp(`invalid infra configuration in ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\n  - cannot read the file as JSON`));
    } finally {
      rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });
});
