import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface PipelineNetworkProps {
  availabilityZones: string[];
  natGateways: number;
  flowLogRetention: logs.RetentionDays;
  stateDatabasePort: number;
  /** Adds subnets with no route out of the VPC, for a database only the VPC reaches. */
  isolatedSubnets: boolean;
}

/**
 * The task's network: private subnets whose only way out is a NAT gateway (a fixed egress IP
 * that Snowflake network policies and the Postgres firewall can allow-list), an S3 gateway
 * endpoint so lake traffic skips the NAT, VPC flow logs, and a security group with no
 * ingress and egress only to HTTPS and the state database port.
 */
export class PipelineNetwork extends Construct {
  readonly vpc: ec2.Vpc;
  readonly taskSecurityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: PipelineNetworkProps) {
    super(scope, id);
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr('10.40.0.0/16'),
      // Named zones, not maxAzs: maxAzs on an environment-bound stack triggers an AWS lookup at synth.
      availabilityZones: props.availabilityZones,
      natGateways: props.natGateways,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
        // Last, so adding them leaves the CIDRs of the subnets above unchanged.
        ...(props.isolatedSubnets ? [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }] : []),
      ],
      gatewayEndpoints: { S3: { service: ec2.GatewayVpcEndpointAwsService.S3 } },
      restrictDefaultSecurityGroup: true,
    });
    const flowLogGroup = new logs.LogGroup(this, 'FlowLogs', {
      retention: props.flowLogRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });

    this.taskSecurityGroup = new ec2.SecurityGroup(this, 'TaskSecurityGroup', {
      vpc: this.vpc,
      description: 'gmp task: no ingress; egress to HTTPS (RAWG, Snowflake, AWS APIs) and the state database',
      allowAllOutbound: false,
    });
    this.taskSecurityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS: RAWG API, Snowflake, ECR, Secrets Manager, CloudWatch Logs, S3');
    this.taskSecurityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(props.stateDatabasePort), 'Postgres state store (GMP_STATE_URL)');
  }
}
