import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import { Construct } from 'constructs';

export interface EventStreamProps {
  environmentName: string;
  /** Provisioned shards; undefined for on-demand capacity. */
  shards: number | undefined;
  retentionHours: number;
}

/**
 * The Kinesis data stream live events pass through between the event API and Firehose: encrypted
 * with the AWS managed key (`aws/kinesis`, so producers and Firehose need no key grant), retained
 * with the stateful stack because it holds events not yet delivered.
 */
export class EventStream extends Construct {
  readonly stream: kinesis.Stream;

  constructor(scope: Construct, id: string, props: EventStreamProps) {
    super(scope, id);
    this.stream = new kinesis.Stream(this, 'Stream', {
      streamName: eventStreamName(props.environmentName),
      encryption: kinesis.StreamEncryption.MANAGED,
      retentionPeriod: Duration.hours(props.retentionHours),
      ...(props.shards === undefined ? { streamMode: kinesis.StreamMode.ON_DEMAND } : { streamMode: kinesis.StreamMode.PROVISIONED, shardCount: props.shards }),
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}

export function eventStreamName(environmentName: string): string {
  return `gmp-${environmentName}-events`;
}
