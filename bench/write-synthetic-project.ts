import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** What {@link writeSyntheticProject} wrote. */
export interface SyntheticProject {
  models: number;
  staging: number;
  marts: number;
  ephemeral: number;
  macros: number;
  sources: number;
  documentedModels: number;
  genericTests: number;
  singularTests: number;
  /** Total bytes of SQL and YAML written. */
  bytes: number;
}

const SOURCE_TABLES = ['orders', 'customers', 'payments', 'products', 'events'] as const;
const MARTS_PER_CHAIN = 20;
const DOCUMENT_EVERY = 10;
const EPHEMERAL_EVERY = 97;

const MACROS = `{#- Synthetic macros of the compile-project benchmark; they call each other, as dbt macros do. -#}
{% macro cents_to_dollars(column, scale=2) -%}
    round(({{ column }}) / 100.0, {{ scale }})
{%- endmacro %}

{% macro safe_ratio(numerator, denominator) -%}
    (({{ numerator }}) / nullif({{ denominator }}, 0))
{%- endmacro %}

{% macro amount_share(column, total) -%}
    {{ safe_ratio(cents_to_dollars(column), cents_to_dollars(total)) }}
{%- endmacro %}
`;

const DATES = `{% macro date_bucket(column, grain='month') -%}
    date_trunc('{{ grain }}', {{ column }})
{%- endmacro %}

{% macro metric_columns(prefix, names) -%}
    {%- for n in names %}
    sum({{ n }}) as {{ prefix }}_{{ n }}{% if not loop.last %},{% endif %}
    {%- endfor %}
{%- endmacro %}
`;

/**
 * Writes a dbt-style project of `models` models under `dir` (which must exist): ~10% staging views
 * over five sources, the rest marts in chains of 20 (each refs its predecessor, its chain's staging
 * model and, every fifth, a fan-in of three earlier chains' heads), a few ephemeral models, macros
 * in `macros/*.sql` called from every model, `config(...)`, `{% set %}`, `{% for %}`, `{% if %}`,
 * `var()` and `is_incremental()`, a properties file documenting every tenth model with generic
 * tests, and one singular test. Deterministic: the same `models` gives the same files.
 */
export function writeSyntheticProject(dir: string, models: number): SyntheticProject {
  const staging = Math.max(1, Math.round(models / 10));
  const marts = models - staging;
  let bytes = 0;
  const write = (rel: string, text: string): void => {
    const full = path.join(dir, rel);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, text);
    bytes += Buffer.byteLength(text);
  };

  write('gmp_project.yml', 'name: synthetic\nmodels:\n  staging:\n    materialized: view\n  marts:\n    materialized: table\n');
  write('macros/amounts.sql', MACROS);
  write('macros/dates.sql', DATES);
  write(
    'staging/sources.yml',
    `version: 2\n\nsources:\n  - name: shop\n    description: Synthetic raw tables.\n    freshness:\n      warn_after: {count: 36, period: hour}\n    tables:\n${SOURCE_TABLES.map((t) => `      - name: ${t}\n        description: Raw ${t}.\n`).join('')}`,
  );

  const stgName = (i: number): string => `stg_shop__${SOURCE_TABLES[i % SOURCE_TABLES.length]}_${pad(i)}`;
  for (let i = 0; i < staging; i++) {
    const table = SOURCE_TABLES[i % SOURCE_TABLES.length]!;
    write(
      `staging/${SOURCE_TABLES[i % SOURCE_TABLES.length]}/${stgName(i)}.sql`,
      `{{ config(materialized='view', tags=['staging', '${table}']) }}
-- Staging model ${i} over the raw ${table}.
{% set columns = ['id', 'customer_id', 'amount_cents', 'created_at'] %}
select
    {%- for c in columns %}
    {{ c }}{% if not loop.last %},{% endif %}
    {%- endfor %},
    {{ cents_to_dollars('amount_cents') }} as amount,
    {{ date_bucket('created_at', 'day') }} as created_day
from {{ source('shop', '${table}') }}
{% if target.name == 'prod' %}where created_at >= date '{{ var('start_date', '2020-01-01') }}'{% endif %}
`,
    );
  }

  const martName = (j: number): string => `${j % EPHEMERAL_EVERY === EPHEMERAL_EVERY - 1 ? 'int' : 'fct'}_chain${pad(Math.floor(j / MARTS_PER_CHAIN))}_step${pad(j % MARTS_PER_CHAIN)}`;
  const isEphemeral = (j: number): boolean => j % EPHEMERAL_EVERY === EPHEMERAL_EVERY - 1;
  let ephemeral = 0;
  for (let j = 0; j < marts; j++) {
    const chain = Math.floor(j / MARTS_PER_CHAIN);
    const step = j % MARTS_PER_CHAIN;
    const upstream = step === 0 ? stgName(chain % staging) : martName(j - 1);
    // Every fifth model fans in the heads of three earlier chains.
    const fanIn = step % 5 === 4 && chain >= 3 ? [1, 2, 3].map((k) => martName((chain - k) * MARTS_PER_CHAIN)).filter((n) => !n.startsWith('int_')) : [];
    const materialized = isEphemeral(j) ? 'ephemeral' : step === MARTS_PER_CHAIN - 1 ? 'incremental' : 'table';
    if (materialized === 'ephemeral') ephemeral++;
    const config = materialized === 'incremental' ? `materialized='incremental', unique_key='id', tags=['chain${chain}']` : `materialized='${materialized}', tags=['chain${chain}']`;
    const joins = fanIn.map((n, k) => `left join {{ ref('${n}') }} as f${k} on f${k}.id = u.id`).join('\n');
    write(
      `marts/chain${pad(chain)}/${martName(j)}.sql`,
      `{{ config(${config}) }}
-- Mart ${j}: step ${step} of chain ${chain}.
{% set metrics = ['amount', 'quantity', 'discount'] %}
select
    u.id,
    u.customer_id,
    {{ date_bucket('u.created_day') }} as created_month,
    {{ amount_share('u.amount_cents', 'u.amount_cents + 1') }} as share,
    {{ metric_columns('m', metrics) }}
from {{ ref('${upstream}') }} as u
${joins}
{% if is_incremental() %}where u.created_day > (select max(created_month) from {{ this }}){% endif %}
group by all
`,
    );
  }

  // Every tenth built mart documented, with tests on its key and a relationship to its upstream.
  let documentedModels = 0;
  let genericTests = 0;
  const entries: string[] = [];
  for (let j = 0; j < marts; j += DOCUMENT_EVERY) {
    if (isEphemeral(j)) continue;
    documentedModels++;
    const step = j % MARTS_PER_CHAIN;
    const parent = step > 0 && !isEphemeral(j - 1) ? martName(j - 1) : undefined;
    genericTests += parent ? 4 : 3;
    entries.push(`  - name: ${martName(j)}
    description: Synthetic mart ${j}.
    columns:
      - name: id
        description: The key.
        tests:
          - unique
          - not_null
${parent ? `          - relationships: {to: "ref('${parent}')", field: id}\n` : ''}      - name: created_month
        description: Month of creation.
        tests:
          - accepted_range: {min_value: 0, max_value: 100, severity: warn}
`);
  }
  write('marts/marts.yml', `version: 2\n\nmodels:\n${entries.join('\n')}`);
  write('tests/first_chain_has_rows.sql', `-- The first chain's last step is not empty.\nselect 1 as failure\nwhere not exists (select 1 from {{ ref('${martName(MARTS_PER_CHAIN - 2)}') }})\n`);

  return { models, staging, marts, ephemeral, macros: 5, sources: SOURCE_TABLES.length, documentedModels, genericTests, singularTests: 1, bytes };
}

function pad(n: number): string {
  return String(n).padStart(5, '0');
}
