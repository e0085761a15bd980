import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { lakeBucketName, type EnvironmentConfig } from '../config/environment-config.js';
import { EventStream, eventStreamName } from '../constructs/event-stream.js';
import { LakeBucket } from '../constructs/lake-bucket.js';
import { PipelineSecrets } from '../constructs/pipeline-secrets.js';

export interface StatefulStackProps extends StackProps {
  config: EnvironmentConfig;
}

/**
 * What must outlive any deployment: the lake bucket (and its key and log bucket), the stream of
 * live events not yet delivered, and the secrets whose values operators set by hand.
 * Termination-protected; every resource retained.
 */
export class StatefulStack extends Stack {
  readonly lake: LakeBucket;
  readonly secrets: PipelineSecrets;
  readonly lakePrefix: string;
  /** The live-events stream; undefined when `events.enabled` is false. */
  readonly events: EventStream | undefined;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, { ...props, terminationProtection: true });
    const { config } = props;
    this.lakePrefix = config.lake.prefix;
    this.lake = new LakeBucket(this, 'Lake', {
      bucketName: lakeBucketName(config),
      encryption: config.lake.encryption,
      noncurrentVersionExpirationDays: config.lake.noncurrentVersionExpirationDays,
      abortIncompleteMultipartUploadDays: config.lake.abortIncompleteMultipartUploadDays,
      accessLogExpirationDays: config.lake.accessLogExpirationDays,
      keyAlias: `alias/gmp-${config.name}-lake`,
    });
    this.secrets = new PipelineSecrets(this, 'Secrets', {
      environmentName: config.name,
      snowflake: config.warehouse.engine === 'snowflake' ? { auth: config.warehouse.auth, keyPassphrase: config.warehouse.keyPassphrase } : undefined,
      warehouseReaderPassword: config.warehouse.engine === 'postgres',
    });

    this.events = config.events.enabled
      ? new EventStream(this, 'Events', { environmentName: config.name, shards: config.events.shards, retentionHours: config.events.retentionHours })
      : undefined;

    // Literal names (the bucket's is deterministic) read better in `cdk deploy` output than tokens.
    const bucketName = lakeBucketName(config);
    new CfnOutput(this, 'LakeBucketName', { value: bucketName });
    new CfnOutput(this, 'LakeUrl', { value: `s3://${bucketName}/${config.lake.prefix}`, description: 'GMP_LAKE_URL of the task' });
    if (this.events !== undefined) new CfnOutput(this, 'EventStreamName', { value: eventStreamName(config.name), description: 'Kinesis stream between the event API and Firehose' });
    for (const { variable, name } of this.secrets.all) {
      new CfnOutput(this, `Secret${variable.replace(/_/g, '')}`, { value: name, description: `Secrets Manager secret the task reads as ${variable}` });
    }
  }
}
