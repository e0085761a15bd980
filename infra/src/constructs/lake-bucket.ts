import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge } from '../nag/acknowledge.js';

export interface LakeBucketProps {
  bucketName: string;
  encryption: 'kms' | 's3-managed';
  noncurrentVersionExpirationDays: number;
  abortIncompleteMultipartUploadDays: number;
  accessLogExpirationDays: number;
  /** Alias of the customer managed key when encryption is kms, e.g. alias/gmp-prod-lake. */
  keyAlias: string;
}

/**
 * The data lake bucket: versioned, encrypted, TLS-only, never public, access-logged to its own
 * log bucket, and retained when its stack is deleted.
 */
export class LakeBucket extends Construct {
  readonly bucket: s3.Bucket;
  readonly accessLogBucket: s3.Bucket;
  /** The customer managed key; undefined with SSE-S3. */
  readonly key: kms.Key | undefined;

  constructor(scope: Construct, id: string, props: LakeBucketProps) {
    super(scope, id);

    // S3 server access logging delivers only to SSE-S3 buckets, so this one cannot use the KMS key.
    this.accessLogBucket = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [
        { id: 'expire-access-logs', expiration: Duration.days(props.accessLogExpirationDays) },
        { id: 'abort-incomplete-multipart-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.accessLogBucket,
      'AwsSolutions-S1',
      'This bucket is the server access log target of the lake bucket; logging the log bucket would only log log deliveries (or loop into itself).',
    );

    this.key =
      props.encryption === 'kms'
        ? new kms.Key(this, 'Key', {
            description: `Encrypts the Game Market Pipeline lake bucket ${props.bucketName}`,
            alias: props.keyAlias,
            enableKeyRotation: true,
            removalPolicy: RemovalPolicy.RETAIN,
          })
        : undefined;

    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: props.bucketName,
      versioned: true,
      ...(this.key !== undefined
        ? { encryption: s3.BucketEncryption.KMS, encryptionKey: this.key, bucketKeyEnabled: true }
        : { encryption: s3.BucketEncryption.S3_MANAGED }),
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: `${props.bucketName}/`,
      lifecycleRules: [
        {
          id: 'abort-incomplete-multipart-uploads',
          abortIncompleteMultipartUploadAfter: Duration.days(props.abortIncompleteMultipartUploadDays),
        },
        {
          // gmp deletes the files of superseded runs and swaps manifests; versioning keeps both
          // recoverable for this long, then they go for good.
          id: 'expire-superseded-runs',
          noncurrentVersionExpiration: Duration.days(props.noncurrentVersionExpirationDays),
          expiredObjectDeleteMarker: true,
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
