import { Aws, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, type IConstruct } from 'constructs';
import { acknowledge } from '../nag/acknowledge.js';
import { nagResourceId } from '../nag/nag-resource-id.js';

/**
 * Where Firehose lands events inside the lake prefix: the folder `gmp events commit-landed` reads
 * (ingestion/events/commit-landed.ts LANDING_PREFIX), one folder per hour of arrival (UTC).
 */
export const LANDING_FOLDER = 'raw/events/landing';
export const LANDING_ERRORS_FOLDER = 'raw/events/landing_errors';
const HOUR = "!{timestamp:yyyy-MM-dd'T'HH}";
const DELIVERY_LOG_STREAM = 'S3Delivery';

export interface EventDeliveryProps {
  environmentName: string;
  stream: kinesis.IStream;
  lakeBucket: s3.IBucket;
  lakeKey: kms.IKey | undefined;
  lakePrefix: string;
  bufferSeconds: number;
  bufferMiB: number;
  logRetention: logs.RetentionDays;
}

/**
 * Firehose from the event stream into the lake bucket: GZIP JSON-lines objects under
 * `<lake prefix>/raw/events/landing/dt=<YYYY-MM-DDTHH>/`, encrypted with the lake key, errors
 * under `landing_errors/`, delivery logged to CloudWatch. Its role may read the stream and write
 * those two folders only.
 */
export class EventDelivery extends Construct {
  readonly deliveryStream: firehose.CfnDeliveryStream;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: EventDeliveryProps) {
    super(scope, id);
    const name = `gmp-${props.environmentName}-events-to-lake`;
    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention, removalPolicy: RemovalPolicy.DESTROY });
    const logStream = new logs.LogStream(this, 'S3Delivery', { logGroup: this.logGroup, logStreamName: DELIVERY_LOG_STREAM, removalPolicy: RemovalPolicy.DESTROY });

    this.role = new iam.Role(this, 'Role', {
      description: `Lets Firehose ${name} read the event stream and write the lake's landing folders`,
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } } }),
    });
    this.grant(props, DELIVERY_LOG_STREAM);

    const landing = `${props.lakePrefix}/${LANDING_FOLDER}/dt=${HOUR}/`;
    this.deliveryStream = new firehose.CfnDeliveryStream(this, 'DeliveryStream', {
      deliveryStreamName: name,
      deliveryStreamType: 'KinesisStreamAsSource',
      kinesisStreamSourceConfiguration: { kinesisStreamArn: props.stream.streamArn, roleArn: this.role.roleArn },
      extendedS3DestinationConfiguration: {
        bucketArn: props.lakeBucket.bucketArn,
        roleArn: this.role.roleArn,
        prefix: landing,
        errorOutputPrefix: `${props.lakePrefix}/${LANDING_ERRORS_FOLDER}/!{firehose:error-output-type}/dt=${HOUR}/`,
        compressionFormat: 'GZIP',
        fileExtension: '.jsonl.gz',
        bufferingHints: { intervalInSeconds: props.bufferSeconds, sizeInMBs: props.bufferMiB },
        encryptionConfiguration:
          props.lakeKey !== undefined ? { kmsEncryptionConfig: { awskmsKeyArn: props.lakeKey.keyArn } } : { noEncryptionConfig: 'NoEncryption' },
        cloudWatchLoggingOptions: { enabled: true, logGroupName: this.logGroup.logGroupName, logStreamName: logStream.logStreamName },
      },
    });
    // Firehose checks its role when the stream is created: the policy must exist by then.
    this.deliveryStream.node.addDependency(defaultPolicyOf(this.role));
    acknowledge(
      this.deliveryStream,
      'AwsSolutions-KDF1',
      "Firehose's own server-side encryption applies to Direct PUT sources only; this stream reads an encrypted Kinesis stream (aws/kinesis) and writes objects encrypted with the lake bucket's key.",
    );
  }

  private grant(props: EventDeliveryProps, logStreamName: string): void {
    const { lakeBucket: bucket, lakeKey: key, lakePrefix: prefix } = props;
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadEventStream',
        actions: ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetShardIterator', 'kinesis:GetRecords', 'kinesis:ListShards'],
        resources: [props.stream.streamArn],
      }),
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'LocateLakeBucket',
        actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
        resources: [bucket.bucketArn],
      }),
    );
    const folders = [LANDING_FOLDER, LANDING_ERRORS_FOLDER].map((folder) => `${bucket.bucketArn}/${prefix}/${folder}/*`);
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'WriteLandingFolders', actions: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'], resources: folders }),
    );
    for (const folder of folders) {
      acknowledge(
        this.role,
        `AwsSolutions-IAM5[Resource::${nagResourceId(this, folder)}]`,
        'Firehose names each object it delivers (hour folder, stream name, time and a random id), so the grant is on the landing folder; it may not read or write anything else in the lake.',
      );
    }
    if (key !== undefined) {
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'EncryptWithLakeKey',
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [key.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(this).region}.amazonaws.com` } },
        }),
      );
    }
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'LogDelivery',
        actions: ['logs:PutLogEvents'],
        resources: [`arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:${this.logGroup.logGroupName}:log-stream:${logStreamName}`],
      }),
    );
  }
}

/** The role's inline policy resource (the ARN reference already orders the role itself). */
export function defaultPolicyOf(role: iam.Role): IConstruct {
  const policy = role.node.tryFindChild('DefaultPolicy');
  if (policy === undefined) throw new Error(`role ${role.node.path} has no policy statements yet`);
  return policy;
}
