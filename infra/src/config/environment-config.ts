import { z } from 'zod';

// Commercial, GovCloud and China partitions: us-east-1, eu-central-2, us-gov-west-1, cn-north-1.
const REGION = /^(?:[a-z]{2}|us-gov)-[a-z]+-\d{1,2}$/;
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;
// Fargate accepts only these memory sizes (MiB) per CPU size (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html).
const FARGATE_MEMORY: Record<number, readonly number[]> = {
  256: [512, 1024, 2048],
  512: [1024, 2048, 3072, 4096],
  1024: [2048, 3072, 4096, 5120, 6144, 7168, 8192],
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
};

const lakeSchema = z.strictObject({
  bucketNamePrefix: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{1,19}$/, 'must be 2-20 lowercase letters, digits or hyphens, starting with a letter or digit')
    .describe('first part of the lake bucket name: <prefix>-<environment>-<account>-<region>'),
  prefix: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]*(?:\/[a-z0-9][a-z0-9_-]*)*$/, 'must be a key prefix like "lake" or "gmp/lake" (no leading or trailing slash)')
    .default('lake')
    .describe('key prefix inside the bucket: GMP_LAKE_URL=s3://<bucket>/<prefix>'),
  encryption: z.enum(['kms', 's3-managed']).default('kms').describe('kms: a customer managed key with rotation; s3-managed: SSE-S3'),
  noncurrentVersionExpirationDays: z
    .number()
    .int()
    .min(1)
    .max(3650)
    .default(30)
    .describe('days a superseded run file or manifest stays recoverable as a noncurrent version'),
  abortIncompleteMultipartUploadDays: z.number().int().min(1).max(30).default(7),
  accessLogExpirationDays: z.number().int().min(1).max(3650).default(365).describe('days S3 server access logs are kept'),
});

const IDENTIFIER = '[A-Za-z_][A-Za-z0-9_$]*';
// gmp's own parser (core/config/parse-snowflake-url.ts) accepts exactly this shape.
const SNOWFLAKE_URL = new RegExp(`^snowflake://\\w+(?:[.-]\\w+)*/${IDENTIFIER}(?:/${IDENTIFIER})?(?:\\?(?:warehouse|role)=${IDENTIFIER}(?:&(?:warehouse|role)=${IDENTIFIER})?)?$`);

const snowflakeWarehouseSchema = z
  .strictObject({
    engine: z.literal('snowflake').default('snowflake').describe('snowflake (the default, so configs written before the postgres option stay valid) or postgres'),
    url: z
      .string()
      .refine((url) => !url.includes('@'), 'must not contain a user or password: the user is warehouse.user, the secret lives in Secrets Manager')
      .refine((url) => SNOWFLAKE_URL.test(url) || url.includes('@'), 'must look like snowflake://<account>/<database>[/<schema>]?warehouse=<wh>&role=<role>')
      .describe('GMP_WAREHOUSE_URL of the task (no credentials)'),
    user: z.string().regex(/^[^\s"']{1,255}$/, 'must be a Snowflake login name').describe('SNOWFLAKE_USER of the task'),
    auth: z.enum(['password', 'key-pair']).describe('password: SNOWFLAKE_PASSWORD; key-pair: SNOWFLAKE_PRIVATE_KEY (PEM)'),
    keyPassphrase: z.boolean().default(false).describe('key-pair only: the private key is encrypted; adds SNOWFLAKE_PRIVATE_KEY_PASSPHRASE'),
    storageIntegration: z
      .string()
      .regex(new RegExp(`^${IDENTIFIER}$`), 'must be a plain Snowflake identifier such as gmp_prod_lake')
      .optional()
      .describe('SNOWFLAKE_STORAGE_INTEGRATION of the task (gmp defaults to gmp_lake)'),
  })
  .refine((w) => !w.keyPassphrase || w.auth === 'key-pair', { message: 'applies to key-pair authentication only', path: ['keyPassphrase'] });

// Postgres names gmp creates or connects as: lowercase, unquoted identifiers.
const PG_NAME = /^[a-z][a-z0-9_]{0,62}$/;
const IPV4_CIDR = /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\/(?:[0-9]|[12]\d|3[0-2])$/;

const postgresShared = {
  engine: z.literal('postgres'),
  database: z.string().regex(PG_NAME, 'must be a lowercase Postgres name such as gmp').default('gmp').describe('the database gmp builds raw, staging and marts in'),
  user: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,15}$/, 'must be 1-16 lowercase letters, digits or underscores, starting with a letter (an RDS master user name)')
    .refine((u) => !['postgres', 'rdsadmin', 'admin'].includes(u), 'is reserved by RDS; choose another name such as gmp')
    .default('gmp')
    .describe('the master user, which the task connects as (the transformer of `gmp warehouse setup`)'),
  port: z.number().int().min(1150).max(65535).default(5432).describe('the port RDS listens on (RDS allows 1150-65535)'),
  reader: z.string().regex(PG_NAME, 'must be a lowercase Postgres role name such as gmp_reader').default('gmp_reader').describe('GMP_WAREHOUSE_READER: the read-only BI role `gmp warehouse setup` creates'),
  backupRetentionDays: z.number().int().min(1).max(35).default(7).describe('days of automated backups (point-in-time recovery)'),
  deletionProtection: z
    .boolean()
    .default(true)
    .describe('true: deletion protection on, and a final snapshot when CloudFormation deletes the database; false: deleted outright (a throwaway environment)'),
  biAccess: z
    .strictObject({
      cidrs: z
        .array(z.string().regex(IPV4_CIDR, 'must be an IPv4 CIDR such as 10.50.0.0/16').refine((c) => !c.endsWith('/0'), 'must not open the warehouse to every address'))
        .default([])
        .describe('networks (VPN, peered VPC) whose BI tools may connect on the warehouse port'),
      securityGroupIds: z
        .array(z.string().regex(/^sg-[0-9a-f]{8,17}$/, 'must be a security group id such as sg-0123456789abcdef0'))
        .default([])
        .describe('security groups (of this VPC or a peered one) whose members may connect'),
    })
    .default({ cidrs: [], securityGroupIds: [] }),
};

const postgresInstanceSchema = z.strictObject({
  ...postgresShared,
  kind: z.literal('instance').default('instance').describe('instance: one RDS for PostgreSQL instance; aurora-serverless: an Aurora PostgreSQL Serverless v2 cluster'),
  instanceClass: z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, 'must be an RDS instance class without "db.", such as t4g.medium').default('t4g.medium').describe('RDS instance class without the "db." prefix'),
  allocatedStorageGiB: z.number().int().min(20).max(65_536).default(20).describe('gp3 storage at creation'),
  maxAllocatedStorageGiB: z.number().int().min(21).max(65_536).optional().describe('storage autoscaling ceiling; omitted: no autoscaling'),
  multiAz: z.boolean().default(false).describe('a synchronous standby in a second zone (twice the instance cost)'),
});

const postgresServerlessSchema = z.strictObject({
  ...postgresShared,
  kind: z.literal('aurora-serverless'),
  minCapacity: z.number().min(0).max(256).multipleOf(0.5).default(0.5).describe('Aurora capacity units when idle; 0 pauses the cluster (the first connection then waits for it to resume)'),
  maxCapacity: z.number().min(1).max(256).multipleOf(0.5).default(4).describe('Aurora capacity units at most'),
  multiAz: z.boolean().default(false).describe('a reader instance in a second zone to fail over to'),
});

const postgresWarehouseSchema = z
  .discriminatedUnion('kind', [postgresInstanceSchema, postgresServerlessSchema], {
    error: (issue) => (issue.code === 'invalid_union' ? 'must be "instance" (the default) or "aurora-serverless"' : undefined),
  })
  .superRefine((w, ctx) => {
    if (w.kind === 'instance' && w.maxAllocatedStorageGiB !== undefined && w.maxAllocatedStorageGiB <= w.allocatedStorageGiB) {
      ctx.addIssue({ code: 'custom', path: ['maxAllocatedStorageGiB'], message: `must exceed allocatedStorageGiB (${w.allocatedStorageGiB})` });
    }
    if (w.kind === 'aurora-serverless' && w.maxCapacity < w.minCapacity) {
      ctx.addIssue({ code: 'custom', path: ['maxCapacity'], message: `must be at least minCapacity (${w.minCapacity})` });
    }
  });

/**
 * Where gmp builds its tables: Snowflake (bring your own account) or a PostgreSQL database this
 * app creates in the pipeline's VPC. DuckDB is not offered: its file would live on the task's
 * ephemeral storage and vanish after every run.
 */
const warehouseSchema = z.discriminatedUnion('engine', [snowflakeWarehouseSchema, postgresWarehouseSchema], {
  error: (issue) => (issue.code === 'invalid_union' ? 'must be "snowflake" (the default) or "postgres"' : undefined),
});

const snowflakeSchema = z
  .strictObject({
    principalArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:iam::\d{12}:(?:user|role)\/[\w+=,.@/-]+$/, 'must be an IAM user or role ARN (STORAGE_AWS_IAM_USER_ARN of DESC INTEGRATION)')
      .optional(),
    externalId: z
      .string()
      .regex(/^[\w+=,.@:/-]{2,1224}$/, 'must be 2-1224 characters of letters, digits and +=,.@:/-_ (STORAGE_AWS_EXTERNAL_ID of DESC INTEGRATION)')
      .optional(),
  })
  .default({})
  .describe('defaults of the SnowflakePrincipalArn and SnowflakeExternalId stack parameters');

const githubSchema = z.strictObject({
  repo: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'must be "owner/name"'),
  branch: z.string().regex(/^[A-Za-z0-9_./-]+$/, 'must be a branch name without wildcards').default('main'),
  oidcProviderArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/, 'must be the ARN of the account’s GitHub OIDC provider')
    .optional()
    .describe('set when the account already has a GitHub OIDC provider (an account can hold only one per URL)'),
});

const WRITE_KEY_NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;

const eventsSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe('false leaves out the event API, stream and delivery stream'),
    shards: z.number().int().min(1).max(200).optional().describe('provisioned shards of the stream; omitted: on-demand capacity'),
    retentionHours: z.number().int().min(24).max(8760).default(24).describe('hours the stream keeps records (Firehose reads them within minutes)'),
    writeKeys: z
      .array(z.string().regex(WRITE_KEY_NAME, 'must be 1-40 lowercase letters, digits or hyphens'))
      .min(1)
      .max(50)
      .refine((keys) => new Set(keys).size === keys.length, 'must not name a key twice')
      .default(['default'])
      .describe('one API key (write key) per sender, named gmp-<env>-events-<name>'),
    ratePerSecond: z.number().int().min(1).max(10_000).default(500).describe('requests a second per write key (usage plan throttle)'),
    burst: z.number().int().min(1).max(5_000).default(1_000).describe('requests a write key may burst to'),
    bufferSeconds: z.number().int().min(60).max(900).default(300).describe('Firehose writes an object at least this often…'),
    bufferMiB: z.number().int().min(1).max(128).default(64).describe('…or when this much has arrived'),
  })
  .default({ enabled: true, retentionHours: 24, writeKeys: ['default'], ratePerSecond: 500, burst: 1_000, bufferSeconds: 300, bufferMiB: 64 });

const environmentSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z][a-z0-9-]{0,14}$/, 'must be 1-15 lowercase letters, digits or hyphens, starting with a letter'),
    account: z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id'),
    region: z.string().regex(REGION, 'must be an AWS region code such as eu-west-1 or us-east-1'),
    lake: lakeSchema,
    warehouse: warehouseSchema,
    snowflake: snowflakeSchema,
    schedule: z.strictObject({ enabled: z.boolean().describe('false deploys the schedule in state DISABLED') }),
    events: eventsSchema,
    task: z
      .strictObject({
        cpu: z.union([z.literal(256), z.literal(512), z.literal(1024), z.literal(2048), z.literal(4096)]).default(1024),
        memoryMiB: z.number().int().default(2048),
      })
      .default({ cpu: 1024, memoryMiB: 2048 })
      .refine((t) => FARGATE_MEMORY[t.cpu]?.includes(t.memoryMiB) === true, {
        message: 'is not a Fargate CPU/memory combination (e.g. 1024 CPU with 2048-8192 MiB)',
        path: ['memoryMiB'],
      }),
    network: z
      .strictObject({
        availabilityZones: z
          .array(z.string().regex(/^[a-z0-9-]+-\d{1,2}[a-z]$/, 'must be an availability zone name such as eu-west-1a'))
          .min(2, 'must name 2 or 3 availability zones')
          .max(3, 'must name 2 or 3 availability zones')
          .optional()
          .describe('default <region>a and <region>b; named explicitly so synthesis needs no AWS lookup'),
        natGateways: z.number().int().min(1).max(3).default(1).describe('1 is cheapest; one per zone survives a zone outage'),
        stateDatabasePort: z.number().int().min(1).max(65535).default(5432).describe('egress port the task may use to reach the Postgres state store'),
      })
      .default({ natGateways: 1, stateDatabasePort: 5432 }),
    logRetentionDays: z
      .number()
      .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), `must be one of CloudWatch's retention periods: ${LOG_RETENTION_DAYS.join(', ')}`)
      .default(90),
    alarmEmail: z.email('must be an email address').optional(),
    github: githubSchema.optional(),
    cdkBootstrapQualifier: z.string().regex(/^[a-z0-9]{1,10}$/, 'must be 1-10 lowercase letters or digits').default('hnb659fds'),
  })
  .superRefine((env, ctx) => {
    if (env.warehouse.engine !== 'snowflake' && Object.keys(env.snowflake).length > 0) {
      ctx.addIssue({ code: 'custom', path: ['snowflake'], message: 'applies to warehouse.engine "snowflake" only (no Snowflake role is created for a postgres warehouse)' });
    }
    const zones = availabilityZones(env);
    zones.forEach((zone, i) => {
      if (!zone.startsWith(env.region)) {
        ctx.addIssue({ code: 'custom', path: ['network', 'availabilityZones', i], message: `is not in region ${env.region}` });
      }
    });
    if (env.network.natGateways > zones.length) {
      ctx.addIssue({ code: 'custom', path: ['network', 'natGateways'], message: `cannot exceed the ${zones.length} availability zones` });
    }
    const name = lakeBucketName(env);
    if (name.length > 63) {
      ctx.addIssue({
        code: 'custom',
        path: ['lake', 'bucketNamePrefix'],
        message: `makes the bucket name "${name}" ${name.length} characters long; S3 allows 63 — shorten the prefix or the environment name`,
      });
    }
  });

/** The environments file: every environment the app synthesizes, validated as a whole. */
export const ENVIRONMENTS_SCHEMA = z
  .strictObject({ environments: z.array(environmentSchema).min(1, 'must name at least one environment') })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.environments.forEach((env, i) => {
      if (seen.has(env.name)) ctx.addIssue({ code: 'custom', path: ['environments', i, 'name'], message: `"${env.name}" is used by two environments` });
      seen.add(env.name);
    });
    // An account holds one OIDC provider per URL: a second stack creating it would fail to deploy.
    const creators = new Map<string, string>();
    file.environments.forEach((env, i) => {
      if (env.github === undefined || env.github.oidcProviderArn !== undefined) return;
      const other = creators.get(env.account);
      if (other !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['environments', i, 'github', 'oidcProviderArn'],
          message: `must be set: environment "${other}" already creates the GitHub OIDC provider in account ${env.account}`,
        });
      }
      creators.set(env.account, env.name);
    });
  });

export type EnvironmentConfig = z.infer<typeof environmentSchema>;
export type EnvironmentsFile = z.infer<typeof ENVIRONMENTS_SCHEMA>;
export type WarehouseConfig = EnvironmentConfig['warehouse'];
export type SnowflakeWarehouseConfig = Extract<WarehouseConfig, { engine: 'snowflake' }>;
export type PostgresWarehouseConfig = Extract<WarehouseConfig, { engine: 'postgres' }>;

/** The globally unique lake bucket name; account and region keep it unique across deployments. */
export function lakeBucketName(env: Pick<EnvironmentConfig, 'name' | 'account' | 'region' | 'lake'>): string {
  return `${env.lake.bucketNamePrefix}-${env.name}-${env.account}-${env.region}`;
}

/** The zones of the VPC: the configured ones, else the region's zones a and b. */
export function availabilityZones(env: Pick<EnvironmentConfig, 'region'> & { network: { availabilityZones?: string[] | undefined } }): string[] {
  return env.network.availabilityZones ?? [`${env.region}a`, `${env.region}b`];
}

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}
