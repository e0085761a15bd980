import path from 'node:path';
import type { Command } from 'commander';
import { formatTable, printJson } from '../output.js';
import { workspaceFor } from './context.js';

/** `name=value` pairs of --input, repeatable. */
function collectInput(pair: string, previous: Record<string, string>): Record<string, string> {
  const at = pair.indexOf('=');
  if (at < 1) throw new Error(`--input ${pair}: write NAME=VALUE (e.g. --input genre=action)`);
  return { ...previous, [pair.slice(0, at)]: pair.slice(at + 1) };
}

/** `gmp dashboards list|check|export|deliver`: the Markdown + SQL pages of gmp serve, from the terminal. */
export function registerDashboards(program: Command): void {
  const dashboards = program
    .command('dashboards')
    .description('dashboards as code: Markdown pages with named SQL blocks, charts and filters (list, check, export, deliver)')
    .addHelpText(
      'after',
      `
Pages live in the dashboards folder (GMP_DASHBOARDS_DIR, default the dashboards/ gmp ships);
gmp serve shows them at /dashboards/NAME and reads a page again when its file changes.

A page is Markdown with:
  \`\`\`sql releases                 a named query; \${inputs.genre} is bound as a parameter,
  select … where g = \${inputs.genre}  \${other_query} inlines another query of the page
  \`\`\`
  <BarChart data={releases} x=year y=games title="Releases" />    also LineChart, AreaChart,
  Heatmap (x, y, value), DataTable (rows, link), BigValue (value, fmt: num0 num1 num2 pct pct1)
  <Dropdown name=genre data={genres} value=slug label=name />      also TextInput, Slider (min, max, step)

Examples:
  gmp dashboards check                         every page against the warehouse (exit 2 on a problem)
  gmp dashboards export market-overview --out reports --input genre=action
  GMP_REPORT_WEBHOOK=https://… gmp dashboards deliver market-overview --webhook-env GMP_REPORT_WEBHOOK`,
    );

  dashboards
    .command('list')
    .description('the pages, their charts and problems')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, command: Command) => {
      const ws = await workspaceFor(command);
      const { listDashboards } = await import('../../app/index.js');
      const pages = await listDashboards(ws);
      const rows = pages.map((p) => ({ name: p.dashboard.name, title: p.dashboard.title, charts: p.dashboard.charts.length, problems: p.problems.length, file: path.relative(process.cwd(), p.dashboard.file) }));
      if (opts.json) printJson({ dashboards: rows });
      else process.stdout.write(rows.length ? `${formatTable(rows)}\n` : 'no dashboards: add a Markdown page to the dashboards folder (GMP_DASHBOARDS_DIR)\n');
    });

  dashboards
    .command('check')
    .description('validate every page against the warehouse: components, inputs, each query run, each chart column (exit 2 with every problem)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, command: Command) => {
      const ws = await workspaceFor(command);
      const { checkDashboards } = await import('../../app/index.js');
      const check = await checkDashboards(ws);
      if (opts.json) printJson(check);
      else {
        for (const p of check.problems) process.stdout.write(`${path.relative(process.cwd(), p.file)}:${p.line}: ${p.message}\n`);
        const queries = check.pages.reduce((n, p) => n + p.queries, 0);
        const charts = check.pages.reduce((n, p) => n + p.charts, 0);
        process.stdout.write(`${check.pages.length} pages, ${queries} queries, ${charts} charts: ${check.problems.length === 0 ? 'all good' : `${check.problems.length} problem${check.problems.length === 1 ? '' : 's'}`}\n`);
      }
      process.exitCode = check.problems.length === 0 ? 0 : 2;
    });

  dashboards
    .command('export')
    .description('write a page as one self-contained HTML file (and a PDF where Chromium is present)')
    .argument('<page>', 'the page: its file name without .md (gmp dashboards list)')
    .option('--out <dir>', 'the folder to write into', '.')
    .option('--input <name=value>', 'a filter value, as in the page URL (repeatable)', collectInput, {})
    .option('--no-pdf', 'HTML only, even with Chromium present')
    .action(async (page: string, opts: { out: string; input: Record<string, string>; pdf: boolean }, command: Command) => {
      const ws = await workspaceFor(command);
      const { exportDashboard } = await import('../../app/index.js');
      const result = await exportDashboard(ws, page, { out: path.resolve(opts.out), inputs: opts.input, pdf: opts.pdf });
      process.stdout.write(`${result.html}\n`);
      if (result.pdf) process.stdout.write(`${result.pdf}\n`);
      else if (opts.pdf) process.stderr.write(`no PDF: ${result.pdfNote}\n`);
      if (result.problems > 0) {
        process.stderr.write(`the page has ${result.problems} problem(s), shown in the export: gmp dashboards check lists them\n`);
        process.exitCode = 2;
      }
    });

  dashboards
    .command('deliver')
    .description('POST a page (self-contained HTML in JSON) to a webhook now, as the schedule daemon does for pages with deliver: in their front matter')
    .argument('<page>', 'the page: its file name without .md')
    .requiredOption('--webhook-env <NAME>', 'the environment variable holding the webhook URL (never the URL itself: it carries a token)')
    .option('--input <name=value>', 'a filter value (repeatable)', collectInput, {})
    .action(async (page: string, opts: { webhookEnv: string; input: Record<string, string> }, command: Command) => {
      const ws = await workspaceFor(command);
      const { deliverDashboard } = await import('../../app/index.js');
      const { UsageError } = await import('../../core/index.js');
      const url = process.env[opts.webhookEnv];
      if (!url) throw new UsageError(`${opts.webhookEnv} is not set`, { hint: `export ${opts.webhookEnv}=https://… (the receiver's webhook URL)` });
      const delivery = await deliverDashboard(ws, page, url, { inputs: opts.input });
      process.stdout.write(`delivered ${delivery.dashboard} (${delivery.bytes.toLocaleString('en-US')} bytes): HTTP ${delivery.status}${delivery.attempts > 1 ? ` after ${delivery.attempts} attempts` : ''}\n`);
    });
}
