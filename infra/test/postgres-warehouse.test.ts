import type { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { minimalEnvironment, postgresEnvironment } from './support/environments.js';
import { container, statefulResourceBehind } from './support/runtime-fixture.js';
import { synthesize, type Synthesized } from './support/synth.js';
import { logicalIdOf, resource, roleLogicalIdFromArn, statementsOfRole } from './support/template-queries.js';

// pg: an RDS instance with every default; aurora: Aurora Serverless v2 with every option
// (scale to zero, a reader, unprotected, another port, BI networks); minimal: Snowflake, to compare.
const BI_CIDR = '10.50.0.0/16';
const BI_GROUP = 'sg-0123456789abcdef0';
let synth: Synthesized;
beforeAll(() => {
  synth = synthesize([
    postgresEnvironment(),
    postgresEnvironment({
      name: 'aurora',
      warehouse: { kind: 'aurora-serverless', minCapacity: 0, maxCapacity: 8, multiAz: true, deletionProtection: false, port: 6432, database: 'market', user: 'transformer', reader: 'bi_reader', biAccess: { cidrs: [BI_CIDR], securityGroupIds: [BI_GROUP] } },
    }),
    minimalEnvironment(),
  ]);
});
afterAll(() => synth.dispose());

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string };
const only = (t: Template, type: string): [string, Resource] => {
  const found = Object.entries(t.findResources(type));
  expect(found, type).toHaveLength(1);
  return found[0] as [string, Resource];
};
const envOf = (c: Record<string, any>): Record<string, unknown> => Object.fromEntries((c.Environment as { Name: string; Value: unknown }[]).map((e) => [e.Name, e.Value]));
const secretsOf = (c: Record<string, any>): Record<string, unknown> => Object.fromEntries((c.Secrets as { Name: string; ValueFrom: unknown }[]).map((e) => [e.Name, e.ValueFrom]));

/** The warehouse's security group: the one the database resource names. */
function warehouseGroup(t: Template): [string, Resource] {
  // A cluster's instances name no security group: the cluster does.
  const db = [...Object.values(t.findResources('AWS::RDS::DBCluster')), ...Object.values(t.findResources('AWS::RDS::DBInstance'))][0] as Resource;
  const ref = (db.Properties.VPCSecurityGroups ?? db.Properties.VpcSecurityGroupIds) as { 'Fn::GetAtt': [string, string] }[];
  expect(ref).toHaveLength(1);
  const id = ref[0]!['Fn::GetAtt'][0];
  return [id, resource(t, id)];
}

describe('Postgres warehouse: an RDS instance (the default kind)', () => {
  it('runs PostgreSQL 16, encrypted, private, with the configured database and master user', () => {
    const [, db] = only(synth.get('pg').runtime, 'AWS::RDS::DBInstance');
    expect(db.Properties).toMatchObject({
      DBInstanceIdentifier: 'gmp-pg-warehouse',
      Engine: 'postgres',
      DBInstanceClass: 'db.t4g.medium',
      DBName: 'gmp',
      MasterUsername: 'gmp',
      ManageMasterUserPassword: true,
      StorageEncrypted: true,
      StorageType: 'gp3',
      AllocatedStorage: '20',
      PubliclyAccessible: false,
      MultiAZ: false,
      BackupRetentionPeriod: 7,
      Port: '5432',
    });
    expect(db.Properties.EngineVersion).toMatch(/^16\.\d+$/);
    expect(db.Properties.MasterUserPassword).toBeUndefined();
  });

  it('is deletion-protected and leaves a final snapshot when deleted or replaced', () => {
    const [, db] = only(synth.get('pg').runtime, 'AWS::RDS::DBInstance');
    expect(db.Properties.DeletionProtection).toBe(true);
    expect([db.DeletionPolicy, db.UpdateReplacePolicy]).toEqual(['Snapshot', 'Snapshot']);
  });

  it('refuses connections without TLS', () => {
    const t = synth.get('pg').runtime;
    const [, db] = only(t, 'AWS::RDS::DBInstance');
    expect(resource(t, db.Properties.DBParameterGroupName.Ref).Properties).toMatchObject({ Family: 'postgres16', Parameters: { 'rds.force_ssl': '1' } });
  });

  it('lives in isolated subnets of the task’s VPC, one per zone, with no route out', () => {
    const t = synth.get('pg').runtime;
    const [, db] = only(t, 'AWS::RDS::DBInstance');
    const subnetIds = resource(t, db.Properties.DBSubnetGroupName.Ref).Properties.SubnetIds as { Ref: string }[];
    const subnets = subnetIds.map(({ Ref }) => resource(t, Ref));
    expect(subnets.map((s) => s.Properties.AvailabilityZone).sort()).toEqual(['us-east-2a', 'us-east-2b']);
    for (const s of subnets) {
      expect(s.Properties.Tags).toContainEqual({ Key: 'aws-cdk:subnet-type', Value: 'Isolated' });
      expect(s.Properties.VpcId).toEqual({ Ref: logicalIdOf(t, 'AWS::EC2::VPC') });
    }
    const tables = new Set(
      Object.values(t.findResources('AWS::EC2::SubnetRouteTableAssociation'))
        .filter((a) => subnetIds.some(({ Ref }) => (a as Resource).Properties.SubnetId.Ref === Ref))
        .map((a) => (a as Resource).Properties.RouteTableId.Ref as string),
    );
    expect(tables.size).toBe(2);
    const routes = Object.values(t.findResources('AWS::EC2::Route')).filter((r) => tables.has((r as Resource).Properties.RouteTableId.Ref));
    expect(routes).toEqual([]);
  });

  it('leaves the CIDRs of the existing subnets as they are in a Snowflake environment', () => {
    const cidrs = (t: Template, type: string): string[] =>
      Object.values(t.findResources('AWS::EC2::Subnet'))
        .filter((s) => ((s as Resource).Properties.Tags as { Key: string; Value: string }[]).some((tag) => tag.Key === 'aws-cdk:subnet-type' && tag.Value === type))
        .map((s) => (s as Resource).Properties.CidrBlock as string);
    for (const type of ['Public', 'Private']) expect(cidrs(synth.get('pg').runtime, type), type).toEqual(cidrs(synth.get('minimal').runtime, type));
    expect(cidrs(synth.get('minimal').runtime, 'Isolated')).toEqual([]);
    expect(cidrs(synth.get('pg').runtime, 'Isolated')).toHaveLength(2);
  });
});

describe('Postgres warehouse: an Aurora Serverless v2 cluster', () => {
  it('scales between the configured capacities, with a writer and a reader in the second zone', () => {
    const t = synth.get('aurora').runtime;
    const [clusterId, cluster] = only(t, 'AWS::RDS::DBCluster');
    expect(cluster.Properties).toMatchObject({
      DBClusterIdentifier: 'gmp-aurora-warehouse',
      Engine: 'aurora-postgresql',
      DatabaseName: 'market',
      MasterUsername: 'transformer',
      ManageMasterUserPassword: true,
      StorageEncrypted: true,
      Port: 6432,
      ServerlessV2ScalingConfiguration: { MinCapacity: 0, MaxCapacity: 8 },
    });
    expect(cluster.Properties.EngineVersion).toMatch(/^16\.\d+$/);
    expect(cluster.Properties.MasterUserPassword).toBeUndefined();
    expect(resource(t, cluster.Properties.DBClusterParameterGroupName.Ref).Properties.Parameters).toEqual({ 'rds.force_ssl': '1' });
    const instances = Object.values(t.findResources('AWS::RDS::DBInstance')) as Resource[];
    expect(instances.map((i) => [i.Properties.DBInstanceClass, i.Properties.PromotionTier, i.Properties.PubliclyAccessible])).toEqual([
      ['db.serverless', 0, false],
      ['db.serverless', 1, false],
    ]);
    for (const i of instances) expect(i.Properties.DBClusterIdentifier).toEqual({ Ref: clusterId });
  });

  it('is deleted outright when the config turns protection off (the lake keeps everything it was built from)', () => {
    const [, cluster] = only(synth.get('aurora').runtime, 'AWS::RDS::DBCluster');
    expect(cluster.Properties.DeletionProtection).toBe(false);
    expect([cluster.DeletionPolicy, cluster.UpdateReplacePolicy]).toEqual(['Delete', 'Delete']);
  });
});

describe('Postgres warehouse: who may connect', () => {
  it('admits the pipeline task and nothing else by default, and lets nothing out', () => {
    const t = synth.get('pg').runtime;
    const [groupId, group] = warehouseGroup(t);
    const taskGroup = logicalIdOf(t, 'AWS::EC2::SecurityGroup', { GroupDescription: 'gmp task: no ingress; egress to HTTPS (RAWG, Snowflake, AWS APIs) and the state database' });
    expect(group.Properties.SecurityGroupIngress).toBeUndefined();
    const ingress = Object.values(t.findResources('AWS::EC2::SecurityGroupIngress')).map((r) => (r as Resource).Properties);
    expect(ingress).toEqual([expect.objectContaining({ GroupId: { 'Fn::GetAtt': [groupId, 'GroupId'] }, SourceSecurityGroupId: { 'Fn::GetAtt': [taskGroup, 'GroupId'] }, IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432 })]);
    // aws-cdk-lib's placeholder rule for "no egress": an ICMP rule to a single unroutable address.
    expect(group.Properties.SecurityGroupEgress).toEqual([expect.objectContaining({ CidrIp: '255.255.255.255/32', IpProtocol: 'icmp' })]);
    const egress = Object.values(t.findResources('AWS::EC2::SecurityGroupEgress')).map((r) => (r as Resource).Properties);
    expect(egress).toEqual([expect.objectContaining({ GroupId: { 'Fn::GetAtt': [taskGroup, 'GroupId'] }, DestinationSecurityGroupId: { 'Fn::GetAtt': [groupId, 'GroupId'] }, FromPort: 5432, ToPort: 5432 })]);
  });

  it('also admits the configured BI networks and security groups, on the warehouse port only', () => {
    const [, group] = warehouseGroup(synth.get('aurora').runtime);
    expect((group.Properties.SecurityGroupIngress as Record<string, unknown>[]).map((r) => [r.CidrIp ?? r.SourceSecurityGroupId, r.IpProtocol, r.FromPort, r.ToPort])).toEqual([
      [BI_CIDR, 'tcp', 6432, 6432],
      [BI_GROUP, 'tcp', 6432, 6432],
    ]);
  });
});

describe('Postgres warehouse: what the task gets', () => {
  it('a GMP_WAREHOUSE_URL with user, endpoint, port and database, TLS required, and no password', () => {
    for (const [env, kind, rest] of [
      ['pg', 'AWS::RDS::DBInstance', ':5432/gmp?sslmode=require&uselibpqcompat=true'],
      ['aurora', 'AWS::RDS::DBCluster', ':6432/market?sslmode=require&uselibpqcompat=true'],
    ] as const) {
      const s = synth.get(env);
      const [dbId] = only(s.runtime, kind);
      const user = env === 'pg' ? 'gmp' : 'transformer';
      expect(envOf(container(s)).GMP_WAREHOUSE_URL, env).toEqual({ 'Fn::Join': ['', [`postgres://${user}@`, { 'Fn::GetAtt': [dbId, 'Endpoint.Address'] }, rest]] });
    }
  });

  it('PGPASSWORD from the password field of the secret RDS manages, readable by the execution role only', () => {
    const s = synth.get('pg');
    const [dbId] = only(s.runtime, 'AWS::RDS::DBInstance');
    const secretArn = { 'Fn::GetAtt': [dbId, 'MasterUserSecret.SecretArn'] };
    const c = container(s);
    expect(secretsOf(c).PGPASSWORD).toEqual({ 'Fn::Join': ['', [secretArn, ':password::']] });
    const taskDef = resource(s.runtime, logicalIdOf(s.runtime, 'AWS::ECS::TaskDefinition'));
    const readers = (role: string): unknown[] =>
      statementsOfRole(s.runtime, role)
        .filter((st) => [st.Action].flat().includes('secretsmanager:GetSecretValue'))
        .flatMap((st) => [st.Resource].flat());
    expect(readers(roleLogicalIdFromArn(taskDef.Properties.ExecutionRoleArn))).toContainEqual(secretArn);
    expect(readers(roleLogicalIdFromArn(taskDef.Properties.TaskRoleArn))).toEqual([]);
  });

  it('the reader role’s name, and its login password from a generated, retained secret', () => {
    for (const [env, reader] of [
      ['pg', 'gmp_reader'],
      ['aurora', 'bi_reader'],
    ] as const) {
      const s = synth.get(env);
      const c = container(s);
      expect(envOf(c).GMP_WAREHOUSE_READER).toBe(reader);
      const secret = statefulResourceBehind(s, secretsOf(c).GMP_WAREHOUSE_READER_PASSWORD);
      expect(secret.Properties).toEqual({
        Name: `gmp/${env}/warehouse-reader-password`,
        Description: expect.stringContaining('read-only BI role'),
        GenerateSecretString: { PasswordLength: 32, ExcludePunctuation: true },
      });
      const [, raw] = Object.entries(s.stateful.findResources('AWS::SecretsManager::Secret', { Properties: { Name: `gmp/${env}/warehouse-reader-password` } }))[0]!;
      expect((raw as Resource).DeletionPolicy).toBe('Retain');
    }
  });

  it('nothing of Snowflake: no Snowflake variable, secret, role, parameter or output', () => {
    const s = synth.get('pg');
    const c = container(s);
    expect([...Object.keys(envOf(c)), ...Object.keys(secretsOf(c))].sort()).toEqual(
      ['AWS_REGION', 'GMP_LAKE_URL', 'GMP_STATE_URL', 'GMP_WAREHOUSE_READER', 'GMP_WAREHOUSE_READER_PASSWORD', 'GMP_WAREHOUSE_URL', 'PGPASSWORD', 'RAWG_API_KEY'].sort(),
    );
    const runtime = s.runtime.toJSON() as { Parameters?: object; Outputs?: object };
    expect(Object.keys(runtime.Parameters ?? {}).filter((p) => p.startsWith('Snowflake'))).toEqual([]);
    expect(Object.keys(runtime.Outputs ?? {}).filter((o) => o.startsWith('Snowflake'))).toEqual([]);
    expect(Object.values(s.runtime.findResources('AWS::IAM::Role')).map((r) => String((r as Resource).Properties.RoleName ?? ''))).not.toContain('gmp-pg-snowflake-lake-reader');
    const secretNames = Object.values(s.stateful.findResources('AWS::SecretsManager::Secret')).map((r) => (r as Resource).Properties.Name as string);
    expect(secretNames.sort()).toEqual(['gmp/pg/rawg-api-key', 'gmp/pg/state-url', 'gmp/pg/warehouse-reader-password']);
  });

  it('the stack outputs a BI admin needs: endpoint, port, database, security group, master secret', () => {
    const outputs = synth.get('aurora').runtime.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.WarehousePort?.Value).toBe('6432');
    expect(outputs.WarehouseDatabase?.Value).toBe('market');
    for (const name of ['WarehouseEndpoint', 'WarehouseSecurityGroup', 'WarehouseMasterSecretArn']) expect(outputs[name], name).toBeDefined();
    expect(synth.get('minimal').runtime.toJSON().Outputs).not.toHaveProperty('WarehouseEndpoint');
  });
});

describe('Postgres warehouse: no password in any template', () => {
  it('has no literal password, secret string or master password property anywhere', () => {
    for (const env of ['pg', 'aurora']) {
      const s = synth.get(env);
      for (const template of [s.runtime.toJSON(), s.stateful.toJSON()]) {
        const text = JSON.stringify(template);
        expect(text).not.toMatch(/"(MasterUserPassword|SecretString|Password)"\s*:/);
      }
    }
  });
});
