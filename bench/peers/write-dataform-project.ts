import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { syntheticGraph, type SyntheticModel } from '../write-synthetic-project.js';

/**
 * The synthetic graph (bench/write-synthetic-project.ts) as a Dataform project under `dir`: one
 * SQLX file per model with the same refs, sources (declarations), tags, materializations (Dataform
 * has no ephemeral models: those are views) and SQL, the Jinja macros as JavaScript includes, the
 * loops and conditions as JavaScript, the documented models' key and range tests as assertions
 * (Dataform has no relationships test) and the singular test as an assertion. `core` is the
 * installed @dataform/core folder, copied in so `dataform compile` needs no network.
 */
export function writeDataformProject(dir: string, models: number, core: string): void {
  const graph = syntheticGraph(models);
  const write = (rel: string, text: string): void => {
    const full = path.join(dir, rel);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, text);
  };
  write('workflow_settings.yaml', 'defaultProject: bench\ndefaultLocation: US\ndefaultDataset: marts\ndefaultAssertionDataset: assertions\nvars:\n  target: dev\n  start_date: "2020-01-01"\n');
  write('package.json', `${JSON.stringify({ name: 'synthetic', private: true, dependencies: { '@dataform/core': '3.0.62' } })}\n`);
  cpSync(core, path.join(dir, 'node_modules', '@dataform', 'core'), { recursive: true });
  write(
    'includes/amounts.js',
    `function cents_to_dollars(column, scale = 2) {
  return \`round((\${column}) / 100.0, \${scale})\`;
}
function safe_ratio(numerator, denominator) {
  return \`((\${numerator}) / nullif(\${denominator}, 0))\`;
}
function amount_share(column, total) {
  return safe_ratio(cents_to_dollars(column), cents_to_dollars(total));
}
module.exports = { cents_to_dollars, safe_ratio, amount_share };
`,
  );
  write(
    'includes/dates.js',
    `function date_bucket(column, grain = 'month') {
  return \`date_trunc('\${grain}', \${column})\`;
}
function metric_columns(prefix, names) {
  return names.map((n) => \`\\n    sum(\${n}) as \${prefix}_\${n}\`).join(',');
}
module.exports = { date_bucket, metric_columns };
`,
  );
  write('definitions/sources.js', graph.sourceTables.map((t) => `declare({ schema: "raw", name: "shop_${t}" });\n`).join(''));
  const docs = new Map(graph.docs.map((d) => [d.model, d]));
  for (const m of graph.models) write(`definitions/${m.path}.sqlx`, sqlx(m, docs.has(m.name)));
  write(
    'definitions/tests/first_chain_has_rows.sqlx',
    `config { type: "assertion" }\n-- The first chain's last step is not empty.\nselect 1 as failure\nwhere not exists (select 1 from \${ref("${graph.singularTestRef}")})\n`,
  );
}

function sqlx(m: SyntheticModel, documented: boolean): string {
  const tags = JSON.stringify(m.tags);
  if (m.kind === 'staging') {
    return `config { type: "view", schema: "staging", tags: ${tags} }

js {
  const columns = ["id", "customer_id", "amount_cents", "created_at"];
}

-- Staging model ${m.index} over the raw ${m.sourceTable}.
select
\${columns.map((c) => \`    \${c}\`).join(",\\n")},
    \${amounts.cents_to_dollars("amount_cents")} as amount,
    \${dates.date_bucket("created_at", "day")} as created_day
from \${ref("shop_${m.sourceTable}")}
\${when(dataform.projectConfig.vars.target === "prod", \`where created_at >= date '\${dataform.projectConfig.vars.start_date}'\`)}
`;
  }
  const type = m.materialized === 'incremental' ? 'incremental' : m.materialized === 'ephemeral' ? 'view' : 'table';
  const assertions = documented ? `, assertions: { uniqueKey: ["id"], nonNull: ["id"], rowConditions: ["created_month is null or created_month between 0 and 100"] }` : '';
  const key = m.materialized === 'incremental' ? ', uniqueKey: ["id"]' : '';
  const [upstream, ...fanIn] = m.refs;
  const joins = fanIn.map((n, k) => `left join \${ref("${n}")} as f${k} on f${k}.id = u.id`).join('\n');
  return `config { type: "${type}", schema: "marts", tags: ${tags}${key}${assertions} }

js {
  const metrics = ["amount", "quantity", "discount"];
}

-- Mart ${m.index}: step ${m.step} of chain ${m.chain}.
select
    u.id,
    u.customer_id,
    \${dates.date_bucket("u.created_day")} as created_month,
    \${amounts.amount_share("u.amount_cents", "u.amount_cents + 1")} as share,
    \${dates.metric_columns("m", metrics)}
from \${ref("${upstream}")} as u
${joins}
\${when(incremental(), \`where u.created_day > (select max(created_month) from \${self()})\`)}
group by all
`;
}
