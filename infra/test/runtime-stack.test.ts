import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fullEnvironment, minimalEnvironment } from './support/environments.js';
import { REPO_ROOT, synthesize, type Synthesized, type SynthesizedEnvironment } from './support/synth.js';
import { asArray, logicalIdOf, resource, roleLogicalIdFromArn, statementsOfRole } from './support/template-queries.js';

const EXISTING_PROVIDER = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';

// full: every option; minimal: none (no GitHub, no email, schedule off, SSE-S3, key-pair);
// shared: same account as full, reusing its GitHub OIDC provider; an encrypted key pair.
let synth: Synthesized;
beforeAll(() => {
  synth = synthesize([
    fullEnvironment(),
    minimalEnvironment(),
    fullEnvironment({
      name: 'shared',
      alarmEmail: undefined,
      warehouse: { url: 'snowflake://myorg-acct/GMP', user: 'GMP_SHARED', auth: 'key-pair', keyPassphrase: true },
      github: { repo: 'example-org/gmp-fork', oidcProviderArn: EXISTING_PROVIDER },
    }),
  ]);
});
afterAll(() => synth.dispose());

function container(env: SynthesizedEnvironment): Record<string, any> {
  const taskDef = resource(env.runtime, logicalIdOf(env.runtime, 'AWS::ECS::TaskDefinition'));
  const containers = taskDef.Properties.ContainerDefinitions as Record<string, any>[];
  expect(containers).toHaveLength(1);
  return containers[0]!;
}

/** Follows a weak cross-stack reference to the stateful stack's resource it names. */
function statefulResourceBehind(env: SynthesizedEnvironment, value: unknown): { Type: string; Properties: Record<string, any> } {
  const ref = (value as { 'Fn::GetStackOutput'?: { StackName: string; OutputName: string } })['Fn::GetStackOutput'];
  if (ref === undefined) throw new Error(`not a reference to another stack: ${JSON.stringify(value)}`);
  expect(ref.StackName).toBe(env.stacks.stateful.stackName);
  const output = (env.stateful.toJSON().Outputs as Record<string, { Value: { Ref?: string; 'Fn::GetAtt'?: [string, string] } }>)[ref.OutputName];
  const logicalId = output?.Value.Ref ?? output?.Value['Fn::GetAtt']?.[0];
  if (logicalId === undefined) throw new Error(`output ${ref.OutputName} names no resource`);
  return resource(env.stateful, logicalId);
}

describe('runtime stack: the daily schedule', () => {
  it('runs every day at 03:00 UTC, exactly on time', () => {
    for (const env of ['full', 'minimal']) {
      synth.get(env).runtime.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'cron(0 3 * * ? *)',
        ScheduleExpressionTimezone: 'UTC',
        FlexibleTimeWindow: { Mode: 'OFF' },
      });
    }
  });

  it('is enabled or disabled as the environment says', () => {
    synth.get('full').runtime.hasResourceProperties('AWS::Scheduler::Schedule', { State: 'ENABLED' });
    synth.get('minimal').runtime.hasResourceProperties('AWS::Scheduler::Schedule', { State: 'DISABLED' });
  });

  it('starts one Fargate task of the gmp task definition in the private subnets, without a public IP', () => {
    const t = synth.get('full').runtime;
    const schedule = resource(t, logicalIdOf(t, 'AWS::Scheduler::Schedule'));
    const target = schedule.Properties.Target;
    expect(target.Arn).toEqual({ 'Fn::GetAtt': [logicalIdOf(t, 'AWS::ECS::Cluster'), 'Arn'] });
    expect(target.EcsParameters).toMatchObject({
      TaskDefinitionArn: { Ref: logicalIdOf(t, 'AWS::ECS::TaskDefinition') },
      LaunchType: 'FARGATE',
      TaskCount: 1,
      NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'DISABLED' } },
    });
    const subnets = target.EcsParameters.NetworkConfiguration.AwsvpcConfiguration.Subnets as { Ref: string }[];
    expect(subnets).toHaveLength(2);
    for (const { Ref } of subnets) {
      expect(resource(t, Ref).Properties.Tags).toContainEqual({ Key: 'aws-cdk:subnet-type', Value: 'Private' });
    }
  });

  it('retries refused starts and sends undeliverable ones to a dead-letter queue', () => {
    const t = synth.get('full').runtime;
    const target = resource(t, logicalIdOf(t, 'AWS::Scheduler::Schedule')).Properties.Target;
    expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 });
    expect(target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [logicalIdOf(t, 'AWS::SQS::Queue'), 'Arn'] } });
  });

  it('uses a role only the scheduler of this account can assume, allowed to run this task only', () => {
    const t = synth.get('full').runtime;
    const target = resource(t, logicalIdOf(t, 'AWS::Scheduler::Schedule')).Properties.Target;
    const roleId = roleLogicalIdFromArn(target.RoleArn);
    expect(resource(t, roleId).Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { Service: 'scheduler.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      },
    ]);
    const statements = statementsOfRole(t, roleId);
    expect(statements.map((s) => s.Action)).toEqual(['ecs:RunTask', 'iam:PassRole', 'sqs:SendMessage']);
    expect(statements[0]).toMatchObject({
      Resource: { Ref: logicalIdOf(t, 'AWS::ECS::TaskDefinition') },
      Condition: { ArnEquals: { 'ecs:cluster': { 'Fn::GetAtt': [logicalIdOf(t, 'AWS::ECS::Cluster'), 'Arn'] } } },
    });
    expect(statements[1]).toMatchObject({ Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } } });
  });
});

describe('runtime stack: the task', () => {
  it('runs gmp materialize for yesterday’s rawg/games partition and everything downstream', () => {
    const c = container(synth.get('full'));
    expect(c.EntryPoint).toEqual(['gmp']);
    expect(c.Command).toEqual(['materialize', '--select', 'rawg/games+', '--partition', 'yesterday']);
  });

  it('runs the image built from the repository root Dockerfile, for linux/amd64', () => {
    const env = synth.get('full');
    const c = container(env);
    expect(JSON.stringify(c.Image)).toMatch(/cdk-hnb659fds-container-assets-123456789012-eu-west-1:[0-9a-f]{64}/);
    const assets = JSON.parse(readFileSync(path.join(synth.outdir, `${env.stacks.runtime.artifactId}.assets.json`), 'utf8')) as {
      dockerImages: Record<string, { source: { directory: string; platform?: string } }>;
    };
    const images = Object.values(assets.dockerImages);
    expect(images).toHaveLength(1);
    // Asset staging is off in this test, so the source is the build context itself.
    expect(images[0]?.source).toMatchObject({ directory: REPO_ROOT, platform: 'linux/amd64' });
    expect(existsSync(path.join(REPO_ROOT, 'Dockerfile'))).toBe(true);
    const taskDef = resource(env.runtime, logicalIdOf(env.runtime, 'AWS::ECS::TaskDefinition'));
    expect(taskDef.Properties.RuntimePlatform).toEqual({ CpuArchitecture: 'X86_64', OperatingSystemFamily: 'LINUX' });
  });

  it('uses an image that has gmp on its PATH (the task overrides the entry point with it)', () => {
    const dockerfile = readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/ln -s \/app\/bin\/gmp\.js \/usr\/local\/bin\/gmp/);
  });

  it('gets the lake, warehouse and region as plain variables, with no credential among them', () => {
    expect(container(synth.get('full')).Environment).toEqual([
      { Name: 'GMP_LAKE_URL', Value: 's3://gmp-lake-full-123456789012-eu-west-1/lake' },
      { Name: 'GMP_WAREHOUSE_URL', Value: 'snowflake://myorg-acct/GMP?warehouse=WH&role=GMP' },
      { Name: 'SNOWFLAKE_USER', Value: 'GMP_FULL' },
      { Name: 'SNOWFLAKE_STORAGE_INTEGRATION', Value: 'gmp_full_lake' },
      { Name: 'SNOWFLAKE_STORAGE_AWS_ROLE_ARN', Value: 'arn:aws:iam::123456789012:role/gmp-full-snowflake-lake-reader' },
      { Name: 'AWS_REGION', Value: 'eu-west-1' },
    ]);
    const minimal = container(synth.get('minimal')).Environment as { Name: string; Value: string }[];
    expect(minimal).toContainEqual({ Name: 'GMP_LAKE_URL', Value: 's3://lakehouse-minimal-210987654321-us-east-2/gmp/data' });
    expect(minimal.map((v) => v.Name)).not.toContain('SNOWFLAKE_STORAGE_INTEGRATION');
  });

  it('names the role Snowflake assumes in SNOWFLAKE_STORAGE_AWS_ROLE_ARN (for `gmp warehouse setup`)', () => {
    const t = synth.get('full').runtime;
    const variable = (container(synth.get('full')).Environment as { Name: string; Value: string }[]).find((v) => v.Name === 'SNOWFLAKE_STORAGE_AWS_ROLE_ARN');
    const roleName = resource(t, logicalIdOf(t, 'AWS::IAM::Role', { RoleName: 'gmp-full-snowflake-lake-reader' })).Properties.RoleName as string;
    expect(variable?.Value).toBe(`arn:aws:iam::123456789012:role/${roleName}`);
  });

  it('gets every credential as an ECS secret from Secrets Manager', () => {
    const expected = {
      full: { RAWG_API_KEY: 'gmp/full/rawg-api-key', SNOWFLAKE_PASSWORD: 'gmp/full/snowflake-password', GMP_STATE_URL: 'gmp/full/state-url' },
      minimal: { RAWG_API_KEY: 'gmp/minimal/rawg-api-key', SNOWFLAKE_PRIVATE_KEY: 'gmp/minimal/snowflake-private-key', GMP_STATE_URL: 'gmp/minimal/state-url' },
      shared: {
        RAWG_API_KEY: 'gmp/shared/rawg-api-key',
        SNOWFLAKE_PRIVATE_KEY: 'gmp/shared/snowflake-private-key',
        SNOWFLAKE_PRIVATE_KEY_PASSPHRASE: 'gmp/shared/snowflake-private-key-passphrase',
        GMP_STATE_URL: 'gmp/shared/state-url',
      },
    };
    for (const [name, secrets] of Object.entries(expected)) {
      const env = synth.get(name);
      const actual = Object.fromEntries(
        (container(env).Secrets as { Name: string; ValueFrom: unknown }[]).map(({ Name, ValueFrom }) => {
          const secret = statefulResourceBehind(env, ValueFrom);
          expect(secret.Type).toBe('AWS::SecretsManager::Secret');
          return [Name, secret.Properties.Name];
        }),
      );
      expect(actual).toEqual(secrets);
    }
  });

  it('lets only the execution role read those secrets, and nothing else from Secrets Manager', () => {
    const env = synth.get('full');
    const taskDef = resource(env.runtime, logicalIdOf(env.runtime, 'AWS::ECS::TaskDefinition'));
    const reads = statementsOfRole(env.runtime, roleLogicalIdFromArn(taskDef.Properties.ExecutionRoleArn)).filter((s) =>
      asArray(s.Action).some((a: string) => a.startsWith('secretsmanager:')),
    );
    expect(reads).toHaveLength(1);
    expect(asArray(reads[0]!.Resource).map((r) => statefulResourceBehind(env, r).Properties.Name).sort()).toEqual([
      'gmp/full/rawg-api-key',
      'gmp/full/snowflake-password',
      'gmp/full/state-url',
    ]);
    expect(statementsOfRole(env.runtime, roleLogicalIdFromArn(taskDef.Properties.TaskRoleArn)).flatMap((s) => asArray(s.Action))).not.toContainEqual(
      expect.stringMatching(/^secretsmanager:/),
    );
  });

  it('may read and write objects under the lake prefix only (plus the lake key when KMS)', () => {
    const check = (name: string, bucket: string, prefix: string, kms: boolean): void => {
      const env = synth.get(name);
      const taskDef = resource(env.runtime, logicalIdOf(env.runtime, 'AWS::ECS::TaskDefinition'));
      const statements = statementsOfRole(env.runtime, roleLogicalIdFromArn(taskDef.Properties.TaskRoleArn));
      expect(statements.slice(0, 2)).toEqual([
        { Sid: 'ListLakePrefix', Effect: 'Allow', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${bucket}`, Condition: { StringLike: { 's3:prefix': [prefix, `${prefix}/*`] } } },
        {
          Sid: 'ReadWriteLakeObjects',
          Effect: 'Allow',
          Action: ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:GetObject', 's3:PutObject'],
          Resource: `arn:aws:s3:::${bucket}/${prefix}/*`,
        },
      ]);
      if (kms) {
        expect(statements).toHaveLength(3);
        expect(statements[2]).toMatchObject({ Action: ['kms:Decrypt', 'kms:GenerateDataKey'] });
        expect(statefulResourceBehind(env, statements[2]!.Resource).Type).toBe('AWS::KMS::Key');
      } else {
        expect(statements).toHaveLength(2);
      }
    };
    check('full', 'gmp-lake-full-123456789012-eu-west-1', 'lake', true);
    check('minimal', 'lakehouse-minimal-210987654321-us-east-2', 'gmp/data', false);
  });

  it('logs to a log group with the configured retention', () => {
    for (const [name, days] of [['full', 180], ['minimal', 90]] as const) {
      const t = synth.get(name).runtime;
      const c = container(synth.get(name));
      expect(c.LogConfiguration.LogDriver).toBe('awslogs');
      const group = resource(t, (c.LogConfiguration.Options['awslogs-group'] as { Ref: string }).Ref);
      expect(group.Type).toBe('AWS::Logs::LogGroup');
      expect(group.Properties.RetentionInDays).toBe(days);
    }
  });

  it('runs in a cluster with Container Insights, with the configured CPU and memory', () => {
    const t = synth.get('full').runtime;
    t.hasResourceProperties('AWS::ECS::Cluster', { ClusterName: 'gmp-full', ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }] });
    t.hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '1024', Memory: '2048', RequiresCompatibilities: ['FARGATE'] });
  });
});

describe('runtime stack: the network', () => {
  it('places the zones the config names, with one NAT gateway by default', () => {
    const t = synth.get('full').runtime;
    t.resourceCountIs('AWS::EC2::NatGateway', 1);
    const zones = Object.values(t.findResources('AWS::EC2::Subnet')).map((s) => (s as { Properties: { AvailabilityZone: string } }).Properties.AvailabilityZone);
    expect([...new Set(zones)].sort()).toEqual(['eu-west-1a', 'eu-west-1b']);
  });

  it('records all VPC traffic in flow logs with the configured retention', () => {
    const t = synth.get('full').runtime;
    const flowLog = resource(t, logicalIdOf(t, 'AWS::EC2::FlowLog'));
    expect(flowLog.Properties).toMatchObject({ ResourceType: 'VPC', TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs' });
    expect(resource(t, flowLog.Properties.LogGroupName.Ref).Properties.RetentionInDays).toBe(180);
  });

  it('routes lake traffic through an S3 gateway endpoint', () => {
    synth.get('full').runtime.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.s3']] },
    });
  });

  it('gives the task a security group with no ingress and egress to HTTPS and Postgres only', () => {
    const t = synth.get('full').runtime;
    const target = resource(t, logicalIdOf(t, 'AWS::Scheduler::Schedule')).Properties.Target;
    const [sg] = target.EcsParameters.NetworkConfiguration.AwsvpcConfiguration.SecurityGroups as { 'Fn::GetAtt': [string, string] }[];
    const group = resource(t, sg!['Fn::GetAtt'][0]);
    expect(group.Properties.SecurityGroupIngress).toBeUndefined();
    t.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
    expect((group.Properties.SecurityGroupEgress as Record<string, unknown>[]).map((r) => [r.IpProtocol, r.FromPort, r.ToPort])).toEqual([
      ['tcp', 443, 443],
      ['tcp', 5432, 5432],
    ]);
  });
});

describe('runtime stack: failed-run alerts', () => {
  it('publish to a KMS-encrypted topic that refuses non-TLS publishing', () => {
    const t = synth.get('full').runtime;
    const topicId = logicalIdOf(t, 'AWS::SNS::Topic');
    const keyId = logicalIdOf(t, 'AWS::KMS::Key', { EnableKeyRotation: true });
    expect(resource(t, topicId).Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    t.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 'sns:Publish', Principal: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('fire when a task of the cluster stops with a non-zero exit code or fails to start', () => {
    const t = synth.get('full').runtime;
    const rule = resource(t, logicalIdOf(t, 'AWS::Events::Rule'));
    expect(rule.Properties.EventPattern).toEqual({
      source: ['aws.ecs'],
      'detail-type': ['ECS Task State Change'],
      detail: {
        clusterArn: [{ 'Fn::GetAtt': [logicalIdOf(t, 'AWS::ECS::Cluster'), 'Arn'] }],
        lastStatus: ['STOPPED'],
        $or: [{ containers: { exitCode: [{ 'anything-but': 0 }] } }, { stopCode: ['TaskFailedToStart'] }],
      },
    });
    const [target] = rule.Properties.Targets as Record<string, any>[];
    expect(target!.Arn).toEqual({ Ref: logicalIdOf(t, 'AWS::SNS::Topic') });
    expect(target!.InputTransformer.InputTemplate).toContain('gmp full: a run failed');
    // Published through a role, so the topic policy grants nothing to EventBridge at large.
    const publish = statementsOfRole(t, roleLogicalIdFromArn(target!.RoleArn)).find((s) => s.Action === 'sns:Publish');
    expect(publish?.Resource).toEqual({ Ref: logicalIdOf(t, 'AWS::SNS::Topic') });
  });

  it('fire when the scheduler cannot start the task (dead-letter queue not empty)', () => {
    const t = synth.get('full').runtime;
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalIdOf(t, 'AWS::SQS::Queue'), 'QueueName'] } }],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      AlarmActions: [{ Ref: logicalIdOf(t, 'AWS::SNS::Topic') }],
    });
  });

  it('reach the configured email address, and nobody when none is configured', () => {
    synth.get('full').runtime.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
    synth.get('minimal').runtime.resourceCountIs('AWS::SNS::Subscription', 0);
  });
});

describe('runtime stack: the role Snowflake assumes', () => {
  it('has a fixed name and trusts the principal parameter only with the external id parameter', () => {
    const t = synth.get('full').runtime;
    const role = resource(t, logicalIdOf(t, 'AWS::IAM::Role', { RoleName: 'gmp-full-snowflake-lake-reader' }));
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: {
          AWS: {
            'Fn::If': [
              'SnowflakePrincipalPending',
              { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] },
              { Ref: 'SnowflakePrincipalArn' },
            ],
          },
        },
        Condition: { StringEquals: { 'sts:ExternalId': { Ref: 'SnowflakeExternalId' } } },
      },
    ]);
    expect(t.toJSON().Conditions.SnowflakePrincipalPending).toEqual({ 'Fn::Equals': [{ Ref: 'SnowflakePrincipalArn' }, ''] });
  });

  it('takes the parameter defaults from the config, else trusts only the own account with a placeholder id', () => {
    const full = synth.get('full').runtime;
    full.hasParameter('SnowflakePrincipalArn', { Type: 'String', Default: 'arn:aws:iam::999999999999:user/abc1-s-v2st0000' });
    full.hasParameter('SnowflakeExternalId', { Type: 'String', Default: 'MYACCOUNT_SFCRole=2_abcdefGHIJKL=' });
    const minimal = synth.get('minimal').runtime;
    minimal.hasParameter('SnowflakePrincipalArn', { Default: '' });
    minimal.hasParameter('SnowflakeExternalId', { Default: '0000' });
  });

  it('rejects a malformed principal ARN at deploy time (parameter pattern)', () => {
    const pattern = new RegExp((synth.get('full').runtime.toJSON().Parameters.SnowflakePrincipalArn as { AllowedPattern: string }).AllowedPattern);
    expect(pattern.test('')).toBe(true);
    expect(pattern.test('arn:aws:iam::999999999999:user/abc1-s-v2st0000')).toBe(true);
    expect(pattern.test('arn:aws:iam::999999999999:root')).toBe(false);
    expect(pattern.test('*')).toBe(false);
  });

  it('may only read the lake prefix (and decrypt with the lake key)', () => {
    const env = synth.get('full');
    const roleId = logicalIdOf(env.runtime, 'AWS::IAM::Role', { RoleName: 'gmp-full-snowflake-lake-reader' });
    const statements = statementsOfRole(env.runtime, roleId);
    expect(statements.flatMap((s) => asArray(s.Action)).sort()).toEqual(['kms:Decrypt', 's3:GetBucketLocation', 's3:GetObject', 's3:GetObjectVersion', 's3:ListBucket']);
    expect(statements.find((s) => s.Sid === 'ReadLakeObjects')?.Resource).toBe('arn:aws:s3:::gmp-lake-full-123456789012-eu-west-1/lake/*');
    expect(statements.find((s) => s.Sid === 'ListLakePrefix')?.Condition).toEqual({ StringLike: { 's3:prefix': ['lake', 'lake/*'] } });
  });
});

describe('runtime stack: the GitHub deploy role', () => {
  const trustOf = (name: string): Record<string, any>[] => {
    const t = synth.get(name).runtime;
    return resource(t, logicalIdOf(t, 'AWS::IAM::Role', { RoleName: `gmp-${name}-github-deploy` })).Properties.AssumeRolePolicyDocument.Statement;
  };

  it('exists only when the config names a repository', () => {
    const webIdentityRoles = (name: string): number =>
      Object.values(synth.get(name).runtime.findResources('AWS::IAM::Role')).filter((r) =>
        JSON.stringify((r as { Properties: unknown }).Properties).includes('sts:AssumeRoleWithWebIdentity'),
      ).length;
    expect(webIdentityRoles('full')).toBe(1);
    expect(webIdentityRoles('shared')).toBe(1);
    expect(webIdentityRoles('minimal')).toBe(0);
    synth.get('minimal').runtime.resourceCountIs('AWS::IAM::OIDCProvider', 0);
  });

  it('trusts GitHub tokens of exactly that repository and branch, for STS', () => {
    const t = synth.get('full').runtime;
    const provider = logicalIdOf(t, 'AWS::IAM::OIDCProvider', { Url: 'https://token.actions.githubusercontent.com', ClientIdList: ['sts.amazonaws.com'] });
    expect(trustOf('full')).toEqual([
      {
        Action: 'sts:AssumeRoleWithWebIdentity',
        Effect: 'Allow',
        Principal: { Federated: { Ref: provider } },
        Condition: {
          StringEquals: {
            'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
            'token.actions.githubusercontent.com:sub': 'repo:example-org/game-market-pipeline:ref:refs/heads/release',
          },
        },
      },
    ]);
  });

  it('reuses an existing OIDC provider when the config names one (branch defaults to main)', () => {
    synth.get('shared').runtime.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    expect(trustOf('shared')).toEqual([
      expect.objectContaining({
        Principal: { Federated: EXISTING_PROVIDER },
        Condition: { StringEquals: expect.objectContaining({ 'token.actions.githubusercontent.com:sub': 'repo:example-org/gmp-fork:ref:refs/heads/main' }) },
      }),
    ]);
  });

  it('may only assume the CDK bootstrap roles of its environment', () => {
    const t = synth.get('full').runtime;
    const roleId = logicalIdOf(t, 'AWS::IAM::Role', { RoleName: 'gmp-full-github-deploy' });
    const role = (kind: string): string => `arn:aws:iam::123456789012:role/cdk-hnb659fds-${kind}-role-123456789012-eu-west-1`;
    expect(statementsOfRole(t, roleId)).toEqual([
      {
        Sid: 'AssumeCdkBootstrapRoles',
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Resource: [role('deploy'), role('file-publishing'), role('image-publishing'), role('lookup')],
      },
    ]);
    expect(resource(t, roleId).Properties.ManagedPolicyArns).toBeUndefined();
  });
});
