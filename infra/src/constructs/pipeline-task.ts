import { IgnoreMode, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ecrAssets from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledge } from '../nag/acknowledge.js';
import { nagResourceId } from '../nag/nag-resource-id.js';

/** The scheduled run: yesterday's RAWG partition and everything downstream of it. */
export const DAILY_RUN_COMMAND = ['materialize', '--select', 'rawg/games+', '--exclude', 'tag:training', '--partition', 'yesterday'] as const;

/**
 * Never part of the image build context, whatever the project's .dockerignore says: local
 * secrets and data, host-built dependencies, and this CDK app (with its cdk.out).
 */
export const IMAGE_CONTEXT_EXCLUDES = ['.git', '.env', '.env.*', '.gmp', 'node_modules', 'coverage', 'infra'] as const;

/** A credential the task receives as one variable: a whole secret, or one field of a JSON secret. */
export interface TaskSecret {
  /** The variable the task reads, e.g. RAWG_API_KEY. */
  variable: string;
  secret: secretsmanager.ISecret;
  /** The JSON field to read (e.g. `password` of an RDS-managed secret); omitted: the whole string. */
  field?: string;
}

export interface PipelineTaskProps {
  environmentName: string;
  /** Folder holding the project's Dockerfile (the repository root). */
  imageDirectory: string;
  cpu: number;
  memoryMiB: number;
  logRetention: logs.RetentionDays;
  lakeBucket: s3.IBucket;
  lakeKey: kms.IKey | undefined;
  lakePrefix: string;
  /** GMP_WAREHOUSE_URL (never with a password), SNOWFLAKE_USER and the other non-secret warehouse variables. */
  warehouseEnvironment: Record<string, string>;
  secrets: readonly TaskSecret[];
}

/**
 * The Fargate task definition that runs `gmp` from the project's image: configuration as plain
 * variables, credentials only as ECS secrets from Secrets Manager, logs to a retained log group,
 * and a task role limited to the lake prefix.
 */
export class PipelineTask extends Construct {
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly container: ecs.ContainerDefinition;
  readonly logGroup: logs.LogGroup;
  readonly image: ecrAssets.DockerImageAsset;

  constructor(scope: Construct, id: string, props: PipelineTaskProps) {
    super(scope, id);
    // Synthesis only fingerprints and stages the context; `cdk deploy` (cdk-assets) runs docker.
    this.image = new ecrAssets.DockerImageAsset(this, 'Image', {
      directory: props.imageDirectory,
      platform: ecrAssets.Platform.LINUX_AMD64,
      ignoreMode: IgnoreMode.DOCKER,
      exclude: [...IMAGE_CONTEXT_EXCLUDES],
    });

    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      family: `gmp-${props.environmentName}`,
      cpu: props.cpu,
      memoryLimitMiB: props.memoryMiB,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
    });

    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention, removalPolicy: RemovalPolicy.RETAIN });

    this.container = this.taskDefinition.addContainer('gmp', {
      image: ecs.ContainerImage.fromDockerImageAsset(this.image),
      entryPoint: ['gmp'],
      command: [...DAILY_RUN_COMMAND],
      essential: true,
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: 'gmp' }),
      environment: {
        GMP_LAKE_URL: `s3://${props.lakeBucket.bucketName}/${props.lakePrefix}`,
        ...props.warehouseEnvironment,
        // gmp's S3 client falls back to us-east-1 without it.
        AWS_REGION: Stack.of(this).region,
      },
      secrets: Object.fromEntries(props.secrets.map(({ variable, secret, field }) => [variable, ecs.Secret.fromSecretsManager(secret, field)])),
    });
    acknowledge(
      this.taskDefinition.node.defaultChild!,
      'AwsSolutions-ECS2',
      'The plain variables are the lake URL, the credential-free warehouse URL (Snowflake, or Postgres without password), the Snowflake user, integration and role ARN or the Postgres reader role name, and the region; every credential (RAWG key, Snowflake key or password, Postgres passwords, state URL) is an ECS secret from Secrets Manager.',
    );

    this.grantLakeReadWrite(props.lakeBucket, props.lakeKey, props.lakePrefix);
  }

  private grantLakeReadWrite(bucket: s3.IBucket, key: kms.IKey | undefined, prefix: string): void {
    const role = this.taskDefinition.taskRole;
    const objects = `${bucket.bucketArn}/${prefix}/*`;
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ListLakePrefix',
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [prefix, `${prefix}/*`] } },
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadWriteLakeObjects',
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
        resources: [objects],
      }),
    );
    if (key !== undefined) {
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({ sid: 'UseLakeKey', actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [key.keyArn] }),
      );
    }
    acknowledge(
      role,
      `AwsSolutions-IAM5[Resource::${nagResourceId(this, objects)}]`,
      `gmp writes one object per run file and manifest under the lake prefix (raw/<source>/<entity>/dt=<day>/run=<id>/...); keys are not known in advance, so the grant is on ${prefix}/* and nothing else in the bucket.`,
    );
    acknowledge(
      this.taskDefinition.obtainExecutionRole(),
      'AwsSolutions-IAM5[Resource::*]',
      'The execution role needs ecr:GetAuthorizationToken to pull the image, and that action supports no resource-level permission (AWS requires Resource "*"); pulls themselves are limited to the asset repository.',
    );
  }
}
