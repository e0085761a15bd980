import { Aws, Duration, Stack } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from '../nag/acknowledge.js';
import { DAILY_RUN_COMMAND } from './pipeline-task.js';

/** A run of the task that EventBridge Scheduler starts: when, and which gmp command. */
export interface ScheduledRun {
  /** Construct id of its schedule. */
  id: string;
  /** The schedule is named `gmp-<environment>-<nameSuffix>`. */
  nameSuffix: string;
  /** An EventBridge Scheduler cron expression, in UTC. */
  cron: string;
  /** gmp's arguments; undefined runs the task definition's own command (DAILY_RUN_COMMAND). */
  command?: readonly string[];
}

/**
 * The schedules `gmp daemon` keeps (orchestration/schedules/default-schedules.ts), in EventBridge
 * Scheduler's cron syntax. The daily run keeps the id it had as the only schedule: a new id would
 * replace it, and CloudFormation cannot create the replacement under the same schedule name.
 */
export const SCHEDULED_RUNS: readonly ScheduledRun[] = [
  // 03:00 UTC: RAWG's day D is complete, and `--partition yesterday` resolves to D.
  { id: 'Schedule', nameSuffix: 'daily', cron: 'cron(0 3 * * ? *)' },
  // Mondays 04:00 UTC: the taxonomy snapshots (genres, platforms, developers, publishers, …).
  { id: 'WeeklyTaxonomySchedule', nameSuffix: 'weekly-taxonomy', cron: 'cron(0 4 ? * MON *)', command: ['materialize', '--select', 'tag:snapshot'] },
  // Mondays 05:00 UTC: the prediction models (the daily run scores with them, never trains them).
  { id: 'WeeklyModelsSchedule', nameSuffix: 'weekly-models', cron: 'cron(0 5 ? * MON *)', command: ['materialize', '--select', 'tag:training+'] },
];

/**
 * Cloud only (no Firehose lands anything locally): commits the events Firehose landed, ten
 * minutes past every hour, when the previous hour's objects are in (Firehose buffers at most 15).
 */
export const EVENTS_COMMIT_RUN: ScheduledRun = { id: 'EventsCommitSchedule', nameSuffix: 'events-commit-landed', cron: 'cron(10 * * * ? *)', command: ['events', 'commit-landed'] };

export interface RunSchedulesProps {
  environmentName: string;
  enabled: boolean;
  runs: readonly ScheduledRun[];
  cluster: ecs.ICluster;
  taskDefinition: ecs.FargateTaskDefinition;
  /** The container whose command a run overrides. */
  containerName: string;
  subnets: ec2.SelectedSubnets;
  securityGroup: ec2.ISecurityGroup;
}

/**
 * EventBridge Scheduler schedules that start the task, one per run, all enabled or disabled
 * together. They share one role and one dead-letter queue (alarmed) for the invocations the
 * scheduler cannot deliver (RunTask refused after retries).
 */
export class RunSchedules extends Construct {
  readonly schedules: ReadonlyMap<string, scheduler.CfnSchedule>;
  readonly deadLetterQueue: sqs.Queue;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: RunSchedulesProps) {
    super(scope, id);
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      this.deadLetterQueue,
      'AwsSolutions-SQS3',
      'This queue is itself the dead-letter queue of the EventBridge Scheduler targets; its messages are failed invocations to inspect, not work to re-drive.',
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

    const schedules = new Map<string, scheduler.CfnSchedule>();
    for (const run of props.runs) {
      schedules.set(
        run.nameSuffix,
        new scheduler.CfnSchedule(this, run.id, {
          name: `gmp-${props.environmentName}-${run.nameSuffix}`,
          description: `gmp ${(run.command ?? DAILY_RUN_COMMAND).join(' ')}`,
          scheduleExpression: run.cron,
          scheduleExpressionTimezone: 'UTC',
          flexibleTimeWindow: { mode: 'OFF' },
          state: props.enabled ? 'ENABLED' : 'DISABLED',
          target: {
            ...(run.command === undefined ? this.templatedRunTask(props) : this.runTaskWithCommand(props, run.command)),
            roleArn: this.role.roleArn,
            // Retries cover RunTask refusals (capacity, throttling); a failed run itself is not retried.
            retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
            deadLetterConfig: { arn: this.deadLetterQueue.queueArn },
          },
        }),
      );
    }
    this.schedules = schedules;
  }

  /** ECS RunTask as EventBridge Scheduler's templated target: the task definition's own command. */
  private templatedRunTask(props: RunSchedulesProps): Pick<scheduler.CfnSchedule.TargetProperty, 'arn' | 'ecsParameters'> {
    return {
      arn: props.cluster.clusterArn,
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
    };
  }

  /**
   * The same RunTask through the universal target, which sends `input` as the request
   * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets-universal.html):
   * the templated target's EcsParameters have no container overrides.
   */
  private runTaskWithCommand(props: RunSchedulesProps, command: readonly string[]): Pick<scheduler.CfnSchedule.TargetProperty, 'arn' | 'input'> {
    const request = {
      Cluster: props.cluster.clusterArn,
      TaskDefinition: props.taskDefinition.taskDefinitionArn,
      LaunchType: 'FARGATE',
      PlatformVersion: 'LATEST',
      Count: 1,
      NetworkConfiguration: {
        AwsvpcConfiguration: {
          Subnets: props.subnets.subnetIds,
          SecurityGroups: [props.securityGroup.securityGroupId],
          AssignPublicIp: 'DISABLED',
        },
      },
      Overrides: { ContainerOverrides: [{ Name: props.containerName, Command: [...command] }] },
    };
    return { arn: `arn:${Aws.PARTITION}:scheduler:::aws-sdk:ecs:runTask`, input: Stack.of(this).toJsonString(request) };
  }
}
