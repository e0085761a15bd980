import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { writeSyntheticProject, type SyntheticProject } from '../write-synthetic-project.js';

/**
 * The synthetic project (bench/write-synthetic-project.ts) as a dbt project under `dir`: the same
 * model files, properties, macros and singular test in dbt's layout (models/, macros/, tests/),
 * folder materializations in dbt_project.yml, a DuckDB profile in `dir`, and the one generic test
 * dbt lacks (dbt_utils' accepted_range) as a test macro. gmp reads dbt's templates, so the models
 * are byte for byte the ones gmp compiles.
 */
export function writeDbtProject(dir: string, models: number): SyntheticProject {
  const modelsDir = path.join(dir, 'models');
  mkdirSync(modelsDir, { recursive: true });
  const written = writeSyntheticProject(modelsDir, models);
  rmSync(path.join(modelsDir, 'gmp_project.yml'));
  renameSync(path.join(modelsDir, 'macros'), path.join(dir, 'macros'));
  renameSync(path.join(modelsDir, 'tests'), path.join(dir, 'tests'));
  writeFileSync(
    path.join(dir, 'dbt_project.yml'),
    `name: synthetic
version: '1.0'
config-version: 2
profile: synthetic
models:
  synthetic:
    staging:
      +materialized: view
    marts:
      +materialized: table
`,
  );
  writeFileSync(
    path.join(dir, 'profiles.yml'),
    `synthetic:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: ${JSON.stringify(path.join(dir, 'bench.duckdb'))}
      threads: 1
`,
  );
  writeFileSync(
    path.join(dir, 'macros', 'test_accepted_range.sql'),
    `{% test accepted_range(model, column_name, min_value=none, max_value=none, inclusive=true) %}
select * from {{ model }}
where {{ column_name }} {{ '<' if inclusive else '<=' }} {{ min_value }} or {{ column_name }} {{ '>' if inclusive else '>=' }} {{ max_value }}
{% endtest %}
`,
  );
  return written;
}
