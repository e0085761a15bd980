import { Aws, Duration } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from '../nag/acknowledge.js';

/** 03:00 UTC every day: RAWG's day D is complete, and `--partition yesterday` resolves to D. */
export const DAILY_RUN_CRON = 'cron(0 3 * * ? *)';

export interface DailyRunScheduleProps {
  environmentName: string;
  enabled: boolean;
  cluster: ecs.ICluster;
  taskDefinition: ecs.FargateTaskDefinition;
  subnets: ec2.SelectedSubnets;
  securityGroup: ec2.ISecurityGroup;
}

/**
 * An EventBridge Scheduler schedule that starts the task once a day. Invocations the scheduler
 * cannot deliver (RunTask refused after retries) land in a dead-letter queue, which is alarmed.
 */
export class DailyRunSchedule extends Construct {
  readonly schedule: scheduler.CfnSchedule;
  readonly deadLetterQueue: sqs.Queue;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: DailyRunScheduleProps) {
    super(scope, id);
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      this.deadLetterQueue,
      'AwsSolutions-SQS3',
      'This queue is itself the dead-letter queue of the EventBridge Scheduler target; its messages are failed invocations to inspect, not work to re-drive.',
    );

    this.role = new iam.Role(this, 'Role', {
      description: `Lets EventBridge Scheduler start the gmp-${props.environmentName} task`,
      // Confused-deputy guard: only schedules in this account may use the role.
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } } }),
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'RunTheTask',
        actions: ['ecs:RunTask'],
        resources: [props.taskDefinition.taskDefinitionArn],
        conditions: { ArnEquals: { 'ecs:cluster': props.cluster.clusterArn } },
      }),
    );
    const passRoles = [props.taskDefinition.taskRole.roleArn, props.taskDefinition.obtainExecutionRole().roleArn];
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'PassTheTaskRoles',
        actions: ['iam:PassRole'],
        resources: passRoles,
        conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
      }),
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'DeadLetter', actions: ['sqs:SendMessage'], resources: [this.deadLetterQueue.queueArn] }),
    );

    this.schedule = new scheduler.CfnSchedule(this, 'Schedule', {
      name: `gmp-${props.environmentName}-daily`,
      description: 'gmp materialize --select rawg/games+ --partition yesterday',
      scheduleExpression: DAILY_RUN_CRON,
      scheduleExpressionTimezone: 'UTC',
      flexibleTimeWindow: { mode: 'OFF' },
      state: props.enabled ? 'ENABLED' : 'DISABLED',
      target: {
        arn: props.cluster.clusterArn,
        roleArn: this.role.roleArn,
        ecsParameters: {
          taskDefinitionArn: props.taskDefinition.taskDefinitionArn,
          launchType: 'FARGATE',
          platformVersion: 'LATEST',
          taskCount: 1,
          networkConfiguration: {
            awsvpcConfiguration: {
              subnets: props.subnets.subnetIds,
              securityGroups: [props.securityGroup.securityGroupId],
              assignPublicIp: 'DISABLED',
            },
          },
        },
        // Retries cover RunTask refusals (capacity, throttling); a failed run itself is not retried.
        retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
        deadLetterConfig: { arn: this.deadLetterQueue.queueArn },
      },
    });
  }
}
