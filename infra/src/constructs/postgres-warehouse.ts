import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { PostgresWarehouseConfig } from '../config/environment-config.js';
import { acknowledge } from '../nag/acknowledge.js';

export interface PostgresWarehouseProps {
  environmentName: string;
  config: PostgresWarehouseConfig;
  vpc: ec2.IVpc;
  /** Subnets without a route out of the VPC: the database needs none. */
  subnets: ec2.SubnetSelection;
  /** The pipeline task's security group: the one client always admitted. */
  pipeline: ec2.ISecurityGroup;
}

/**
 * gmp's PostgreSQL warehouse: an RDS for PostgreSQL instance or an Aurora PostgreSQL Serverless v2
 * cluster in isolated subnets, storage encrypted, TLS required, reachable on its port from the
 * pipeline task and the configured BI networks only. RDS generates and rotates the master
 * password in Secrets Manager (it never appears in a template); the task connects as that user.
 */
export class PostgresWarehouse extends Construct {
  readonly securityGroup: ec2.SecurityGroup;
  /** Host name the task and BI tools connect to (the writer's endpoint). */
  readonly endpoint: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  /** The master credentials RDS manages: a JSON secret whose `password` field the task reads. */
  readonly masterSecret: secretsmanager.ISecret;
  readonly resource: rds.DatabaseInstance | rds.DatabaseCluster;

  constructor(scope: Construct, id: string, props: PostgresWarehouseProps) {
    super(scope, id);
    const { config } = props;
    const name = `gmp-${props.environmentName}-warehouse`;
    this.port = config.port;
    this.database = config.database;
    this.user = config.user;

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `${name}: Postgres from the gmp task and the configured BI networks only; no egress`,
      allowAllOutbound: false,
    });
    // Also opens the task's egress to this group (its security group allows no other outbound).
    this.securityGroup.connections.allowFrom(props.pipeline, ec2.Port.tcp(config.port), 'gmp task (transformer)');
    for (const cidr of config.biAccess.cidrs) this.securityGroup.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(config.port), `BI tools in ${cidr}`);
    for (const groupId of config.biAccess.securityGroupIds) {
      this.securityGroup.addIngressRule(ec2.Peer.securityGroupId(groupId), ec2.Port.tcp(config.port), `BI tools in ${groupId}`);
    }

    // A warehouse is derived from the lake (gmp rebuilds it), so an unprotected one may simply go.
    const removalPolicy = config.deletionProtection ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY;
    const common = {
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      securityGroups: [this.securityGroup],
      port: config.port,
      credentials: rds.Credentials.fromUsername(config.user),
      manageMasterUserPassword: true,
      storageEncrypted: true,
      deletionProtection: config.deletionProtection,
      removalPolicy,
      // PostgreSQL 16 on RDS already defaults to it; stated so a parameter change cannot drop TLS.
      parameters: { 'rds.force_ssl': '1' },
    };

    if (config.kind === 'instance') {
      const instance = new rds.DatabaseInstance(this, 'Instance', {
        ...common,
        instanceIdentifier: name,
        // A pinned minor: RDS no longer creates instances from a bare major version; minor upgrades
        // then arrive in the maintenance window.
        engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16_9 }),
        instanceType: new ec2.InstanceType(config.instanceClass),
        databaseName: config.database,
        storageType: rds.StorageType.GP3,
        allocatedStorage: config.allocatedStorageGiB,
        ...(config.maxAllocatedStorageGiB !== undefined ? { maxAllocatedStorage: config.maxAllocatedStorageGiB } : {}),
        multiAz: config.multiAz,
        backupRetention: Duration.days(config.backupRetentionDays),
        publiclyAccessible: false,
        autoMinorVersionUpgrade: true,
      });
      this.resource = instance;
      this.endpoint = instance.dbInstanceEndpointAddress;
      this.masterSecret = instance.secret!;
      if (!config.multiAz) {
        acknowledge(
          instance.node.defaultChild!,
          'AwsSolutions-RDS3',
          'warehouse.multiAz is false in the environment config: the warehouse holds only tables gmp rebuilds from the lake, so a zone outage delays dashboards but loses nothing; a standby doubles the instance cost.',
        );
      }
    } else {
      const cluster = new rds.DatabaseCluster(this, 'Cluster', {
        ...common,
        clusterIdentifier: name,
        engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_9 }),
        defaultDatabaseName: config.database,
        serverlessV2MinCapacity: config.minCapacity,
        serverlessV2MaxCapacity: config.maxCapacity,
        writer: rds.ClusterInstance.serverlessV2('Writer', { publiclyAccessible: false, autoMinorVersionUpgrade: true }),
        readers: config.multiAz ? [rds.ClusterInstance.serverlessV2('Reader', { publiclyAccessible: false, autoMinorVersionUpgrade: true, scaleWithWriter: true })] : [],
        backup: { retention: Duration.days(config.backupRetentionDays) },
      });
      this.resource = cluster;
      this.endpoint = cluster.clusterEndpoint.hostname;
      this.masterSecret = cluster.secret!;
      acknowledge(
        cluster.node.defaultChild!,
        'AwsSolutions-RDS6',
        'gmp and BI tools log in with passwords (the master password RDS rotates in Secrets Manager, the reader role’s own); IAM authentication tokens expire after 15 minutes and neither gmp nor the BI tools request them.',
      );
    }

    acknowledge(
      this.resource.node.defaultChild!,
      'AwsSolutions-RDS11',
      'The port is warehouse.port (5432 by default, what BI tools expect); the database sits in isolated subnets behind a security group that admits only the gmp task and the configured BI networks, so a non-default port would hide nothing.',
    );
    if (!config.deletionProtection) {
      acknowledge(
        this.resource.node.defaultChild!,
        'AwsSolutions-RDS10',
        'warehouse.deletionProtection is false in the environment config (a throwaway environment): the warehouse holds only tables gmp rebuilds from the retained lake.',
      );
    }
  }
}

/**
 * GMP_WAREHOUSE_URL of a Postgres warehouse: user, host, port and database, never the password
 * (the task gets that as PGPASSWORD). TLS is required, as libpq means it: encrypted, the server's
 * certificate not checked (the RDS CA is not in Node's trust store). node-postgres 8 reads a bare
 * `sslmode=require` as verify-full and would refuse RDS's certificate; `uselibpqcompat` asks it for
 * libpq's meaning.
 */
export function postgresWarehouseUrl(warehouse: Pick<PostgresWarehouse, 'user' | 'endpoint' | 'port' | 'database'>): string {
  return `postgres://${warehouse.user}@${warehouse.endpoint}:${warehouse.port}/${warehouse.database}?sslmode=require&uselibpqcompat=true`;
}
