import { describe, expect, it } from 'vitest';
import { Markup, parseTemplate, renderTemplate, runMacroLibrary, TemplateUnsupported } from './index.js';

function render(template: string, globals: Record<string, unknown> = {}): { out: string; names: string[] } {
  const names = new Set<string>();
  const out = renderTemplate(parseTemplate(template), [globals], names);
  return { out, names: [...names].sort() };
}

describe('the template engine', () => {
  it('renders the statements dbt models use', () => {
    const template = [
      "{%- set cols = ['id', 'name'] -%}",
      'select',
      '{%- for c in cols %}',
      '  {{ c }}{% if not loop.last %},{% endif %}',
      '{%- endfor %}',
      "from {{ ref('users') }}",
      "{% if target.name == 'prod' %}where active{% elif target.name in ['ci', 'dev'] %}limit {{ 10 * 2 }}{% endif %}",
    ].join('\n');
    const { out } = render(template, { ref: (name: string) => `marts.${name}`, target: { name: 'dev' } });
    expect(out).toBe('select\n  id,\n  name\nfrom marts.users\nlimit 20');
  });

  it('passes keyword arguments to functions as nunjucks does: a trailing object marked __keywords', () => {
    const calls: unknown[][] = [];
    render("{{ config(materialized='table', tags=['a']) }}{{ f(1, x=2) }}", { config: (...a: unknown[]) => (calls.push(a), ''), f: (...a: unknown[]) => (calls.push(a), '') });
    expect(calls).toEqual([[{ materialized: 'table', tags: ['a'], __keywords: true }], [1, { x: 2, __keywords: true }]]);
  });

  it('binds macro arguments: positional ones to parameters without default first, then keywords, then defaults', () => {
    const macros = '{% macro m(a, b=2, c=3) %}{{ a }}-{{ b }}-{{ c }}{% endmacro %}';
    expect(render(`${macros}{{ m(1) }} {{ m(1, 5) }} {{ m(1, c=9) }} {{ m(c=9, a=0) }} {{ m(1, 2, 3, 4) }}`).out).toBe('1-2-3 1-5-3 1-2-9 0-2-9 1-2-3');
  });

  it('returns macro output as a String-like value nunjucks-style: prints, compares and concatenates as text, truthy even when empty', () => {
    const { out } = render("{% macro m() %}ab{% endmacro %}{% macro z() %}{% endmacro %}{{ m() }}|{{ m() == 'ab' }}|{{ m() ~ 'c' }}|{{ m() is string }}|{% if z() %}T{% endif %}");
    expect(out).toBe('ab|true|abc|false|T');
    const markup = new Markup('ab');
    expect(markup).toBeInstanceOf(String);
    expect(`${markup as unknown as string}`).toBe('ab');
    expect(JSON.stringify(markup)).toBe('{"val":"ab","length":2}');
  });

  it('reports the names a render reads from its globals, through macros too, but not its own variables', () => {
    const { names } = render("{% macro m() %}{{ this }}{% endmacro %}{% set local = 1 %}{{ local }}{{ m() }}{% for i in [1] %}{{ i }}{{ ref('x') }}{% endfor %}{% if flag is defined %}{% endif %}", {
      this: 'marts.t',
      ref: () => 'r',
    });
    expect(names).toEqual(['flag', 'ref', 'this']);
  });

  it('runs macro files as nunjucks getExported does: top-level macros and sets exported but _private ones, top-level calls made', () => {
    const seen: string[] = [];
    const library = ['{% set shared = 1 %}{% set _secret = 2 %}{% macro a() %}{{ _h() }}{% endmacro %}{% macro _h() %}H{% endmacro %}', "{{ note('loaded') }}{% macro b(x) %}{{ a() }}{{ x }}{% endmacro %}"].map(parseTemplate);
    const names = new Set<string>();
    const exported = runMacroLibrary(library, [{ note: (s: string) => (seen.push(s), '') }], names);
    expect(Object.keys(exported).sort()).toEqual(['a', 'b', 'shared']);
    expect(String((exported.b as (x: unknown) => unknown)(1))).toBe('H1');
    expect(seen).toEqual(['loaded']);
    expect([...names]).toEqual(['note']);
  });

  it('applies whitespace control to the text beside a tag, and keeps raw blocks as written', () => {
    expect(render('a  {%- if true -%}  b  {%- endif -%}  c {# note -#}  d {% raw %}{{ x }}{% endraw %}').out).toBe('abc d {{ x }}');
  });

  it.each([
    "{% include 'other.sql' %}",
    '{% call m() %}x{% endcall %}',
    '{% filter upper %}x{% endfilter %}',
    '{{ s[1:2] }}',
    '{{ x | nosuchfilter }}',
    '{{ x is nosuchtest }}',
    '{{ range(3) }}',
    '{% for i in [1] %}{% macro m() %}{% endmacro %}{% endfor %}',
    '{{ unclosed',
  ])('leaves %j to nunjucks (TemplateUnsupported)', (template) => {
    expect(() => renderTemplate(parseTemplate(template), [], new Set())).toThrow(TemplateUnsupported);
  });

  it('declines at render time what it cannot print as nunjucks would', () => {
    expect(() => render('{{ missing }}')).toThrow(TemplateUnsupported);
    expect(() => render('{{ f }}', { f: () => 1 })).toThrow(TemplateUnsupported);
    expect(() => render("{{ d.pop('a') }}", { d: { a: 1 } })).toThrow(TemplateUnsupported);
  });
});
