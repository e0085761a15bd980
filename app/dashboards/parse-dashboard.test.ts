import { describe, expect, it } from 'vitest';
import { parseDashboard } from './parse-dashboard.js';
import { latestTick } from './deliver-reports.js';

const page = (text: string) => parseDashboard('/project/dashboards/sales.md', text);

describe('parseDashboard', () => {
  it('reads front matter, prose, named queries, charts and inputs in file order', () => {
    const { dashboard, problems } = page(`---
title: Sales
description: What sells
order: 2
deliver:
  cron: "0 8 * * 1"
  webhook_env: SALES_WEBHOOK
---
Some **prose**.

<Dropdown name=genre data={genres} value=slug label=name title="Genre" />

\`\`\`sql genres
select slug, name from marts.dim_genres
\`\`\`

\`\`\`sql per_year
select year, count(*) as games from t where g = \${inputs.genre} or \${inputs.genre.value} is null group by 1
\`\`\`

<BarChart data={per_year} x=year y=games
  title="Per year" />
`);
    expect(problems).toEqual([]);
    expect(dashboard).toMatchObject({ name: 'sales', title: 'Sales', description: 'What sells', order: 2, delivery: { cron: '0 8 * * 1', webhookEnv: 'SALES_WEBHOOK' } });
    expect(dashboard.blocks.map((b) => b.type)).toEqual(['markdown', 'input', 'chart']);
    expect(dashboard.charts[0]).toMatchObject({ kind: 'BarChart', data: 'per_year', line: 21, props: { x: 'year', y: 'games', title: 'Per year' } });
    // Inputs become placeholders, bound in order: the value never enters the SQL text.
    expect(dashboard.queries.get('per_year')).toMatchObject({ sql: 'select year, count(*) as games from t where g = CAST(? AS VARCHAR) or CAST(? AS VARCHAR) is null group by 1', params: ['genre', 'genre'], line: 17 });
  });

  it('inlines ${other_query} with its parameters in text order, and refuses a circle', () => {
    const { dashboard, problems } = page(`<Slider name=min min=0 max=5 />
<TextInput name=q />
\`\`\`sql base
select * from t where r >= \${inputs.min}
\`\`\`
\`\`\`sql top
select * from \${base} where name = \${inputs.q}
\`\`\`
\`\`\`sql a
select * from \${b}
\`\`\`
\`\`\`sql b
select * from \${a}
\`\`\`
`);
    expect(dashboard.queries.get('top')).toMatchObject({ sql: 'select * from (\nselect * from t where r >= CAST(? AS DOUBLE PRECISION)\n) AS base where name = CAST(? AS VARCHAR)', params: ['min', 'q'] });
    expect(problems.map((p) => p.message)).toContain('queries refer to each other in a circle: a → b → a');
  });

  it('reports every problem with its line, and never throws', () => {
    const { problems } = page(`# Broken
<PieChart data={q} />
<BarChart data={missing} x=a />
\`\`\`sql q
select '\${inputs.name}' as x, \${env.SECRET} as y
\`\`\`
<Slider name=n min=zero max=5 />
<DataTable data={q} colour=red />
\`\`\`sql
select 1
\`\`\`
\`\`\`sql unclosed
select 1
`);
    const expected: [number, string][] = [
      [2, 'unknown component <PieChart>: charts are BarChart'],
      [3, '<BarChart> needs y=…'],
      [3, '<BarChart> draws data={missing}, but no ```sql missing block'],
      [4, 'query q uses ${inputs.name}, but no input is named "name"'],
      [5, '${inputs.name} is inside quotes: remove them'],
      [5, '${env.SECRET} is neither an input nor a query'],
      [7, '<Slider> min=zero is not a number'],
      [8, '<DataTable> has no prop "colour"'],
      [9, 'a ```sql block needs a name'],
      [12, 'this code block is never closed'],
    ];
    expect(problems.map((p) => p.line)).toEqual(expected.map(([line]) => line));
    problems.forEach((p, i) => expect(p.message.startsWith(expected[i]![1]), p.message).toBe(true));
    expect(problems.every((p) => p.file === '/project/dashboards/sales.md')).toBe(true);
  });

  it('refuses a bad schedule in the front matter', () => {
    const { problems, dashboard } = page('---\ndeliver:\n  cron: "61 * * * *"\n  webhook_env: HOOK\n---\n');
    expect(dashboard.delivery).toBeNull();
    expect(problems[0]?.message).toMatch(/^deliver: cron "61 \* \* \* \*"/);
  });
});

describe('latestTick', () => {
  it('finds the newest tick at or before now, whatever the period', () => {
    expect(latestTick('0 8 * * 1', new Date('2026-12-03T12:00:00Z'))?.toISOString()).toBe('2026-11-30T08:00:00.000Z');
    expect(latestTick('*/5 * * * *', new Date('2026-12-03T12:07:00Z'))?.toISOString()).toBe('2026-12-03T12:05:00.000Z');
    expect(latestTick('0 0 1 1 *', new Date('2026-12-03T12:07:00Z'))?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });
});
