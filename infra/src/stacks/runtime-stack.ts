import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { availabilityZones, type EnvironmentConfig } from '../config/environment-config.js';
import { FailedRunAlerts } from '../constructs/failed-run-alerts.js';
import { GitHubDeployRole } from '../constructs/github-deploy-role.js';
import { PipelineNetwork } from '../constructs/pipeline-network.js';
import type { PipelineSecret } from '../constructs/pipeline-secrets.js';
import { PipelineTask } from '../constructs/pipeline-task.js';
import { RunSchedules, SCHEDULED_RUNS } from '../constructs/run-schedules.js';
import { SnowflakeLakeReaderRole, snowflakeRoleName } from '../constructs/snowflake-lake-reader-role.js';
import { acknowledge } from '../nag/acknowledge.js';

export interface RuntimeStackProps extends StackProps {
  config: EnvironmentConfig;
  lakeBucketName: string;
  lakeKey: kms.IKey | undefined;
  lakePrefix: string;
  secrets: readonly PipelineSecret[];
  /** Folder holding the project's Dockerfile (the repository root). */
  imageDirectory: string;
}

/**
 * Everything that can be deleted and re-created: network, cluster, task, schedules, alerts and
 * the roles Snowflake and GitHub assume.
 */
export class RuntimeStack extends Stack {
  readonly network: PipelineNetwork;
  readonly cluster: ecs.Cluster;
  readonly task: PipelineTask;
  readonly schedules: RunSchedules;
  readonly alerts: FailedRunAlerts;
  readonly snowflakeRole: SnowflakeLakeReaderRole;
  readonly githubDeployRole: GitHubDeployRole | undefined;

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
    const snowflakeRoleArn = `arn:${this.partition}:iam::${this.account}:role/${snowflakeRoleName(config.name)}`;
    this.task = new PipelineTask(this, 'Task', {
      environmentName: config.name,
      imageDirectory: props.imageDirectory,
      cpu: config.task.cpu,
      memoryMiB: config.task.memoryMiB,
      logRetention: retention,
      lakeBucket,
      lakeKey: props.lakeKey,
      lakePrefix: props.lakePrefix,
      warehouseEnvironment: {
        GMP_WAREHOUSE_URL: config.warehouse.url,
        SNOWFLAKE_USER: config.warehouse.user,
        // Only `gmp warehouse setup` reads these (run it once as a one-off task, or from a laptop).
        ...(config.warehouse.storageIntegration !== undefined ? { SNOWFLAKE_STORAGE_INTEGRATION: config.warehouse.storageIntegration } : {}),
        SNOWFLAKE_STORAGE_AWS_ROLE_ARN: snowflakeRoleArn,
      },
      secrets: props.secrets,
    });
    const subnets = this.network.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS });
    // 'DailyRun' is the id from when the daily run was the only schedule; a new one would replace its resources.
    this.schedules = new RunSchedules(this, 'DailyRun', {
      environmentName: config.name,
      enabled: config.schedule.enabled,
      runs: SCHEDULED_RUNS,
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
    this.snowflakeRole = new SnowflakeLakeReaderRole(this, 'SnowflakeLakeReader', {
      environmentName: config.name,
      lakeBucket,
      lakeKey: props.lakeKey,
      lakePrefix: props.lakePrefix,
      principalArn: config.snowflake.principalArn,
      externalId: config.snowflake.externalId,
    });
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
    new CfnOutput(this, 'SnowflakeRoleArn', { value: this.snowflakeRole.role.roleArn, description: 'STORAGE_AWS_ROLE_ARN of the storage integration' });
    if (this.githubDeployRole !== undefined) new CfnOutput(this, 'GitHubDeployRoleArn', { value: this.githubDeployRole.role.roleArn });
  }

  /**
   * The configured zones. Without this override an environment-bound stack asks AWS for its
   * zones at synth time (a context lookup), even when the VPC names its zones.
   */
  override get availabilityZones(): string[] {
    return this.zones;
  }
}
