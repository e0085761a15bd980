import { z } from '@hono/zod-openapi';

// One zod schema per shape: the validation, the TypeScript type and the OpenAPI document.

export const ErrorBodySchema = z
  .object({ error: z.object({ code: z.string(), message: z.string(), hint: z.string().optional() }) })
  .openapi('Error');

export const AssetSchema = z
  .object({
    key: z.string().openapi({ example: 'rawg/games' }),
    kind: z.enum(['ingestion', 'external', 'view', 'table', 'partitioned', 'incremental', 'check', 'ml']),
    group: z.string(),
    partitions: z.string().openapi({ example: 'daily from 2015-01-01' }),
    deps: z.array(z.string()),
    description: z.string(),
    tags: z.array(z.string()),
  })
  .openapi('Asset');

export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100).openapi({ description: 'items per page (1-500)' }),
  cursor: z.string().max(200).optional().openapi({ description: 'the `next` of the previous page' }),
});

export const AssetsPageSchema = z.object({ assets: z.array(AssetSchema), next: z.string().nullable() }).openapi('AssetsPage');

export const AssetDetailSchema = AssetSchema.extend({ downstream: z.array(z.string()) }).openapi('AssetDetail');

export const PartitionRangeSchema = z.object({
  from: z.string(),
  to: z.string(),
  status: z.enum(['ok', 'failed', 'missing']),
  count: z.number().int(),
});

export const PartitionsSchema = z
  .object({
    asset: z.string(),
    partitioned: z.boolean(),
    grain: z.enum(['day', 'hour']).optional().openapi({ description: 'what the keys are: UTC days YYYY-MM-DD or UTC hours YYYY-MM-DDTHH' }),
    ranges: z.array(PartitionRangeSchema).openapi({ description: 'runs of partitions in the same state: never one element per key' }),
    days: z
      .array(z.object({ from: z.string(), to: z.string(), ok: z.number().int(), failed: z.number().int(), missing: z.number().int() }))
      .optional()
      .openapi({ description: 'hourly assets: hours per state per day, runs of whole days alike merged' }),
    counts: z.object({ ok: z.number().int(), failed: z.number().int(), missing: z.number().int() }),
    note: z.string().optional(),
  })
  .openapi('PartitionRanges');

export const RunStatusSchema = z.enum(['running', 'succeeded', 'failed', 'canceled', 'abandoned']);

export const RunSchema = z
  .object({
    runId: z.string(),
    kind: z.string(),
    status: RunStatusSchema,
    selection: z.string(),
    partitions: z.string(),
    startedAt: z.string(),
    endedAt: z.string().nullable(),
    error: z.string().nullable(),
    owner: z.string().nullable().optional(),
    heartbeatAt: z.string().nullable().optional(),
    steps: z.object({ total: z.number().int(), succeeded: z.number().int(), failed: z.number().int() }),
    rows: z.number(),
    requests: z.number(),
  })
  .openapi('Run');

export const RunsPageSchema = z.object({ runs: z.array(RunSchema), next: z.string().nullable() }).openapi('RunsPage');

export const StepSchema = z
  .object({
    asset: z.string(),
    partition: z.string().nullable(),
    status: z.enum(['succeeded', 'failed', 'skipped', 'canceled']),
    startedAt: z.string(),
    endedAt: z.string(),
    durationMs: z.number(),
    rows: z.number().nullable(),
    pages: z.number().nullable(),
    requests: z.number().nullable(),
    error: z.string().nullable(),
  })
  .openapi('Step');

export const RunDetailSchema = RunSchema.omit({ steps: true })
  .extend({
    stepCounts: z.object({ total: z.number().int(), succeeded: z.number().int(), failed: z.number().int(), other: z.number().int().openapi({ description: 'skipped or canceled' }) }),
    steps: z.array(StepSchema).openapi({ description: 'the first 1,000 steps in the order they ran (stepCounts counts them all)' }),
    failedSteps: z.array(StepSchema).openapi({ description: 'the first 1,000 failed steps' }),
    checksFailed: z.number().int().openapi({ description: 'check steps that failed: a run with failed checks never reads as a plain success' }),
  })
  .openapi('RunDetail');

export const EventSchema = z
  .object({
    id: z.number().int(),
    ts: z.string(),
    type: z.enum(['RUN_START', 'RUN_END', 'STEP_START', 'STEP_SUCCESS', 'STEP_FAILURE', 'STEP_SKIPPED', 'LOG']),
    level: z.enum(['error', 'warn', 'info']),
    asset: z.string().nullable(),
    partition: z.string().nullable(),
    message: z.string().nullable(),
  })
  .openapi('RunEvent');

export const EventsPageSchema = z.object({ events: z.array(EventSchema), next: z.string().nullable() }).openapi('RunEventsPage');

export const HealthSchema = z.object({ status: z.enum(['ok']) }).openapi('Health');
export const ReadySchema = z
  .object({ status: z.enum(['ready', 'not ready']), checks: z.record(z.string(), z.string()) })
  .openapi('Ready');

const BackfillPartitionCounts = z.object({
  pending: z.number().int(),
  running: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  canceled: z.number().int(),
});

export const BackfillSchema = z
  .object({
    backfill: z.object({
      backfillId: z.string(),
      selection: z.string(),
      fromKey: z.string(),
      toKey: z.string(),
      status: z.enum(['running', 'succeeded', 'failed', 'canceled']),
      createdAt: z.string(),
      updatedAt: z.string(),
      options: z.record(z.string(), z.unknown()),
    }),
    status: z.enum(['running', 'succeeded', 'failed', 'canceled', 'interrupted']).openapi({ description: '`interrupted`: recorded as running, but its process is gone' }),
    counts: BackfillPartitionCounts,
    resume: z.string().nullable(),
  })
  .openapi('Backfill');

export const BackfillsSchema = z.object({ backfills: z.array(BackfillSchema) }).openapi('Backfills');

export const BackfillDetailSchema = BackfillSchema.extend({
  assets: z.array(
    z.object({
      asset: z.string(),
      counts: BackfillPartitionCounts,
      ranges: z
        .array(z.object({ from: z.string().nullable(), to: z.string().nullable(), status: z.enum(['pending', 'running', 'succeeded', 'failed', 'skipped', 'canceled']), count: z.number().int() }))
        .openapi({ description: 'the row of the partition matrix: runs of consecutive partitions in one status' }),
    }),
  ),
  failures: z.array(z.object({ asset: z.string(), partition: z.string().nullable(), error: z.string().nullable() })),
}).openapi('BackfillDetail');

export const ScheduleSchema = z
  .object({
    schedule: z.string(),
    cron: z.string(),
    description: z.string(),
    nextTick: z.string().nullable(),
    nextTarget: z.object({ select: z.string(), exclude: z.string().optional(), partition: z.string().optional(), from: z.string().optional(), to: z.string().optional() }).nullable(),
    lastTick: z.string().nullable(),
  })
  .openapi('Schedule');

export const DaemonSchema = z
  .object({
    owner: z.string().openapi({ description: 'host:pid:daemon-id' }),
    state: z.enum(['running', 'silent', 'stopped']).openapi({ description: 'silent: not stopped, but no heartbeat for 90 s (killed or hung)' }),
    startedAt: z.string(),
    heartbeatAt: z.string(),
    stoppedAt: z.string().nullable(),
    nextTick: z.string().nullable().openapi({ description: 'schedule@instant it waits for' }),
    once: z.boolean(),
  })
  .openapi('Daemon');

export const SchedulesSchema = z
  .object({ schedules: z.array(ScheduleSchema), daemons: z.array(DaemonSchema).openapi({ description: 'daemons heard from in the last week, the latest first' }) })
  .openapi('Schedules');

export const BudgetSchema = z
  .object({
    ledgers: z.array(
      z.object({
        source: z.string(),
        endpoint: z.string(),
        inUse: z.boolean(),
        usage: z.object({ day: z.number().int(), month: z.number().int() }),
        limits: z.object({ perMonth: z.number().int(), perDay: z.number().int().optional() }),
        remaining: z.number().int(),
      }),
    ),
  })
  .openapi('Budget');

export const CheckStateSchema = z.object({
  check: z.string(),
  partition: z.string().nullable(),
  status: z.enum(['passed', 'failed', 'warned', 'errored']),
  failing: z.number().nullable(),
  at: z.string(),
});

const CheckResultSchema = z.object({
  id: z.number().int(),
  check: z.string(),
  partition: z.string().nullable(),
  status: z.enum(['passed', 'failed', 'warned', 'errored']),
  severity: z.enum(['error', 'warn']),
  at: z.string(),
  runId: z.string(),
});

export const CheckHistorySchema = z
  .object({ asset: z.string(), results: z.array(CheckResultSchema).openapi({ description: 'newest first' }), next: z.string().nullable() })
  .openapi('CheckHistory');

export const StatusSchema = z
  .object({
    assets: z.array(
      z.object({
        asset: z.string(),
        due: z.string().nullable(),
        latest: z.string().nullable(),
        late: z.array(z.string()),
        status: z.enum(['fresh', 'late', 'never']),
        sourceFreshness: z
          .object({ status: z.enum(['pass', 'warn', 'error']), ageHours: z.number().nullable(), warnAfterHours: z.number().optional(), errorAfterHours: z.number().optional() })
          .optional(),
        checks: z.array(CheckStateSchema),
      }),
    ),
  })
  .openapi('Status');

export const LineageSchema = z
  .object({
    asset: z.string(),
    direction: z.enum(['upstream', 'downstream', 'both']),
    upstream: z.array(z.object({ key: z.string(), relation: z.string(), kind: z.string() })),
    downstream: z.array(z.object({ key: z.string(), relation: z.string(), kind: z.string() })),
    edges: z.array(z.object({ from: z.string(), to: z.string() })),
  })
  .openapi('AssetLineage');

export const ColumnsSchema = z
  .object({
    asset: z.string(),
    relation: z.string(),
    resolved: z.boolean(),
    reason: z.string().optional(),
    columns: z.array(
      z.object({
        column: z.string(),
        resolved: z.boolean(),
        reason: z.string().optional(),
        sources: z.array(z.object({ relation: z.string(), column: z.string(), path: z.string().optional() })),
        origins: z.array(z.string()).optional(),
      }),
    ),
  })
  .openapi('AssetColumns');

export const LaunchRequestSchema = z
  .object({
    select: z.string().min(1).max(2000).openapi({ example: 'rawg/games+' }),
    exclude: z.string().max(2000).optional(),
    partition: z.string().max(40).optional().openapi({ example: 'yesterday' }),
    from: z.string().max(40).optional(),
    to: z.string().max(40).optional(),
    vars: z.record(z.string(), z.unknown()).optional().openapi({ description: "values for the models' var('x')" }),
    preview: z.boolean().default(false).openapi({ description: 'plan and estimate only; nothing runs' }),
  })
  .strict()
  .openapi('LaunchRequest');

const BudgetLedger = BudgetSchema.shape.ledgers.element;

export const PreviewSchema = z
  .object({
    steps: z.number().int(),
    toRun: z.number().int(),
    materialized: z.number().int(),
    assets: z.array(
      z.object({
        asset: z.string(),
        kind: z.string(),
        steps: z.number().int(),
        from: z.string().nullable(),
        to: z.string().nullable(),
        materialized: z.number().int(),
        toRun: z.number().int(),
      }),
    ),
    budget: z
      .object({
        fits: z.boolean(),
        ledgers: z.array(BudgetLedger),
        estimate: z.object({
          total: z.number(),
          low: z.number(),
          high: z.number(),
          probeRequests: z.number().int(),
          assets: z.array(
            z.object({
              asset: z.string(),
              steps: z.number().int(),
              requests: z.number(),
              low: z.number(),
              high: z.number(),
              basis: z.array(z.object({ basis: z.string(), steps: z.number().int() })),
              note: z.string().optional(),
            }),
          ),
        }),
      })
      .optional(),
  })
  .openapi('Preview');

export const LaunchedSchema = z.object({ runId: z.string(), status: z.literal('running') }).openapi('Launched');
export const CancelSchema = z.object({ runId: z.string(), canceled: z.boolean(), message: z.string() }).openapi('CancelAnswer');

export const BackfillRequestSchema = z
  .object({
    select: z.string().min(1).max(2000),
    exclude: z.string().max(2000).optional(),
    from: z.string().max(40),
    to: z.string().max(40),
    force: z.boolean().default(false),
    concurrency: z.number().int().min(1).max(64).optional(),
    vars: z.record(z.string(), z.unknown()).optional(),
    preview: z.boolean().default(false),
  })
  .strict()
  .openapi('BackfillRequest');

export const BackfillStartedSchema = z.object({ backfillId: z.string(), status: z.literal('running') }).openapi('BackfillStarted');

export const RoleSchema = z.enum(['viewer', 'operator', 'admin']);
export const UserSchema = z
  .object({ name: z.string(), role: RoleSchema, email: z.string().nullable(), displayName: z.string().nullable(), createdAt: z.string(), updatedAt: z.string() })
  .openapi('User');
export const MeSchema = z
  .object({
    name: z.string(),
    role: RoleSchema,
    via: z.enum(['session', 'token', 'local']).openapi({ description: '`local`: no account exists yet and the server listens on loopback, so you act as its admin' }),
    email: z.string().nullable().openapi({ description: 'lower-cased; null for the local admin and accounts made without one' }),
    displayName: z.string().nullable(),
  })
  .openapi('Me');
export const LoginSchema = z.object({ name: z.string().min(1).max(64), password: z.string().min(1).max(1000) }).strict().openapi('Login');
export const NewUserSchema = z.object({ name: z.string().min(1).max(64), role: RoleSchema, password: z.string().min(1).max(1000) }).strict().openapi('NewUser');
export const TokenSchema = z
  .object({ tokenId: z.string(), user: z.string(), name: z.string(), createdAt: z.string(), expiresAt: z.string(), revokedAt: z.string().nullable(), lastUsedAt: z.string().nullable() })
  .openapi('ApiToken');
export const NewTokenSchema = z.object({ user: z.string().min(1).max(64), name: z.string().min(1).max(100), expiresDays: z.number().int().min(1).max(3650).default(90) }).strict().openapi('NewToken');
export const CreatedTokenSchema = z
  .object({ tokenId: z.string(), token: z.string().openapi({ description: 'shown once: only its hash is kept' }), expiresAt: z.string() })
  .openapi('CreatedToken');
export const AuditSchema = z
  .object({
    entries: z.array(z.object({ id: z.number().int(), at: z.string(), actor: z.string(), action: z.string(), target: z.string().nullable(), detail: z.record(z.string(), z.unknown()).nullable() })),
    next: z.string().nullable(),
  })
  .openapi('AuditLog');

const PASSWORD = z.string().min(1).max(1000);
export const RegisterSchema = z
  .object({
    name: z.string().min(1).max(64).openapi({ description: 'your user name: 2-64 of a-z 0-9 . _ - starting with a letter', example: 'ana' }),
    email: z.string().min(1).max(254).openapi({ example: 'ana@example.org' }),
    password: PASSWORD.openapi({ description: 'at least 10 characters' }),
    displayName: z.string().max(100).nullable().optional().openapi({ example: 'Ana Lima' }),
  })
  .strict()
  .openapi('Register');
export const ProfileChangeSchema = z
  .object({
    displayName: z.string().max(100).nullable().optional().openapi({ description: 'empty or null: shown by your user name' }),
    email: z.string().min(1).max(254).optional(),
  })
  .strict()
  .openapi('ProfileChange');
export const PasswordChangeSchema = z.object({ currentPassword: PASSWORD, newPassword: PASSWORD.openapi({ description: 'at least 10 characters' }) }).strict().openapi('PasswordChange');
export const NewOwnTokenSchema = z
  .object({ name: z.string().min(1).max(100).openapi({ description: 'what it is for', example: 'grafana' }), expiresInDays: z.number().int().min(1).max(3650).default(90) })
  .strict()
  .openapi('NewOwnToken');

const settingOf = <V extends readonly [string, ...string[]]>(values: V, name: string, description: string) =>
  z
    .object({
      value: z.enum(values),
      source: z.enum(['admin', 'environment', 'default']).openapi({ description: '`admin`: set by `setBy` at `setAt`' }),
      setBy: z.string().nullable(),
      setAt: z.string().nullable(),
      fallback: z.object({ value: z.enum(values), source: z.enum(['environment', 'default']) }).openapi({ description: 'what applies while no admin has chosen' }),
    })
    .openapi(name, { description });
export const SettingsSchema = z
  .object({
    registration: settingOf(['open', 'closed'], 'RegistrationSetting', 'whether anyone may create an account; by default open on a loopback-only server, closed beyond'),
    sqlConsole: settingOf(['viewers', 'operators', 'off'], 'SqlConsoleSetting', 'who may use the SQL console; by default GMP_SQL_CONSOLE'),
  })
  .openapi('Settings');
export const SettingsChangeSchema = z
  .object({
    registration: z.enum(['open', 'closed']).nullable().optional(),
    sqlConsole: z.enum(['viewers', 'operators', 'off']).nullable().optional(),
  })
  .strict()
  .openapi('SettingsChange', { description: 'a value, or null to go back to the default; a key left out stays as it is' });
