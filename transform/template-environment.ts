import { createRequire } from 'node:module';
import type nunjucksModule from 'nunjucks';

type Nunjucks = typeof nunjucksModule;

let loaded: { nunjucks: Nunjucks; environment: nunjucksModule.Environment } | undefined;

/**
 * nunjucks and the one environment models and macros compile in (no autoescape: the output is
 * SQL), loaded on first use: most projects render entirely on the fast engine and never need it.
 */
export function nunjucksEngine(): { nunjucks: Nunjucks; environment: nunjucksModule.Environment } {
  if (loaded === undefined) {
    const nunjucks = createRequire(import.meta.url)('nunjucks') as Nunjucks;
    // Jinja spellings dbt users write (`True`, `none`, `dict.items()`, slices) must work in models.
    nunjucks.installJinjaCompat();
    loaded = { nunjucks, environment: new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: true }) };
  }
  return loaded;
}
