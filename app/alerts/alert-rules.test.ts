import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DefinitionError, loadConfig } from '../../core/index.js';
import { tempDir } from '../../tests/helpers/workspace.js';
import { describeCondition, loadAlertRules } from './alert-rules.js';

const configWith = (text: string | null, env: Record<string, string> = {}) => {
  const dir = tempDir('gmp-alert-rules-');
  const file = path.join(dir, 'alerts.yml');
  if (text !== null) writeFileSync(file, text);
  return { file, config: loadConfig({ GMP_HOME: dir, GMP_ALERTS_FILE: file, ...env }, dir) };
};

describe('loadAlertRules', () => {
  it('reads the shipped alerts.yml: metric rules on the collector and the DAU rule on the warehouse', () => {
    const dir = tempDir('gmp-alert-rules-');
    const alerts = loadAlertRules(loadConfig({ GMP_HOME: dir, GMP_COLLECTOR_URL: 'http://127.0.0.1:8088/' }, dir));
    expect(alerts.collectorUrl).toBe('http://127.0.0.1:8088');
    expect(alerts.webhookEnv).toBeNull();
    expect(alerts.rules.map((r) => [r.name, r.kind])).toEqual([
      ['collector_failed_ratio', 'metric'],
      ['collector_commit_lag', 'metric'],
      ['collector_wal_backlog', 'metric'],
      ['dau_drop', 'sql'],
    ]);
    expect(describeCondition(alerts.rules[0]!)).toBe('gmp_collector_events_failed_total / (gmp_collector_events_failed_total + gmp_collector_events_accepted_total) > 0.05');
  });

  it('names the file and line of every problem, all at once', () => {
    const { file, config } = configWith(['rules: []', 'webhook_env: lower-case'].join('\n'));
    const error = (() => {
      try {
        loadAlertRules(config);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(DefinitionError);
    expect((error as DefinitionError).problems).toEqual([`${file}:2: webhook_env: the name of an environment variable, e.g. GMP_ALERTS_WEBHOOK_URL`]);
    const { file: f2, config: c2 } = configWith(['rules:', '  - name: ok_rule', '    metric: gmp_x', '    above: 1', '  - name: both', '    metric: gmp_x', '    sql: SELECT 1', '    above: 1', '  - name: ok_rule', '    sql: SELECT 1', '    below: 1', '  - name: no_threshold', '    metric: gmp_x', '    treshold: 3'].join('\n'));
    const problems = (() => {
      try {
        loadAlertRules(c2);
        return [];
      } catch (e) {
        return (e as DefinitionError).problems;
      }
    })();
    expect(problems).toEqual([
      `${f2}:5: rule 2: a rule has either metric: or sql:, not both or neither`,
      `${f2}:9: a second rule named ok_rule`,
      `${f2}:12: rule 4: Unrecognized key: "treshold"`,
      `${f2}:12: rule 4: a rule has either above: or below:, not both or neither`,
    ]);
  });

  it('says which file is missing, and reports YAML syntax errors with their line', () => {
    const missing = configWith(null);
    expect(() => loadAlertRules(missing.config)).toThrow(`${missing.file}: no such file`);
    const broken = configWith('rules:\n  - name: a\n    above: [1\n');
    expect(() => loadAlertRules(broken.config)).toThrow(new RegExp(`${broken.file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: `));
  });
});
