import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseCron } from '../../orchestration/index.js';

/** Where something is wrong in a dashboard file: people fix it from `file:line`. */
export interface DashboardProblem {
  file: string;
  line: number;
  message: string;
}

/** A named SQL block: ```sql name … ```. Inputs appear as `${inputs.NAME}` and are bound, never spliced. */
export interface DashboardQuery {
  name: string;
  /** The SQL as written (shown by "Show SQL"). */
  source: string;
  /** The SQL the engine runs: each `${inputs.NAME}` replaced by a typed `?` placeholder (CAST(? AS …)). */
  sql: string;
  /** The input bound to each placeholder, in order. */
  params: string[];
  /** Line of the opening fence. */
  line: number;
}

export const CHART_KINDS = ['BarChart', 'LineChart', 'AreaChart', 'Heatmap', 'DataTable', 'BigValue'] as const;
export const INPUT_KINDS = ['Dropdown', 'TextInput', 'Slider'] as const;
export type ChartKind = (typeof CHART_KINDS)[number];
export type InputKind = (typeof INPUT_KINDS)[number];

export interface DashboardChart {
  kind: ChartKind;
  /** The query it draws. */
  data: string;
  props: Record<string, string>;
  line: number;
  /** Position among the page's charts, from 0: names its CSV and its anchor. */
  index: number;
}

export interface DashboardInput {
  kind: InputKind;
  name: string;
  props: Record<string, string>;
  line: number;
}

export type DashboardBlock = { type: 'markdown'; text: string } | { type: 'chart'; chart: DashboardChart } | { type: 'input'; input: DashboardInput };

/** A report delivered by the schedule daemon: the page as self-contained HTML, POSTed to a webhook. */
export interface DashboardDelivery {
  /** 5-field cron, UTC. */
  cron: string;
  /** The environment variable holding the webhook URL (a URL often carries a token: never in the file). */
  webhookEnv: string;
}

export interface Dashboard {
  /** The file's name without `.md`: the page's address. */
  name: string;
  file: string;
  title: string;
  description: string;
  /** Sorts the list of pages (then the title). */
  order: number;
  blocks: DashboardBlock[];
  queries: Map<string, DashboardQuery>;
  inputs: DashboardInput[];
  charts: DashboardChart[];
  delivery: DashboardDelivery | null;
}

const NAME = /^[a-z_][a-z0-9_]*$/;
/** The props each component needs, and the ones that name a column of its data. */
const REQUIRED: Record<ChartKind | InputKind, readonly string[]> = {
  BarChart: ['data', 'x', 'y'],
  LineChart: ['data', 'x', 'y'],
  AreaChart: ['data', 'x', 'y'],
  Heatmap: ['data', 'x', 'y', 'value'],
  DataTable: ['data'],
  BigValue: ['data', 'value'],
  Dropdown: ['name'],
  TextInput: ['name'],
  Slider: ['name', 'min', 'max'],
};
const COLUMN_PROPS = ['x', 'y', 'series', 'value', 'label', 'comparison'] as const;

/** Each prop of a component that names a column its query lacks, as [prop, column]. */
export function missingColumns(props: Readonly<Record<string, string>>, columns: readonly string[]): [prop: string, column: string][] {
  return COLUMN_PROPS.flatMap((prop) => {
    const column = props[prop];
    return column !== undefined && !columns.includes(column) ? [[prop, column] as [string, string]] : [];
  });
}
const KNOWN_PROPS: Record<ChartKind | InputKind, readonly string[]> = {
  BarChart: ['data', 'x', 'y', 'series', 'title', 'horizontal', 'fmt'],
  LineChart: ['data', 'x', 'y', 'series', 'title', 'fmt'],
  AreaChart: ['data', 'x', 'y', 'series', 'title', 'fmt'],
  Heatmap: ['data', 'x', 'y', 'value', 'title', 'fmt'],
  DataTable: ['data', 'title', 'rows', 'link'],
  BigValue: ['data', 'value', 'title', 'fmt', 'comparison'],
  Dropdown: ['name', 'title', 'data', 'value', 'label', 'options', 'default', 'all'],
  TextInput: ['name', 'title', 'placeholder', 'default'],
  Slider: ['name', 'title', 'min', 'max', 'step', 'default'],
};
const COMPONENT = /^<([A-Z][A-Za-z]*)\b([\s\S]*?)\/?>\s*$/;
const PROP = /([a-zA-Z_][\w-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|\{([^}]*)\}|([^\s"'{}/>]+))|([a-zA-Z_][\w-]*)/g;
const REFERENCE = /\$\{\s*([^}]*?)\s*\}/g;

/**
 * Reads one dashboard page: optional YAML front matter (title, description, order, deliver), then
 * Markdown with ```sql NAME blocks, chart components (`<BarChart data={q} x=year y=games/>`) and
 * filter inputs (`<Dropdown name=genre data={genres} value=slug label=name/>`), as Evidence
 * writes them. Never throws on content: every problem comes back with its line, all of them.
 */
export function parseDashboard(file: string, text: string): { dashboard: Dashboard; problems: DashboardProblem[] } {
  const problems: DashboardProblem[] = [];
  const problem = (line: number, message: string): void => void problems.push({ file, line, message });
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const name = path.basename(file).replace(/\.md$/i, '');
  const dashboard: Dashboard = { name, file, title: name, description: '', order: 100, blocks: [], queries: new Map(), inputs: [], charts: [], delivery: null };
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(name)) problem(1, `"${name}.md" cannot name a page: use a-z, 0-9, - and _ (it becomes /dashboards/${name})`);

  let i = 0;
  if (lines[0]?.trim() === '---') {
    const end = lines.indexOf('---', 1);
    if (end < 0) problem(1, 'the front matter opened on line 1 is never closed with ---');
    else readFrontMatter(lines.slice(1, end).join('\n'), dashboard, problem);
    i = end < 0 ? lines.length : end + 1;
  }

  let prose: string[] = [];
  const flushProse = (): void => {
    if (prose.some((l) => l.trim() !== '')) dashboard.blocks.push({ type: 'markdown', text: prose.join('\n') });
    prose = [];
  };
  const components: { kind: string; attrs: string; line: number }[] = [];
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = /^```\s*(\S*)\s*(\S*)\s*$/.exec(line.trim());
    if (fence && line.trimStart().startsWith('```')) {
      const start = i;
      const close = lines.findIndex((l, n) => n > i && l.trim() === '```');
      if (close < 0) {
        problem(start + 1, 'this code block is never closed with ```');
        break;
      }
      const body = lines.slice(i + 1, close).join('\n');
      i = close;
      if (fence[1]?.toLowerCase() !== 'sql') {
        prose.push(...lines.slice(start, close + 1));
        continue;
      }
      flushProse();
      readQuery(fence[2] ?? '', body, start + 1, dashboard, problem);
      continue;
    }
    if (/^\s*<[A-Z]/.test(line)) {
      // A component may span lines until its closing `>`.
      let end = i;
      while (end < lines.length - 1 && !/>\s*$/.test(lines[end]!)) end++;
      const tag = lines.slice(i, end + 1).join(' ').trim();
      const m = COMPONENT.exec(tag);
      if (!m) {
        problem(i + 1, `cannot read this component: write <Name prop=value …/> (one tag, closed with />)`);
      } else {
        flushProse();
        components.push({ kind: m[1]!, attrs: m[2]!, line: i + 1 });
        dashboard.blocks.push({ type: 'markdown', text: '' }); // placeholder, replaced below in order
      }
      i = end;
      continue;
    }
    if (!dashboard.title || dashboard.title === name) {
      const heading = /^#\s+(.+)$/.exec(line);
      if (heading) {
        dashboard.title = heading[1]!.trim();
        continue; // the page's title, shown once as its heading
      }
    }
    prose.push(line);
  }
  flushProse();

  // Components resolve against every query of the page, wherever the query is written.
  let placeholder = 0;
  const slots = dashboard.blocks.flatMap((b, n) => (b.type === 'markdown' && b.text === '' ? [n] : []));
  const seenInputs = new Set<string>();
  for (const c of components) {
    const slot = slots[placeholder++]!;
    const props = readProps(c.attrs);
    const kind = c.kind as ChartKind | InputKind;
    if (!(kind in REQUIRED)) {
      problem(c.line, `unknown component <${c.kind}>: charts are ${CHART_KINDS.join(', ')}; inputs are ${INPUT_KINDS.join(', ')}`);
      dashboard.blocks[slot] = { type: 'markdown', text: '' };
      continue;
    }
    for (const p of REQUIRED[kind]) if (!props[p]) problem(c.line, `<${kind}> needs ${p}=…`);
    for (const p of Object.keys(props)) if (!KNOWN_PROPS[kind].includes(p)) problem(c.line, `<${kind}> has no prop "${p}" (it takes ${KNOWN_PROPS[kind].join(', ')})`);
    if (props.data && !dashboard.queries.has(props.data)) problem(c.line, `<${kind}> draws data={${props.data}}, but no \`\`\`sql ${props.data} block is on this page`);
    if ((INPUT_KINDS as readonly string[]).includes(kind)) {
      const input: DashboardInput = { kind: kind as InputKind, name: props.name ?? '', props, line: c.line };
      if (input.name && !NAME.test(input.name)) problem(c.line, `input name "${input.name}": use a-z, 0-9 and _ starting with a letter`);
      if (seenInputs.has(input.name)) problem(c.line, `a second input named "${input.name}"`);
      if (kind === 'Dropdown' && !props.options && !(props.data && props.value)) problem(c.line, '<Dropdown> needs options="a,b,c", or data={query} with value=column');
      if (kind === 'Slider') for (const p of ['min', 'max', 'step', 'default']) if (props[p] !== undefined && !Number.isFinite(Number(props[p]))) problem(c.line, `<Slider> ${p}=${props[p]} is not a number`);
      seenInputs.add(input.name);
      dashboard.inputs.push(input);
      dashboard.blocks[slot] = { type: 'input', input };
    } else {
      const chart: DashboardChart = { kind: kind as ChartKind, data: props.data ?? '', props, line: c.line, index: dashboard.charts.length };
      dashboard.charts.push(chart);
      dashboard.blocks[slot] = { type: 'chart', chart };
    }
  }
  dashboard.blocks = dashboard.blocks.filter((b) => b.type !== 'markdown' || b.text !== '');
  resolveQueries(dashboard, problem);
  for (const q of dashboard.queries.values()) {
    for (const param of new Set(q.params)) if (!seenInputs.has(param)) problem(q.line, `query ${q.name} uses \${inputs.${param}}, but no input is named "${param}" on this page`);
  }
  return { dashboard, problems: problems.sort((a, b) => a.line - b.line) };
}

function readFrontMatter(text: string, dashboard: Dashboard, problem: (line: number, message: string) => void): void {
  let meta: unknown;
  try {
    meta = parseYaml(text);
  } catch (error) {
    problem(2, `the front matter is not YAML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    return;
  }
  if (meta === null || meta === undefined) return;
  if (typeof meta !== 'object' || Array.isArray(meta)) return problem(2, 'the front matter must be YAML keys (title:, description:, order:, deliver:)');
  const m = meta as Record<string, unknown>;
  for (const key of Object.keys(m)) if (!['title', 'description', 'order', 'deliver'].includes(key)) problem(2, `unknown front matter key "${key}" (title, description, order, deliver)`);
  if (typeof m.title === 'string') dashboard.title = m.title;
  if (typeof m.description === 'string') dashboard.description = m.description;
  if (m.order !== undefined) {
    if (typeof m.order === 'number' && Number.isFinite(m.order)) dashboard.order = m.order;
    else problem(2, 'order: must be a number');
  }
  if (m.deliver !== undefined) {
    const d = m.deliver as Record<string, unknown> | null;
    if (!d || typeof d.cron !== 'string' || typeof d.webhook_env !== 'string' || !/^[A-Z_][A-Z0-9_]*$/.test(d.webhook_env)) {
      problem(2, 'deliver: needs cron: "M H DoM Mon DoW" (UTC) and webhook_env: NAME_OF_A_VARIABLE holding the webhook URL');
    } else {
      try {
        parseCron(d.cron);
        dashboard.delivery = { cron: d.cron, webhookEnv: d.webhook_env };
      } catch (error) {
        problem(2, `deliver: cron "${d.cron}": ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}

/** A query's text in pieces: SQL, an input's value (bound), or another query of the page (inlined). */
type Piece = { sql: string } | { input: string } | { query: string; line: number };
const pieces = new WeakMap<DashboardQuery, Piece[]>();

function readQuery(name: string, source: string, line: number, dashboard: Dashboard, problem: (line: number, message: string) => void): void {
  if (!name) return problem(line, 'a ```sql block needs a name: ```sql releases_per_year');
  if (!NAME.test(name)) return problem(line, `query name "${name}": use a-z, 0-9 and _ starting with a letter`);
  if (dashboard.queries.has(name)) return problem(line, `a second query named "${name}"`);
  if (source.trim() === '') return problem(line, `query ${name} is empty`);
  const text = source.trim().replace(/;\s*$/, '');
  const parts: Piece[] = [];
  let from = 0;
  for (const m of text.matchAll(REFERENCE)) {
    const offset = m.index;
    const at = line + 1 + (source.indexOf(text) > 0 ? source.slice(0, source.indexOf(text)).split('\n').length - 1 : 0) + text.slice(0, offset).split('\n').length - 1;
    parts.push({ sql: text.slice(from, offset) });
    from = offset + m[0].length;
    const ref = m[1]!;
    const input = /^inputs\.([a-z_][a-z0-9_]*)(?:\.value)?$/.exec(ref);
    if (input) {
      // Inside a string literal the placeholder would be the text "?": the value must stand alone.
      if ((text.slice(0, offset).match(/'/g)?.length ?? 0) % 2 === 1) {
        problem(at, `\${inputs.${input[1]}} is inside quotes: remove them, the value is bound as a parameter (for LIKE write '%' || \${inputs.${input[1]}} || '%')`);
      }
      parts.push({ input: input[1]! });
    } else if (NAME.test(ref)) {
      parts.push({ query: ref, line: at });
    } else {
      problem(at, `\${${ref}} is neither an input nor a query: write \${inputs.NAME} (bound as a parameter, never pasted into the SQL) or \${query_name}`);
    }
  }
  parts.push({ sql: text.slice(from) });
  const query: DashboardQuery = { name, source: text, sql: '', params: [], line };
  pieces.set(query, parts);
  dashboard.queries.set(name, query);
}

/** Flattens every query: `${other}` becomes `(other's SQL)`, inputs become `?` in text order. */
function resolveQueries(dashboard: Dashboard, problem: (line: number, message: string) => void): void {
  const flatten = (query: DashboardQuery, path: readonly string[]): { sql: string; params: string[] } => {
    let sql = '';
    const params: string[] = [];
    const parts = pieces.get(query) ?? [{ sql: query.source }];
    for (const [index, part] of parts.entries()) {
      if ('sql' in part) sql += part.sql;
      else if ('input' in part) {
        // Typed, so that `${inputs.x} is null` means the same on every engine (Postgres cannot
        // infer the type of a bare parameter there): a Slider is a number, the others text.
        const kind = dashboard.inputs.find((i) => i.name === part.input)?.kind;
        sql += kind === 'Slider' ? 'CAST(? AS DOUBLE PRECISION)' : 'CAST(? AS VARCHAR)';
        params.push(part.input);
      } else {
        const inner = dashboard.queries.get(part.query);
        if (!inner) problem(part.line, `\${${part.query}}: no \`\`\`sql ${part.query} block on this page`);
        else if (path.includes(part.query)) problem(part.line, `queries refer to each other in a circle: ${[...path, part.query].join(' → ')}`);
        else {
          const flat = flatten(inner, [...path, part.query]);
          // A FROM item needs an alias on some engines (Postgres before 16): the query's name.
          const next = parts[index + 1];
          const fromItem = /\b(from|join)\s*$/i.test(sql) && !hasAlias(next && 'sql' in next ? next.sql : '');
          sql += `(\n${flat.sql}\n)${fromItem ? ` AS ${part.query}` : ''}`;
          params.push(...flat.params);
          continue;
        }
        sql += 'NULL';
      }
    }
    return { sql, params };
  };
  for (const query of dashboard.queries.values()) Object.assign(query, flatten(query, [query.name]));
}

const AFTER_FROM_ITEM = new Set(['where', 'join', 'left', 'right', 'inner', 'full', 'cross', 'natural', 'on', 'using', 'group', 'order', 'limit', 'offset', 'fetch', 'union', 'except', 'intersect', 'having', 'window', 'qualify']);

/** Whether the SQL after a FROM item starts with its alias (`AS g`, or a bare name that is no keyword). */
function hasAlias(after: string): boolean {
  const word = /^\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(after)?.[1]?.toLowerCase();
  return word !== undefined && (word === 'as' || !AFTER_FROM_ITEM.has(word));
}

function readProps(attrs: string): Record<string, string> {
  const props: Record<string, string> = {};
  for (const m of attrs.matchAll(PROP)) {
    if (m[6]) props[m[6]] = 'true';
    else props[m[1]!] = (m[2] ?? m[3] ?? m[4] ?? m[5] ?? '').trim();
  }
  return props;
}
