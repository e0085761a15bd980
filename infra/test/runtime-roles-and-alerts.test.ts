import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXISTING_PROVIDER, runtimeEnvironments } from './support/runtime-fixture.js';
import { synthesize, type Synthesized } from './support/synth.js';
import { asArray, logicalIdOf, resource, roleLogicalIdFromArn, statementsOfRole } from './support/template-queries.js';

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize(runtimeEnvironments());
});
afterAll(() => synth.dispose());

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
