import { describe, expect, it } from 'vitest';
import { duckDbDialect } from '../warehouse/index.js';
import type { ModelFile } from './model.js';
import { renderModel, type RenderOptions } from './render-model.js';
import { templateErrorMessage } from './template-error-message.js';

const OPTIONS: RenderOptions = {
  dialect: duckDbDialect,
  target: { name: 'dev', type: 'duckdb', partition: null, vars: {} },
  resolveRef: (name) => `marts.${name}`,
  resolveSource: (source, table) => `raw.${source}_${table}`,
  self: 'marts.m',
  materialized: 'table',
};

function model(template: string): ModelFile {
  return { name: 'm', file: 'marts/m.sql', schema: 'marts', template };
}

describe('renderModel', () => {
  it('reports the names a template reads, so a render that reads none of what changed can be reused', () => {
    const result = renderModel(model("{{ config(materialized='table') }}select * from {{ ref('a') }} where {{ json_int('v', 'id') }} > 0 -- {{ this }}"), OPTIONS);
    expect(result.sql).toBe('select * from marts.a where TRY_CAST((v ->> \'$.id\') AS BIGINT) > 0 -- marts.m');
    expect(result.names).toEqual(['config', 'json_int', 'ref', 'this']);
  });

  it('renders with nunjucks what the engine does not cover (names then unknown)', () => {
    const result = renderModel(model("{% filter upper %}select {{ ref('a') }}{% endfilter %}"), OPTIONS);
    expect(result.sql).toBe('SELECT MARTS.A');
    expect(result.refs).toEqual(['a']);
    expect(result.names).toBeNull();
  });

  it("throws nunjucks' own error, with file and position, for an error found while rendering", () => {
    const render = (): unknown => renderModel(model("select 1\nfrom {{ json_int('v', 'not a path!') }}"), OPTIONS);
    expect(render).toThrow();
    try {
      render();
    } catch (error) {
      expect(templateErrorMessage('marts/m.sql', error)).toMatch(/^marts\/m\.sql:\d+: invalid JSON path "not a path!" \(column \d+\)$/);
    }
  });
});
