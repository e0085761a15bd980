import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { container, runtimeEnvironments, statefulResourceBehind } from './support/runtime-fixture.js';
import { REPO_ROOT, synthesize, type Synthesized } from './support/synth.js';
import { asArray, logicalIdOf, parseJoinedJson, resource, roleLogicalIdFromArn, statementsOfRole } from './support/template-queries.js';

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize(runtimeEnvironments());
});
afterAll(() => synth.dispose());

/** The schedule named gmp-<env>-<suffix>. */
function schedule(env: string, suffix: string): { Type: string; Properties: Record<string, any> } {
  const t = synth.get(env).runtime;
  return resource(t, logicalIdOf(t, 'AWS::Scheduler::Schedule', { Name: `gmp-${env}-${suffix}` }));
}

describe('runtime stack: the daily schedule', () => {
  it('runs every day at 03:00 UTC, exactly on time', () => {
    for (const env of ['full', 'minimal']) {
      expect(schedule(env, 'daily').Properties).toMatchObject({
        ScheduleExpression: 'cron(0 3 * * ? *)',
        ScheduleExpressionTimezone: 'UTC',
        FlexibleTimeWindow: { Mode: 'OFF' },
      });
    }
  });

  it('is enabled or disabled as the environment says, like every other schedule', () => {
    const states = (env: string): Record<string, string> =>
      Object.fromEntries(
        Object.values(synth.get(env).runtime.findResources('AWS::Scheduler::Schedule')).map((r) => [r.Properties.Name as string, r.Properties.State as string]),
      );
    expect(states('full')).toEqual({ 'gmp-full-daily': 'ENABLED', 'gmp-full-weekly-taxonomy': 'ENABLED', 'gmp-full-weekly-models': 'ENABLED', 'gmp-full-events-commit-landed': 'ENABLED' });
    expect(states('minimal')).toEqual({
      'gmp-minimal-daily': 'DISABLED',
      'gmp-minimal-weekly-taxonomy': 'DISABLED',
      'gmp-minimal-weekly-models': 'DISABLED',
      'gmp-minimal-events-commit-landed': 'DISABLED',
    });
  });

  it('starts one Fargate task of the gmp task definition in the private subnets, without a public IP', () => {
    const t = synth.get('full').runtime;
    const target = schedule('full', 'daily').Properties.Target;
    expect(target.Arn).toEqual({ 'Fn::GetAtt': [logicalIdOf(t, 'AWS::ECS::Cluster'), 'Arn'] });
    expect(target.EcsParameters).toMatchObject({
      TaskDefinitionArn: { Ref: logicalIdOf(t, 'AWS::ECS::TaskDefinition') },
      LaunchType: 'FARGATE',
      TaskCount: 1,
      NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'DISABLED' } },
    });
    expect(target.Input).toBeUndefined();
    const subnets = target.EcsParameters.NetworkConfiguration.AwsvpcConfiguration.Subnets as { Ref: string }[];
    expect(subnets).toHaveLength(2);
    for (const { Ref } of subnets) {
      expect(resource(t, Ref).Properties.Tags).toContainEqual({ Key: 'aws-cdk:subnet-type', Value: 'Private' });
    }
  });

  it('retries refused starts and sends undeliverable ones to a dead-letter queue', () => {
    const t = synth.get('full').runtime;
    const target = schedule('full', 'daily').Properties.Target;
    expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 });
    expect(target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [logicalIdOf(t, 'AWS::SQS::Queue'), 'Arn'] } });
  });

  it('uses a role only the scheduler of this account can assume, allowed to run this task only', () => {
    const t = synth.get('full').runtime;
    const target = schedule('full', 'daily').Properties.Target;
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

describe('runtime stack: the weekly taxonomy schedule', () => {
  it('runs Mondays at 04:00 UTC, exactly on time', () => {
    for (const env of ['full', 'minimal']) {
      expect(schedule(env, 'weekly-taxonomy').Properties).toMatchObject({
        Description: 'gmp materialize --select tag:snapshot',
        ScheduleExpression: 'cron(0 4 ? * MON *)',
        ScheduleExpressionTimezone: 'UTC',
        FlexibleTimeWindow: { Mode: 'OFF' },
      });
    }
  });

  it('starts the daily run’s task the same way, with the command `materialize --select tag:snapshot`', () => {
    const daily = schedule('full', 'daily').Properties.Target.EcsParameters;
    const target = schedule('full', 'weekly-taxonomy').Properties.Target;
    // The universal target sends Input as the RunTask request (the templated one has no overrides).
    expect(target.Arn).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':scheduler:::aws-sdk:ecs:runTask']] });
    expect(parseJoinedJson(target.Input)).toEqual({
      Cluster: schedule('full', 'daily').Properties.Target.Arn,
      TaskDefinition: daily.TaskDefinitionArn,
      LaunchType: daily.LaunchType,
      PlatformVersion: daily.PlatformVersion,
      Count: daily.TaskCount,
      NetworkConfiguration: {
        AwsvpcConfiguration: {
          Subnets: daily.NetworkConfiguration.AwsvpcConfiguration.Subnets,
          SecurityGroups: daily.NetworkConfiguration.AwsvpcConfiguration.SecurityGroups,
          AssignPublicIp: 'DISABLED',
        },
      },
      Overrides: { ContainerOverrides: [{ Name: container(synth.get('full')).Name, Command: ['materialize', '--select', 'tag:snapshot'] }] },
    });
  });

  it('has the daily run’s retries, dead-letter queue and role', () => {
    const daily = schedule('full', 'daily').Properties.Target;
    const weekly = schedule('full', 'weekly-taxonomy').Properties.Target;
    expect(weekly.RetryPolicy).toEqual(daily.RetryPolicy);
    expect(weekly.DeadLetterConfig).toEqual(daily.DeadLetterConfig);
    expect(weekly.RoleArn).toEqual(daily.RoleArn);
  });

  it('together with the daily schedule, runs exactly what `gmp daemon` schedules', () => {
    // orchestration/schedules/default-schedules.ts: the daemon's schedules, as cron and selection.
    const source = readFileSync(path.join(REPO_ROOT, 'orchestration', 'schedules', 'default-schedules.ts'), 'utf8');
    const daemon = [...source.matchAll(/cron: '([^']+)'[\s\S]*?select: '([^']+)'(?:, exclude: '([^']+)')?/g)].map(([, cron, select, exclude]) => `${cron} ${select}${exclude ? ` -${exclude}` : ''}`);
    expect(daemon).toHaveLength(3);
    // The hourly commit of landed events is cloud-only (nothing lands locally): test/event-path.test.ts.
    const materializing = Object.values(synth.get('full').runtime.findResources('AWS::Scheduler::Schedule')).filter((r) => (r.Properties.Description as string).startsWith('gmp materialize '));
    const deployed = materializing.map((r) => {
      const { ScheduleExpression, Description } = r.Properties as { ScheduleExpression: string; Description: string };
      const [minute, hour, day, month, weekday] = ScheduleExpression.slice('cron('.length, -1).split(' ');
      const cron = [minute, hour, day!.replace('?', '*'), month, weekday!.replace('?', '*').replace('MON', '1')].join(' ');
      const words = Description.split(' ');
      const exclude = words.includes('--exclude') ? ` -${words[words.indexOf('--exclude') + 1]}` : '';
      return `${cron} ${words[words.indexOf('--select') + 1]}${exclude}`;
    });
    expect(deployed.sort()).toEqual(daemon.sort());
  });
});

describe('runtime stack: the task', () => {
  it('runs gmp materialize for yesterday’s rawg/games partition and everything downstream but model training', () => {
    const c = container(synth.get('full'));
    expect(c.EntryPoint).toEqual(['gmp']);
    // Model training is weekly_models' (Mondays): the daily run scores with the production models.
    expect(c.Command).toEqual(['materialize', '--select', 'rawg/games+', '--exclude', 'tag:training', '--partition', 'yesterday']);
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
    const target = schedule('full', 'daily').Properties.Target;
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
