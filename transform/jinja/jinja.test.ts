import nunjucks from 'nunjucks';
import { describe, expect, it } from 'vitest';
import { createPrng } from '../../core/index.js';
import { compileJinjaMacros, compileJinjaTemplate, prepareJinjaMacros, renderJinja, Unsupported } from './index.js';

// The reference: nunjucks as transform/ configures it (Jinja compat, no autoescape, undefined throws).
nunjucks.installJinjaCompat();
const env = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: true });

const MACROS = `{% macro cents(column, scale=2) -%} round(({{ column }}) / 100.0, {{ scale }}) {%- endmacro %}
text between macros is dropped
{% macro share(n, d, label='x', extra=scale) %}{{ cents(n) }}/{{ cents(d, 4) }}:{{ label }}:{{ extra }}{% endmacro %}
{% macro _private() %}p{% endmacro %}
{% macro calls_private() %}[{{ _private() }}]{% endmacro %}
{% macro listing(xs) %}{% for x in xs %}{{ loop.index }}={{ x }}{{ ',' if not loop.last }}{% endfor %}{% endmacro %}`;

function context(): Record<string, unknown> {
  return {
    a: 1,
    b: 'two',
    n: 3,
    s: 'str',
    scale: 7,
    xs: [1, 'x', 3],
    d: { k: 'v', j: 2 },
    empty: [],
    obj: { schema: 'sc', name: 't', toString: () => 'sc.t' },
    f: (...args: unknown[]) => `f(${args.map((x) => JSON.stringify(x)).join(', ')})`,
    ref: (name: unknown) => `analytics.${String(name)}`,
  };
}

interface Outcome {
  ok?: string;
  error?: string;
}

function viaNunjucks(text: string): Outcome {
  try {
    const ctx = context();
    let exported: Record<string, unknown> = {};
    const lib = new nunjucks.Template(MACROS, env, 'macros', true) as unknown as { getExported(c: object, cb: (e: unknown, r: Record<string, unknown>) => void): void };
    lib.getExported(ctx, (e, r) => {
      if (e) throw e;
      exported = r;
    });
    Object.assign(ctx, exported);
    return { ok: new nunjucks.Template(text, env, 'model.sql', true).render(ctx) };
  } catch (error) {
    return { error: String(error) };
  }
}

const macros = prepareJinjaMacros(compileJinjaMacros(MACROS));

function viaFast(text: string): Outcome {
  try {
    return { ok: renderJinja(compileJinjaTemplate(text), context(), { macros }) };
  } catch (error) {
    return { error: String(error) };
  }
}

// Cases the fast engine must render exactly as nunjucks does.
const SAME = [
  'select 1',
  '{{ a }} {{ b }}  {{ s ~ n }}',
  'a  {{- b -}}  c\n  {%- if true -%}\n  d  {%- endif %}\n e',
  '{# comment #}x {#- trimmed -#}   y',
  '{%- set cols = ["a", "b"] -%}\nselect\n{%- for c in cols %}\n  {{ c }}{% if not loop.last %},{% endif %}\n{%- endfor %}\nfrom t',
  '{% for x in xs %}{{ loop.index }}/{{ loop.index0 }}/{{ loop.revindex }}/{{ loop.revindex0 }}/{{ loop.first }}/{{ loop.last }}/{{ loop.length }} {% endfor %}',
  '{% for x in empty %}{{ x }}{% else %}none{% endfor %}|{% for x in none %}{{ x }}{% else %}null list{% endfor %}',
  '{% for k, v in d %}{{ k }}={{ v }};{% endfor %}|{% for p, q in [[1, 2], [3, 4]] %}{{ p + q }}{% endfor %}',
  '{% set x = 1 %}{% for i in [1, 2] %}{% set x = x + i %}{% set inner = i %}{% endfor %}{{ x }}',
  '{% set a, y = 5 %}{{ a }}{{ y }}',
  '{% set block %}\n  {{ b }} {% for i in [1,2] %}{{ i }}{% endfor %}\n{% endset %}[{{ block }}]',
  "{{ 'it\\'s' }} {{ \"q\\\"x\\n\" }} {{ 'a\\tb' }}",
  '{{ 7 // 2 }} {{ 7 % 3 }} {{ 2 ** 10 }} {{ 1.5 * 2 }} {{ 10 / 4 }} {{ -n }} {{ +n }} {{ n - 1 - 1 }} {{ (n + 1) * 2 }}',
  '{{ 1 < 2 < 3 }} {{ a == 1 }} {{ a === 1 }} {{ a != "1" }} {{ a !== "1" }} {{ 3 >= 3 }}',
  '{{ "x" in "xyz" }} {{ 1 in xs }} {{ "k" in d }} {{ "q" not in d }} {{ not a }} {{ not (a and b) }}',
  '{{ a or b }} {{ 0 or "" or "last" }} {{ a and b }} {{ none or "dflt" }}',
  '{{ "yes" if True else "no" }} {{ "x" if False }}|{{ None if false else "" }}|{{ True }}',
  '{{ obj }} {{ obj.schema }}.{{ obj["name"] }} {{ d.k }} {{ xs[1] }} {{ d.missing or "m" }}',
  "{{ f(1, 'two', [3], {'k': 4}, key=5, other='x') }} {{ ref('stg_a') }}",
  "{{ cents('amount') }} {{ cents('amount', 3) }} {{ cents(column='c') }} {{ share('a', 'b') }} {{ share('a', 'b', 'L', 'E', 'ignored') }}",
  '{{ calls_private() }} {{ listing(["p", "q"]) }} {{ "" ~ cents("z") }} {% if cents("z") %}truthy{% endif %}',
  '{% if a == 2 %}two{% elif a == 1 %}one{% else %}other{% endif %} {% if n > 5 %}big{% elseif n > 2 %}mid{% endif %}',
  '{{ [1, 2] }} {{ {"a": 1} }} {{ (1, 2) }} {{ xs }}',
  '{% for x in xs %}{% for y in [1] %}{{ loop.index }}{% endfor %}{{ loop.index }}{% endfor %}',
  '{% set loop_seen = [] %}{% for i in [1, 2, 3] %}{% if loop.first %}F{% endif %}{{ i }}{% endfor %}',
];

// Cases it must leave to nunjucks (renders differently in JS, or outside the subset).
const BAIL = [
  '{{ b | upper }}',
  '{{ a is defined }}',
  '{{ d.items() }}',
  '{{ xs[0:2] }}',
  '{{ 1 + 2 - 3 }}',
  '{{ not a == 1 }}',
  '{{ a == 1 < 2 }}',
  '{{ undefined_name }}',
  '{{ missing() }}',
  '{% macro local() %}x{% endmacro %}{{ local() }}',
  '{% raw %}{{ x }}{% endraw %}',
  '{{ range(3) }}',
  '{{ cents }}',
  '{{ f(cents) }}',
  'unterminated {{ a',
];

describe('the fast template engine', () => {
  it.each(SAME)('renders %j exactly as nunjucks', (text) => {
    const fast = viaFast(text);
    expect(fast.error).toBeUndefined();
    expect(fast.ok).toBe(viaNunjucks(text).ok);
  });

  it.each(BAIL)('leaves %j to nunjucks', (text) => {
    let error: unknown;
    try {
      renderJinja(compileJinjaTemplate(text), context(), { macros });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Unsupported);
  });

  it('agrees with nunjucks on random templates whenever it renders one', () => {
    const rnd = createPrng(15);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const names = ['a', 'b', 'n', 's', 'xs', 'd', 'obj', 'True', 'None', 'loop', 'nope', 'f', 'cents'];
    const expr = (depth: number): string => {
      if (depth <= 0 || rnd() < 0.3) return pick([pick(names), String(Math.floor(rnd() * 5)), '1.5', "'s'", 'true', 'none', `${pick(names)}.${pick(['k', 'length', 'index', 'schema'])}`]);
      const e = (): string => expr(depth - 1);
      return pick([
        `${e()} ${pick(['+', '-', '*', '/', '%', '//', '**', '~', '==', '!=', '<', '>=', 'and', 'or', 'in', 'not in'])} ${e()}`,
        `not ${e()}`,
        `-${e()}`,
        `(${e()})`,
        `[${e()}, ${e()}]`,
        `{'k': ${e()}}`,
        `${e()} if ${e()} else ${e()}`,
        `f(${e()}, k=${e()})`,
        `cents(${e()})`,
        `share(${e()}, ${e()}, label=${e()})`,
        `${e()}[${e()}]`,
      ]);
    };
    const dash = (): string => pick(['', '-']);
    const body = (depth: number): string => {
      let out = '';
      for (let i = Math.floor(rnd() * 4); i > 0; i--) {
        out += pick(['', ' ', '\n', '  \n ', 'x']);
        switch (depth <= 0 ? 0 : Math.floor(rnd() * 6)) {
          case 0:
          case 1:
            out += `{{${dash()} ${expr(2)} ${dash()}}}`;
            break;
          case 2:
            out += `{%${dash()} if ${expr(2)} ${dash()}%}${body(depth - 1)}{% else %}${body(depth - 1)}{%${dash()} endif ${dash()}%}`;
            break;
          case 3:
            out += `{% for ${pick(['i', 'a', 'k, v'])} in ${pick(['xs', 'd', 'none', '[1, 2]', expr(1)])} ${dash()}%}${body(depth - 1)}{{ loop.index }}{% else %}e{% endfor %}`;
            break;
          case 4:
            out += `{% set ${pick(['a', 'y', 'i'])} = ${expr(2)} %}`;
            break;
          default:
            out += `{#${dash()} c ${dash()}#}`;
        }
      }
      return out;
    };
    let rendered = 0;
    for (let t = 0; t < 1500; t++) {
      const text = body(3);
      const fast = viaFast(text);
      if (fast.ok === undefined) continue;
      rendered++;
      expect(viaNunjucks(text), text).toEqual({ ok: fast.ok });
    }
    // Most random templates are in the subset (the rest fail in nunjucks too, or use what it leaves out).
    expect(rendered).toBeGreaterThan(500);
  });
});
