import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { DefinitionError, packageRoot, type Config } from '../../core/index.js';

/** A rule as `alerts.yml` declares it: a threshold on a collector metric or on one SQL value. */
export type AlertRule = {
  name: string;
  description: string | null;
  severity: 'warning' | 'critical';
  /** Fires when the value is above this (or below `below`). */
  above: number | null;
  below: number | null;
} & (
  | {
      kind: 'metric';
      /** Summed over every series whose labels include `labels`. */
      metric: string;
      labels: Record<string, string>;
      /** Divided by the sum of these metrics (a ratio); no data when that sum is 0. */
      per: string[];
    }
  | { kind: 'sql'; sql: string }
);

export interface AlertFile {
  file: string;
  /** Where metric rules read /metrics: the file's collector_url, else GMP_COLLECTOR_URL. */
  collectorUrl: string | null;
  /** The environment variable holding the webhook URL (a secret: never printed); null: GMP_ALERTS_WEBHOOK_URL. */
  webhookEnv: string | null;
  rules: AlertRule[];
}

const METRIC = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const RuleSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9_-]{1,63}$/, 'a name is 2-64 of a-z 0-9 _ - starting with a letter'),
    description: z.string().optional(),
    severity: z.enum(['warning', 'critical']).default('warning'),
    metric: z.string().regex(METRIC, 'not a Prometheus metric name').optional(),
    labels: z.record(z.string(), z.string()).optional(),
    per: z.array(z.string().regex(METRIC, 'not a Prometheus metric name')).min(1).optional(),
    sql: z.string().trim().min(1).optional(),
    above: z.number().optional(),
    below: z.number().optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if ((r.metric === undefined) === (r.sql === undefined)) ctx.addIssue({ code: 'custom', message: 'a rule has either metric: or sql:, not both or neither' });
    if ((r.above === undefined) === (r.below === undefined)) ctx.addIssue({ code: 'custom', message: 'a rule has either above: or below:, not both or neither' });
    if (r.sql !== undefined && (r.labels !== undefined || r.per !== undefined)) ctx.addIssue({ code: 'custom', message: 'labels: and per: belong to metric rules' });
  });
const FileSchema = z
  .object({
    collector_url: z.url({ protocol: /^https?$/ }).optional(),
    webhook_env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'the name of an environment variable, e.g. GMP_ALERTS_WEBHOOK_URL').optional(),
    rules: z.array(z.unknown()).default([]),
  })
  .strict();

/** The alert rules file in use: GMP_ALERTS_FILE, else the alerts.yml gmp ships. */
export function alertsFileOf(config: Config): string {
  return config.alertsFile ?? path.join(packageRoot(), 'alerts.yml');
}

/**
 * Reads and validates the alert rules. Throws DefinitionError listing every problem as
 * `file:line: message` (a missing file is one such problem).
 */
export function loadAlertRules(config: Config): AlertFile {
  const file = alertsFileOf(config);
  if (!existsSync(file)) throw new DefinitionError([`${file}: no such file`], { hint: 'set GMP_ALERTS_FILE to your alert rules, or unset it for the shipped alerts.yml' });
  const lines = new LineCounter();
  const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const at = (pathTo: readonly (string | number)[]): string => {
    for (let n = pathTo.length; n >= 0; n--) {
      const node = doc.getIn(pathTo.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === 'object' && node.range) return `${file}:${lines.linePos(node.range[0]).line}`;
    }
    return file;
  };
  const problems = doc.errors.map((e) => `${file}:${lines.linePos(e.pos[0]).line}: ${e.message.split('\n')[0]}`);
  if (problems.length > 0) throw new DefinitionError(problems);
  const top = FileSchema.safeParse(doc.toJS() ?? {});
  if (!top.success) throw new DefinitionError(top.error.issues.map((i) => `${at(i.path as (string | number)[])}: ${i.path.join('.') || 'file'}: ${i.message}`));
  const rules: AlertRule[] = [];
  const names = new Set<string>();
  top.data.rules.forEach((raw, index) => {
    const parsed = RuleSchema.safeParse(raw);
    if (!parsed.success) {
      for (const i of parsed.error.issues) problems.push(`${at(['rules', index, ...(i.path as (string | number)[])])}: rule ${index + 1}${i.path.length ? ` ${i.path.join('.')}` : ''}: ${i.message}`);
      return;
    }
    const r = parsed.data;
    if (names.has(r.name)) problems.push(`${at(['rules', index, 'name'])}: a second rule named ${r.name}`);
    names.add(r.name);
    const common = { name: r.name, description: r.description ?? null, severity: r.severity, above: r.above ?? null, below: r.below ?? null };
    rules.push(r.sql !== undefined ? { ...common, kind: 'sql', sql: r.sql } : { ...common, kind: 'metric', metric: r.metric!, labels: r.labels ?? {}, per: r.per ?? [] });
  });
  if (problems.length > 0) throw new DefinitionError(problems);
  return { file, collectorUrl: top.data.collector_url?.replace(/\/+$/, '') ?? config.collectorUrl ?? null, webhookEnv: top.data.webhook_env ?? null, rules };
}

/** `value > 0.05`, as a person reads the rule's condition. */
export function describeCondition(rule: AlertRule): string {
  const subject = rule.kind === 'sql' ? 'SQL value' : `${rule.metric}${Object.keys(rule.labels).length ? `{${Object.entries(rule.labels).map(([k, v]) => `${k}="${v}"`).join(',')}}` : ''}${rule.per.length ? ` / (${rule.per.join(' + ')})` : ''}`;
  return rule.above !== null ? `${subject} > ${rule.above}` : `${subject} < ${rule.below}`;
}
