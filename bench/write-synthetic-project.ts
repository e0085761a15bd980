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

/** One model of the synthetic graph, whatever tool it is written for. */
export interface SyntheticModel {
  name: string;
  /** Its file under the models folder, without `.sql`: `staging/orders/stg_shop__orders_00000`. */
  path: string;
  kind: 'staging' | 'mart';
  materialized: 'view' | 'table' | 'incremental' | 'ephemeral';
  tags: string[];
  /** Staging models: the raw table (of source `shop`) they read. */
  sourceTable?: string;
  /** Marts: the model they build on (a staging model or the previous step), then the chain heads they join. */
  refs: string[];
  /** Its position: staging index, or mart index with its chain and step. */
  index: number;
  chain: number;
  step: number;
}

/** A documented mart and the generic tests its properties declare. */
export interface SyntheticDoc {
  model: string;
  index: number;
  /** The model a relationships test on `id` points to, if any. */
  parent: string | undefined;
}

/** The graph writeSyntheticProject writes, for writing the same graph for other tools (bench/peers). */
export interface SyntheticGraph {
  models: SyntheticModel[];
  docs: SyntheticDoc[];
  sourceTables: readonly string[];
  /** The mart the singular test reads. */
  singularTestRef: string;
}

/**
 * The synthetic graph of `models` models: ~10% staging views over five sources, the rest marts in
 * chains of 20 (each refs its predecessor, its chain's staging model and, every fifth, a fan-in of
 * three earlier chains' heads), every 97th mart ephemeral, each chain's last step incremental;
 * every tenth built mart documented. Deterministic.
 */
export function syntheticGraph(models: number): SyntheticGraph {
  const staging = Math.max(1, Math.round(models / 10));
  const marts = models - staging;
  const stgName = (i: number): string => `stg_shop__${SOURCE_TABLES[i % SOURCE_TABLES.length]}_${pad(i)}`;
  const isEphemeral = (j: number): boolean => j % EPHEMERAL_EVERY === EPHEMERAL_EVERY - 1;
  const martName = (j: number): string => `${isEphemeral(j) ? 'int' : 'fct'}_chain${pad(Math.floor(j / MARTS_PER_CHAIN))}_step${pad(j % MARTS_PER_CHAIN)}`;
  const out: SyntheticModel[] = [];
  for (let i = 0; i < staging; i++) {
    const table = SOURCE_TABLES[i % SOURCE_TABLES.length]!;
    out.push({ name: stgName(i), path: `staging/${table}/${stgName(i)}`, kind: 'staging', materialized: 'view', tags: ['staging', table], sourceTable: table, refs: [], index: i, chain: 0, step: 0 });
  }
  for (let j = 0; j < marts; j++) {
    const chain = Math.floor(j / MARTS_PER_CHAIN);
    const step = j % MARTS_PER_CHAIN;
    const upstream = step === 0 ? stgName(chain % staging) : martName(j - 1);
    // Every fifth model fans in the heads of three earlier chains.
    const fanIn = step % 5 === 4 && chain >= 3 ? [1, 2, 3].map((k) => martName((chain - k) * MARTS_PER_CHAIN)).filter((n) => !n.startsWith('int_')) : [];
    const materialized = isEphemeral(j) ? 'ephemeral' : step === MARTS_PER_CHAIN - 1 ? 'incremental' : 'table';
    out.push({ name: martName(j), path: `marts/chain${pad(chain)}/${martName(j)}`, kind: 'mart', materialized, tags: [`chain${chain}`], refs: [upstream, ...fanIn], index: j, chain, step });
  }
  // Every tenth built mart documented, with tests on its key and a relationship to its upstream.
  const docs: SyntheticDoc[] = [];
  for (let j = 0; j < marts; j += DOCUMENT_EVERY) {
    if (isEphemeral(j)) continue;
    const step = j % MARTS_PER_CHAIN;
    docs.push({ model: martName(j), index: j, parent: step > 0 && !isEphemeral(j - 1) ? martName(j - 1) : undefined });
  }
  return { models: out, docs, sourceTables: SOURCE_TABLES, singularTestRef: martName(MARTS_PER_CHAIN - 2) };
}

/**
 * Writes the synthetic graph (syntheticGraph) as a dbt-style gmp project under `dir` (which must
 * exist): macros in `macros/*.sql` called from every model, `config(...)`, `{% set %}`,
 * `{% for %}`, `{% if %}`, `var()` and `is_incremental()`, a properties file documenting every
 * tenth model with generic tests, and one singular test. Deterministic: the same `models` gives
 * the same files.
 */
export function writeSyntheticProject(dir: string, models: number): SyntheticProject {
  const graph = syntheticGraph(models);
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
  for (const m of graph.models) write(`${m.path}.sql`, modelSql(m));

  let genericTests = 0;
  const entries = graph.docs.map((d) => {
    genericTests += d.parent ? 4 : 3;
    return `  - name: ${d.model}
    description: Synthetic mart ${d.index}.
    columns:
      - name: id
        description: The key.
        tests:
          - unique
          - not_null
${d.parent ? `          - relationships: {to: "ref('${d.parent}')", field: id}\n` : ''}      - name: created_month
        description: Month of creation.
        tests:
          - accepted_range: {min_value: 0, max_value: 100, severity: warn}
`;
  });
  write('marts/marts.yml', `version: 2\n\nmodels:\n${entries.join('\n')}`);
  write('tests/first_chain_has_rows.sql', `-- The first chain's last step is not empty.\nselect 1 as failure\nwhere not exists (select 1 from {{ ref('${graph.singularTestRef}') }})\n`);

  const staging = graph.models.filter((m) => m.kind === 'staging').length;
  return {
    models,
    staging,
    marts: models - staging,
    ephemeral: graph.models.filter((m) => m.materialized === 'ephemeral').length,
    macros: 5,
    sources: SOURCE_TABLES.length,
    documentedModels: graph.docs.length,
    genericTests,
    singularTests: 1,
    bytes,
  };
}

function modelSql(m: SyntheticModel): string {
  if (m.kind === 'staging') {
    return `{{ config(materialized='view', tags=['staging', '${m.sourceTable}']) }}
-- Staging model ${m.index} over the raw ${m.sourceTable}.
{% set columns = ['id', 'customer_id', 'amount_cents', 'created_at'] %}
select
    {%- for c in columns %}
    {{ c }}{% if not loop.last %},{% endif %}
    {%- endfor %},
    {{ cents_to_dollars('amount_cents') }} as amount,
    {{ date_bucket('created_at', 'day') }} as created_day
from {{ source('shop', '${m.sourceTable}') }}
{% if target.name == 'prod' %}where created_at >= date '{{ var('start_date', '2020-01-01') }}'{% endif %}
`;
  }
  const config = m.materialized === 'incremental' ? `materialized='incremental', unique_key='id', tags=['chain${m.chain}']` : `materialized='${m.materialized}', tags=['chain${m.chain}']`;
  const [upstream, ...fanIn] = m.refs;
  const joins = fanIn.map((n, k) => `left join {{ ref('${n}') }} as f${k} on f${k}.id = u.id`).join('\n');
  return `{{ config(${config}) }}
-- Mart ${m.index}: step ${m.step} of chain ${m.chain}.
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
`;
}

function pad(n: number): string {
  return String(n).padStart(5, '0');
}
