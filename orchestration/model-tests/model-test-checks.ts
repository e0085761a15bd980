import type { PartitionKey } from '../../core/index.js';
import type { DataTest, Project } from '../../transform/index.js';
import type { CheckSpec } from '../checks/index.js';

const asRange = (p: PartitionKey | null) => (p === null ? null : { start: p, end: p });
const countFailing = (sql: string): string => `SELECT COUNT(*) AS failing FROM (\n${sql}\n) AS failing_rows`;

/**
 * The project's data tests as asset checks on their models' assets (`checks/marts/dim_games/
 * unique_game_id`): error tests block what is downstream, warn tests never do.
 */
export function modelTestChecks(project: Project): CheckSpec[] {
  const schemaOf = new Map(project.models.map((m) => [m.name, m.schema]));
  const key = (model: string): string => `${schemaOf.get(model)}/${model}`;
  return project.tests.map((test: DataTest) => ({
    asset: key(test.model),
    reads: test.reads.map(key),
    name: test.name,
    description: test.description,
    severity: test.severity,
    blocking: test.severity === 'error',
    sql: (_w, p) => countFailing(project.testSql(test, asRange(p))),
    rangeSql: (_w, range) => countFailing(project.testSql(test, range)),
    sampleSql: (_w, p) => project.testSql(test, asRange(p)),
  }));
}
