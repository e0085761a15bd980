import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from '../nag/acknowledge.js';

export interface FailedRunAlertsProps {
  environmentName: string;
  cluster: ecs.ICluster;
  scheduleDeadLetterQueue: sqs.IQueue;
  alarmEmail: string | undefined;
}

/**
 * Tells someone when a run fails, on an encrypted, TLS-only SNS topic:
 * - a task in the pipeline cluster stops with a non-zero exit code (gmp exits 1 when a step
 *   fails and 2 on a configuration error) or fails to start (image pull, secret fetch);
 * - the scheduler could not start the task at all (its dead-letter queue holds a message).
 */
export class FailedRunAlerts extends Construct {
  readonly topic: sns.Topic;
  readonly taskFailedRule: events.Rule;
  readonly scheduleFailedAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: FailedRunAlertsProps) {
    super(scope, id);
    // SNS's AWS-managed key cannot be used: its policy cannot grant EventBridge or CloudWatch.
    const key = new kms.Key(this, 'TopicKey', {
      description: `Encrypts the gmp-${props.environmentName} failed-run alerts topic`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: `gmp ${props.environmentName} failed runs`,
      masterKey: key,
      enforceSSL: true,
    });
    if (props.alarmEmail !== undefined) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));

    const field = (path: string): string => events.EventField.fromPath(path);
    this.taskFailedRule = new events.Rule(this, 'TaskFailed', {
      description: `A gmp-${props.environmentName} task stopped with a non-zero exit code or failed to start`,
      eventPattern: {
        source: ['aws.ecs'],
        detailType: ['ECS Task State Change'],
        detail: {
          clusterArn: [props.cluster.clusterArn],
          lastStatus: ['STOPPED'],
          $or: [{ containers: { exitCode: [{ 'anything-but': 0 }] } }, { stopCode: ['TaskFailedToStart'] }],
        },
      },
      targets: [
        new targets.SnsTopic(this.topic, {
          // A role instead of a topic policy for events.amazonaws.com: no other account's rule can publish here.
          authorizeUsingRole: true,
          message: events.RuleTargetInput.fromText(
            `gmp ${props.environmentName}: a run failed. Task ${field('$.detail.taskArn')} stopped ` +
              `(${field('$.detail.stopCode')}: ${field('$.detail.stoppedReason')}); ` +
              `exit code ${field('$.detail.containers[0].exitCode')}. See the task's log stream in CloudWatch Logs.`,
          ),
        }),
      ],
    });

    const alarmName = `gmp-${props.environmentName}-schedule-failed`;
    const eventsRole = this.taskFailedRule.node.tryFindChild('EventsRole');
    if (eventsRole === undefined) throw new Error('the SNS target no longer creates EventsRole; revisit the acknowledgement below');
    acknowledge(
      eventsRole,
      'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      "CDK's publish grant on a KMS-encrypted topic adds kms:GenerateDataKey* (GenerateDataKey and GenerateDataKeyWithoutPlaintext), scoped to this topic's own key only.",
    );

    this.scheduleFailedAlarm = new cloudwatch.Alarm(this, 'ScheduleFailed', {
      alarmName,
      alarmDescription: `EventBridge Scheduler could not start a scheduled gmp-${props.environmentName} run (see its dead-letter queue)`,
      metric: props.scheduleDeadLetterQueue.metric('ApproximateNumberOfMessagesVisible', {
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      threshold: 0,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.notify(this.scheduleFailedAlarm, alarmName);
  }

  /** Sends an alarm to the topic; CloudWatch may publish there for this alarm (by its name) only. */
  notify(alarm: cloudwatch.Alarm, alarmName: string): void {
    alarm.addAlarmAction(new cloudwatchActions.SnsAction(this.topic));
    // CloudWatch publishes with its service principal; the topic policy admits only named alarms.
    // The ARN is spelled out: referencing the alarm would make key -> alarm -> topic -> key a cycle.
    const { partition, region, account } = Stack.of(this);
    this.topic.grantPublish(
      new iam.ServicePrincipal('cloudwatch.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: { 'aws:SourceArn': `arn:${partition}:cloudwatch:${region}:${account}:alarm:${alarmName}` },
        },
      }),
    );
  }
}
