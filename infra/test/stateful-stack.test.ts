import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fullEnvironment, minimalEnvironment } from './support/environments.js';
import { synthesize, type Synthesized } from './support/synth.js';

// full: KMS, password auth, custom lifecycle days; minimal: SSE-S3, key-pair auth, defaults.
let synth: Synthesized;
beforeAll(() => {
  synth = synthesize([fullEnvironment(), minimalEnvironment()]);
});
afterAll(() => synth.dispose());

const LAKE = { full: 'gmp-lake-full-123456789012-eu-west-1', minimal: 'lakehouse-minimal-210987654321-us-east-2' };

function lakeBucket(template: Template, name: string): { logicalId: string; props: Record<string, unknown> } {
  const found = Object.entries(template.findResources('AWS::S3::Bucket', { Properties: { BucketName: name } }));
  expect(found).toHaveLength(1);
  const [logicalId, resource] = found[0]!;
  return { logicalId, props: (resource as { Properties: Record<string, unknown> }).Properties };
}

function accessLogBucket(template: Template, lakeLogicalId: string): string {
  const lake = template.findResources('AWS::S3::Bucket')[lakeLogicalId] as { Properties: { LoggingConfiguration: { DestinationBucketName: { Ref: string } } } };
  return lake.Properties.LoggingConfiguration.DestinationBucketName.Ref;
}

function bucketPolicyStatements(template: Template, bucketLogicalId: string): Record<string, unknown>[] {
  const policies = Object.values(template.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: bucketLogicalId } } }));
  expect(policies).toHaveLength(1);
  return (policies[0] as { Properties: { PolicyDocument: { Statement: Record<string, unknown>[] } } }).Properties.PolicyDocument.Statement;
}

describe('stateful stack: the lake bucket', () => {
  it('is versioned', () => {
    for (const [env, name] of Object.entries(LAKE)) {
      expect(lakeBucket(synth.get(env).stateful, name).props.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    }
  });

  it('is encrypted with a rotating customer managed key (kms) and a bucket key', () => {
    const t = synth.get('full').stateful;
    const keys = Object.keys(t.findResources('AWS::KMS::Key', { Properties: { EnableKeyRotation: true } }));
    expect(keys).toHaveLength(1);
    expect(lakeBucket(t, LAKE.full).props.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keys[0], 'Arn'] } }, BucketKeyEnabled: true },
      ],
    });
    t.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/gmp-full-lake' });
  });

  it('is encrypted with S3-managed keys when configured so, and then creates no key', () => {
    const t = synth.get('minimal').stateful;
    expect(lakeBucket(t, LAKE.minimal).props.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
    t.resourceCountIs('AWS::KMS::Key', 0);
  });

  it('refuses every request that is not TLS 1.2+ (bucket policy)', () => {
    for (const [env, name] of Object.entries(LAKE)) {
      const t = synth.get(env).stateful;
      const { logicalId } = lakeBucket(t, name);
      const arns = [{ 'Fn::GetAtt': [logicalId, 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId, 'Arn'] }, '/*']] }];
      expect(bucketPolicyStatements(t, logicalId)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } }, Resource: arns }),
          expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Principal: { AWS: '*' }, Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } }, Resource: arns }),
        ]),
      );
    }
  });

  it('blocks every kind of public access and disables ACLs', () => {
    for (const [env, name] of Object.entries(LAKE)) {
      const { props } = lakeBucket(synth.get(env).stateful, name);
      expect(props.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
      expect(props.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    }
  });

  it('expires superseded runs (noncurrent versions) and aborts stale multipart uploads, as configured', () => {
    const rules = (env: string): unknown => (lakeBucket(synth.get(env).stateful, LAKE[env as keyof typeof LAKE]).props.LifecycleConfiguration as { Rules: unknown }).Rules;
    expect(rules('full')).toEqual([
      { Id: 'abort-incomplete-multipart-uploads', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 3 }, Status: 'Enabled' },
      { Id: 'expire-superseded-runs', NoncurrentVersionExpiration: { NoncurrentDays: 45 }, ExpiredObjectDeleteMarker: true, Status: 'Enabled' },
    ]);
    expect(rules('minimal')).toEqual([
      { Id: 'abort-incomplete-multipart-uploads', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 }, Status: 'Enabled' },
      { Id: 'expire-superseded-runs', NoncurrentVersionExpiration: { NoncurrentDays: 30 }, ExpiredObjectDeleteMarker: true, Status: 'Enabled' },
    ]);
  });

  it('never expires current objects (committed partitions stay until gmp supersedes them)', () => {
    for (const [env, name] of Object.entries(LAKE)) {
      const rules = (lakeBucket(synth.get(env).stateful, name).props.LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules;
      for (const rule of rules) expect(rule).not.toHaveProperty('ExpirationInDays');
    }
  });
});

describe('stateful stack: server access logs', () => {
  it('go to a separate log bucket under the lake bucket name', () => {
    const t = synth.get('full').stateful;
    const { logicalId, props } = lakeBucket(t, LAKE.full);
    const logs = accessLogBucket(t, logicalId);
    expect(logs).not.toBe(logicalId);
    expect(props.LoggingConfiguration).toEqual({ DestinationBucketName: { Ref: logs }, LogFilePrefix: `${LAKE.full}/` });
  });

  it('land in a bucket that is SSE-S3 encrypted (log delivery supports no KMS), TLS-only, private and expiring', () => {
    const t = synth.get('full').stateful;
    const logs = accessLogBucket(t, lakeBucket(t, LAKE.full).logicalId);
    const props = (t.findResources('AWS::S3::Bucket')[logs] as { Properties: Record<string, unknown> }).Properties;
    expect(props.BucketEncryption).toEqual({ ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] });
    expect(props.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(props.LifecycleConfiguration).toEqual({ Rules: expect.arrayContaining([expect.objectContaining({ ExpirationInDays: 365, Status: 'Enabled' })]) });
    const statements = bucketPolicyStatements(t, logs);
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        expect.objectContaining({ Effect: 'Allow', Action: 's3:PutObject', Principal: { Service: 'logging.s3.amazonaws.com' } }),
      ]),
    );
  });
});

describe('stateful stack: protection', () => {
  it('is termination-protected in the cloud assembly; the runtime stack is not', () => {
    const manifest = JSON.parse(readFileSync(path.join(synth.outdir, 'manifest.json'), 'utf8')) as {
      artifacts: Record<string, { properties?: { terminationProtection?: boolean } }>;
    };
    for (const env of ['full', 'minimal']) {
      expect(manifest.artifacts[`gmp-${env}-stateful`]?.properties?.terminationProtection).toBe(true);
      expect(manifest.artifacts[`gmp-${env}-runtime`]?.properties?.terminationProtection).toBe(false);
    }
  });

  it('retains buckets, key and secrets when the stack or resource is deleted or replaced', () => {
    for (const env of ['full', 'minimal']) {
      const t = synth.get(env).stateful;
      for (const type of ['AWS::S3::Bucket', 'AWS::KMS::Key', 'AWS::SecretsManager::Secret']) {
        const all = Object.keys(t.findResources(type));
        const retained = Object.keys(t.findResources(type, { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' }));
        expect(retained, `${env} ${type}`).toEqual(all);
      }
      expect(Object.keys(t.findResources('AWS::S3::Bucket'))).toHaveLength(2);
    }
  });
});

describe('stateful stack: secrets', () => {
  it('holds one secret per credential, named per environment and auth method', () => {
    const names = (env: string): unknown[] =>
      Object.values(synth.get(env).stateful.findResources('AWS::SecretsManager::Secret')).map((r) => (r as { Properties: { Name: unknown } }).Properties.Name).sort();
    expect(names('full')).toEqual(['gmp/full/rawg-api-key', 'gmp/full/snowflake-password', 'gmp/full/state-url']);
    expect(names('minimal')).toEqual(['gmp/minimal/rawg-api-key', 'gmp/minimal/snowflake-private-key', 'gmp/minimal/state-url']);
  });

  it('never carries a secret value in the template (CloudFormation generates a placeholder)', () => {
    const t = synth.get('full').stateful;
    t.allResourcesProperties('AWS::SecretsManager::Secret', { SecretString: Match.absent(), GenerateSecretString: Match.objectLike({}) });
  });

  it('outputs the lake URL and the secret names operators fill in', () => {
    const t = synth.get('minimal').stateful;
    t.hasOutput('LakeUrl', { Value: `s3://${LAKE.minimal}/gmp/data` });
    t.hasOutput('SecretRAWGAPIKEY', { Value: 'gmp/minimal/rawg-api-key' });
    t.hasOutput('SecretSNOWFLAKEPRIVATEKEY', { Value: 'gmp/minimal/snowflake-private-key' });
    t.hasOutput('SecretGMPSTATEURL', { Value: 'gmp/minimal/state-url' });
  });
});
