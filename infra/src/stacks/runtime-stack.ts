import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { availabilityZones, type EnvironmentConfig } from '../config/environment-config.js';
import { EventApi } from '../constructs/event-api.js';
import { EventDelivery } from '../constructs/event-delivery.js';
import { FailedRunAlerts } from '../constructs/failed-run-alerts.js';
import { GitHubDeployRole } from '../constructs/github-deploy-role.js';
import { PipelineNetwork } from '../constructs/pipeline-network.js';
import type { PipelineSecret } from '../constructs/pipeline-secrets.js';
import { PipelineTask, type TaskSecret } from '../constructs/pipeline-task.js';
import { PostgresWarehouse, postgresWarehouseUrl } from '../constructs/postgres-warehouse.js';
import { EVENTS_COMMIT_RUN, RunSchedules, SCHEDULED_RUNS } from '../constructs/run-schedules.js';
import { SnowflakeLakeReaderRole, snowflakeRoleName } from '../constructs/snowflake-lake-reader-role.js';
import { acknowledge } from '../nag/acknowledge.js';

export interface RuntimeStackProps extends StackProps {
  config: EnvironmentConfig;
  lakeBucketName: string;
  lakeKey: kms.IKey | undefined;
  lakePrefix: string;
  secrets: readonly PipelineSecret[];
  /** The live-events stream of the stateful stack; undefined when `events.enabled` is false. */
  eventStream: kinesis.IStream | undefined;
  /** Folder holding the project's Dockerfile (the repository root). */
  imageDirectory: string;
}

/**
 * Everything that can be deleted and re-created: network, cluster, task, schedules, alerts and
 * the roles Snowflake and GitHub assume; and, for a Postgres warehouse, its database (in the
 * task's VPC; protected and snapshotted on delete unless the config says otherwise).
 */
export class RuntimeStack extends Stack {
  readonly network: PipelineNetwork;
  readonly cluster: ecs.Cluster;
  readonly task: PipelineTask;
  readonly schedules: RunSchedules;
  readonly alerts: FailedRunAlerts;
  /** Undefined for a Postgres warehouse: only Snowflake reads the lake through a role. */
  readonly snowflakeRole: SnowflakeLakeReaderRole | undefined;
  /** Undefined for a Snowflake warehouse. */
  readonly warehouse: PostgresWarehouse | undefined;
  readonly githubDeployRole: GitHubDeployRole | undefined;
  readonly events: { api: EventApi; delivery: EventDelivery } | undefined;

  private readonly zones: string[];

  constructor(scope: Construct, id: string, props: RuntimeStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.zones = availabilityZones(config);
    const retention = config.logRetentionDays as logs.RetentionDays;
    // By its (deterministic) name rather than a cross-stack reference: the ARN is then literal.
    const lakeBucket = s3.Bucket.fromBucketName(this, 'LakeBucket', props.lakeBucketName);

    this.network = new PipelineNetwork(this, 'Network', {
      availabilityZones: this.zones,
      natGateways: config.network.natGateways,
      flowLogRetention: retention,
      stateDatabasePort: config.network.stateDatabasePort,
      isolatedSubnets: config.warehouse.engine === 'postgres',
    });
    acknowledge(
      this.network.vpc,
      'CloudFormation-Validate::W3010',
      'The VPC zones are named in the environment config (network.availabilityZones, default <region>a and <region>b) so that synthesis needs no AWS lookup; literal zone names are intended.',
    );
    this.cluster = new ecs.Cluster(this, 'Cluster', {
      clusterName: `gmp-${config.name}`,
      vpc: this.network.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });
    this.warehouse =
      config.warehouse.engine === 'postgres'
        ? new PostgresWarehouse(this, 'Warehouse', {
            environmentName: config.name,
            config: config.warehouse,
            vpc: this.network.vpc,
            subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
            pipeline: this.network.taskSecurityGroup,
          })
        : undefined;
    const warehouseTask = this.warehouseTaskSettings(config);
    this.task = new PipelineTask(this, 'Task', {
      environmentName: config.name,
      imageDirectory: props.imageDirectory,
      cpu: config.task.cpu,
      memoryMiB: config.task.memoryMiB,
      logRetention: retention,
      lakeBucket,
      lakeKey: props.lakeKey,
      lakePrefix: props.lakePrefix,
      warehouseEnvironment: warehouseTask.environment,
      secrets: [...props.secrets, ...warehouseTask.secrets],
    });
    const subnets = this.network.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS });
    // 'DailyRun' is the id from when the daily run was the only schedule; a new one would replace its resources.
    this.schedules = new RunSchedules(this, 'DailyRun', {
      environmentName: config.name,
      enabled: config.schedule.enabled,
      runs: props.eventStream !== undefined ? [...SCHEDULED_RUNS, EVENTS_COMMIT_RUN] : SCHEDULED_RUNS,
      cluster: this.cluster,
      taskDefinition: this.task.taskDefinition,
      containerName: this.task.container.containerName,
      subnets,
      securityGroup: this.network.taskSecurityGroup,
    });
    this.alerts = new FailedRunAlerts(this, 'Alerts', {
      environmentName: config.name,
      cluster: this.cluster,
      scheduleDeadLetterQueue: this.schedules.deadLetterQueue,
      alarmEmail: config.alarmEmail,
    });
    this.events = props.eventStream === undefined ? undefined : this.eventPath(config, props.eventStream, lakeBucket, props, retention);
    this.snowflakeRole =
      config.warehouse.engine === 'snowflake'
        ? new SnowflakeLakeReaderRole(this, 'SnowflakeLakeReader', {
            environmentName: config.name,
            lakeBucket,
            lakeKey: props.lakeKey,
            lakePrefix: props.lakePrefix,
            principalArn: config.snowflake.principalArn,
            externalId: config.snowflake.externalId,
          })
        : undefined;
    this.githubDeployRole =
      config.github === undefined
        ? undefined
        : new GitHubDeployRole(this, 'GitHubDeploy', {
            environmentName: config.name,
            repo: config.github.repo,
            branch: config.github.branch,
            oidcProviderArn: config.github.oidcProviderArn,
            cdkBootstrapQualifier: config.cdkBootstrapQualifier,
          });

    new CfnOutput(this, 'ClusterName', { value: this.cluster.clusterName });
    new CfnOutput(this, 'TaskDefinitionFamily', { value: this.task.taskDefinition.family });
    new CfnOutput(this, 'TaskSubnets', { value: subnets.subnetIds.join(','), description: 'for aws ecs run-task (manual runs, backfills)' });
    new CfnOutput(this, 'TaskSecurityGroup', { value: this.network.taskSecurityGroup.securityGroupId });
    new CfnOutput(this, 'LogGroupName', { value: this.task.logGroup.logGroupName });
    new CfnOutput(this, 'AlertsTopicArn', { value: this.alerts.topic.topicArn });
    if (this.snowflakeRole !== undefined) {
      new CfnOutput(this, 'SnowflakeRoleArn', { value: this.snowflakeRole.role.roleArn, description: 'STORAGE_AWS_ROLE_ARN of the storage integration' });
    }
    if (this.warehouse !== undefined) {
      new CfnOutput(this, 'WarehouseEndpoint', { value: this.warehouse.endpoint, description: 'host name of the Postgres warehouse (BI tools connect here, database and port below)' });
      new CfnOutput(this, 'WarehousePort', { value: String(this.warehouse.port) });
      new CfnOutput(this, 'WarehouseDatabase', { value: this.warehouse.database });
      new CfnOutput(this, 'WarehouseSecurityGroup', { value: this.warehouse.securityGroup.securityGroupId, description: 'admits the task and warehouse.biAccess; add BI sources here' });
      new CfnOutput(this, 'WarehouseMasterSecretArn', { value: this.warehouse.masterSecret.secretArn, description: 'JSON secret (username, password) RDS manages and rotates: the task’s PGPASSWORD' });
    }
    if (this.githubDeployRole !== undefined) new CfnOutput(this, 'GitHubDeployRoleArn', { value: this.githubDeployRole.role.roleArn });
    if (this.events !== undefined) {
      new CfnOutput(this, 'EventApiUrl', { value: `${this.events.api.api.url}v1/`, description: 'POST batch and track here, with a write key in x-api-key' });
      new CfnOutput(this, 'EventWriteKeyIds', {
        value: config.events.writeKeys.map((name, i) => `${name}=${this.events!.api.keys[i]!.keyId}`).join(','),
        description: 'aws apigateway get-api-key --api-key <id> --include-value prints a key',
      });
    }
  }

  /**
   * The task's warehouse variables and credentials. Snowflake: URL, user and what `gmp warehouse
   * setup` reads (the secrets are the stateful stack's). Postgres: a URL without password, which
   * comes from the RDS-managed secret as PGPASSWORD, and the reader role's name.
   */
  private warehouseTaskSettings(config: EnvironmentConfig): { environment: Record<string, string>; secrets: TaskSecret[] } {
    const { warehouse } = config;
    if (warehouse.engine === 'snowflake') {
      const snowflakeRoleArn = `arn:${this.partition}:iam::${this.account}:role/${snowflakeRoleName(config.name)}`;
      return {
        environment: {
          GMP_WAREHOUSE_URL: warehouse.url,
          SNOWFLAKE_USER: warehouse.user,
          // Only `gmp warehouse setup` reads these (run it once as a one-off task, or from a laptop).
          ...(warehouse.storageIntegration !== undefined ? { SNOWFLAKE_STORAGE_INTEGRATION: warehouse.storageIntegration } : {}),
          SNOWFLAKE_STORAGE_AWS_ROLE_ARN: snowflakeRoleArn,
        },
        secrets: [],
      };
    }
    const database = this.warehouse!;
    return {
      environment: { GMP_WAREHOUSE_URL: postgresWarehouseUrl(database), GMP_WAREHOUSE_READER: warehouse.reader },
      secrets: [{ variable: 'PGPASSWORD', secret: database.masterSecret, field: 'password' }],
    };
  }

  /** API Gateway -> the stream -> Firehose -> the lake's landing folder, with its two alarms. */
  private eventPath(config: EnvironmentConfig, stream: kinesis.IStream, lakeBucket: s3.IBucket, props: RuntimeStackProps, retention: logs.RetentionDays): { api: EventApi; delivery: EventDelivery } {
    const { events } = config;
    const api = new EventApi(this, 'EventApi', {
      environmentName: config.name,
      stream,
      writeKeys: events.writeKeys,
      ratePerSecond: events.ratePerSecond,
      burst: events.burst,
      logRetention: retention,
    });
    const delivery = new EventDelivery(this, 'EventDelivery', {
      environmentName: config.name,
      stream,
      lakeBucket,
      lakeKey: props.lakeKey,
      lakePrefix: props.lakePrefix,
      bufferSeconds: events.bufferSeconds,
      bufferMiB: events.bufferMiB,
      logRetention: retention,
    });
    const staleName = `gmp-${config.name}-events-delivery-stale`;
    const stale = new cloudwatch.Alarm(this, 'EventDeliveryStale', {
      alarmName: staleName,
      alarmDescription: `Firehose has held events for more than its buffer time plus 15 minutes: nothing reaches the gmp-${config.name} lake's landing folder (see the delivery stream's S3Delivery log)`,
      metric: new cloudwatch.Metric({
        namespace: 'AWS/Firehose',
        metricName: 'DeliveryToS3.DataFreshness',
        dimensionsMap: { DeliveryStreamName: delivery.deliveryStream.ref },
        statistic: cloudwatch.Stats.MAXIMUM,
        period: Duration.minutes(5),
      }),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      threshold: events.bufferSeconds + 900,
      evaluationPeriods: 2,
      // No events, no metric: an idle game is not an outage.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.alerts.notify(stale, staleName);
    const errorsName = `gmp-${config.name}-events-api-5xx`;
    const errors = new cloudwatch.Alarm(this, 'EventApiErrors', {
      alarmName: errorsName,
      alarmDescription: `The gmp-${config.name} event API answered 5xx: senders were told to retry (stream throttled or unavailable)`,
      metric: api.api.metricServerError({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      threshold: 0,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.alerts.notify(errors, errorsName);
    return { api, delivery };
  }

  /**
   * The configured zones. Without this override an environment-bound stack asks AWS for its
   * zones at synth time (a context lookup), even when the VPC names its zones.
   */
  override get availabilityZones(): string[] {
    return this.zones;
  }
}
