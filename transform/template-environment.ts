import nunjucks from 'nunjucks';

// Jinja spellings dbt users write (`True`, `none`, `dict.items()`, slices) must work in models.
nunjucks.installJinjaCompat();

/** The one nunjucks environment models and macros compile in (no autoescape: the output is SQL). */
export const templateEnvironment = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: true });
