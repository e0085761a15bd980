/**
 * A strict reader of the Prometheus text exposition format (0.0.4), for tests: every family has
 * its HELP and TYPE before its samples, sample names belong to their family, label sets are
 * unique, and histograms are consistent (cumulative buckets ending in +Inf = _count, a _sum).
 * Anything else throws with the line number.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}
export interface MetricFamily {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const SUFFIXES: Record<MetricFamily['type'], string[]> = { counter: [''], gauge: [''], untyped: [''], histogram: ['_bucket', '_sum', '_count'], summary: ['', '_sum', '_count'] };

export function parsePrometheusText(text: string): Map<string, MetricFamily> {
  const families = new Map<string, MetricFamily>();
  const help = new Map<string, string>();
  const seen = new Set<string>();
  let current: MetricFamily | undefined;
  const lines = text.split('\n');
  if (lines.at(-1) !== '') throw new Error('the exposition must end with a newline');
  lines.pop();
  lines.forEach((line, i) => {
    const fail = (why: string): never => {
      throw new Error(`line ${i + 1}: ${why}: ${JSON.stringify(line)}`);
    };
    if (line === '') return;
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (meta) {
      const [, kind, name, rest] = meta as unknown as [string, string, string, string];
      if (!NAME.test(name)) fail('bad metric name');
      if (kind === 'HELP') {
        if (help.has(name)) fail('second HELP');
        help.set(name, rest.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c)));
        return;
      }
      if (!TYPES.has(rest)) fail('unknown TYPE');
      if (families.has(name)) fail('second TYPE');
      if (!help.has(name)) fail('TYPE before HELP');
      current = { name, help: help.get(name)!, type: rest as MetricFamily['type'], samples: [] };
      families.set(name, current);
      return;
    }
    if (line.startsWith('#')) return; // a comment
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)( -?\d+)?$/.exec(line) ?? fail('not a sample');
    const [, name, , labelText, valueText] = m as unknown as [string, string, string | undefined, string | undefined, string];
    if (!current) return fail('sample before any TYPE');
    const family = current;
    if (!SUFFIXES[family.type].some((s) => name === family.name + s)) fail(`sample outside its family ${family.name}`);
    const labels = parseLabels(labelText ?? '', fail);
    const value = valueText === '+Inf' ? Infinity : valueText === '-Inf' ? -Infinity : valueText === 'NaN' ? NaN : Number(valueText);
    if (Number.isNaN(value) && valueText !== 'NaN') fail('bad value');
    const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (seen.has(key)) fail('duplicate series');
    seen.add(key);
    family.samples.push({ name, labels, value });
  });
  for (const family of families.values()) if (family.type === 'histogram') checkHistogram(family);
  return families;
}

function parseLabels(text: string, fail: (why: string) => never): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text;
  while (rest !== '') {
    const m = /^([^=]+)="((?:[^"\\]|\\.)*)"(,|$)/.exec(rest) ?? fail('bad labels');
    const [whole, name, raw] = m as unknown as [string, string, string];
    if (!LABEL.test(name)) fail(`bad label name ${name}`);
    if (name in labels) fail(`label ${name} twice`);
    labels[name] = raw.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    rest = rest.slice(whole.length);
  }
  return labels;
}

function checkHistogram(family: MetricFamily): void {
  const series = new Map<string, { buckets: [number, number][]; sum?: number; count?: number }>();
  for (const s of family.samples) {
    const { le, ...rest } = s.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    const entry = series.get(key) ?? { buckets: [] };
    series.set(key, entry);
    if (s.name.endsWith('_bucket')) {
      if (le === undefined) throw new Error(`${family.name}: a bucket without le`);
      entry.buckets.push([le === '+Inf' ? Infinity : Number(le), s.value]);
    } else if (s.name.endsWith('_sum')) entry.sum = s.value;
    else entry.count = s.value;
  }
  for (const [key, { buckets, sum, count }] of series) {
    const where = `${family.name}${key}`;
    if (sum === undefined || count === undefined) throw new Error(`${where}: _sum or _count missing`);
    const sorted = [...buckets].sort((a, b) => a[0] - b[0]);
    if (sorted.at(-1)?.[0] !== Infinity) throw new Error(`${where}: no +Inf bucket`);
    sorted.forEach(([, n], i) => {
      if (i > 0 && n < sorted[i - 1]![1]) throw new Error(`${where}: buckets not cumulative`);
    });
    if (sorted.at(-1)![1] !== count) throw new Error(`${where}: +Inf bucket ${sorted.at(-1)![1]} is not _count ${count}`);
    if (count > 0 && !(sum >= 0)) throw new Error(`${where}: bad _sum`);
  }
}

/** The sum of a family's samples (named `sample`, default the family) whose labels include `labels`. */
export function sampleValue(families: Map<string, MetricFamily>, family: string, labels: Record<string, string> = {}, sample = family): number | undefined {
  const f = families.get(family);
  if (!f) return undefined;
  const matching = f.samples.filter((s) => s.name === sample && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return matching.length === 0 ? undefined : matching.reduce((a, s) => a + s.value, 0);
}
