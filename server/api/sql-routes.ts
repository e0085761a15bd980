import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { AuthError } from '../../core/index.js';
import type { Context } from 'hono';
import { effectiveSettings, exportConsoleCsv, requireRole, runConsoleQuery, type Workspace } from '../../app/index.js';
import { csvResponse } from './csv-response.js';
import { ErrorBodySchema } from './schemas.js';
import { json } from './openapi-json.js';

export const SqlResultSchema = z
  .object({
    columns: z.array(z.string()),
    rows: z.array(z.record(z.string(), z.unknown())).openapi({ description: 'at most 2,000' }),
    limitReached: z.boolean().openapi({ description: 'more rows exist than are shown' }),
    elapsedMs: z.number().int(),
  })
  .openapi('SqlResult');

/** The SQL console: one read-only query over the warehouse, sandboxed, timed out, capped. */
export function registerSqlRoutes(api: OpenAPIHono, ws: Workspace): void {
  api.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/sql',
      tags: ['market'],
      summary: 'Run one read-only query (SELECT, WITH, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN) over the warehouse: no file, network or setting access, 15 s at most, 2,000 rows shown',
      request: { body: { content: { 'application/json': { schema: z.object({ sql: z.string().max(100_000) }) } }, required: true } },
      responses: {
        200: json(SqlResultSchema, 'the rows'),
        400: json(ErrorBodySchema, 'refused (SQL_REFUSED) or wrong (the engine says why)'),
        403: json(ErrorBodySchema, 'the console is off, or for operators only'),
        408: json(ErrorBodySchema, 'stopped at the time limit (SQL_TIMEOUT)'),
      },
    }),
    async (c) => {
      await allowConsole(c);
      const { sql } = c.req.valid('json');
      // The client closing the request (the console's Cancel) interrupts the query.
      return c.json(await runConsoleQuery(ws, sql, { signal: c.req.raw.signal }), 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/sql.csv',
      tags: ['market'],
      summary: 'Every row of one read-only console query as CSV (streamed; the same sandbox as /api/v1/sql, 2 minutes at most)',
      request: { body: { content: { 'application/json': { schema: z.object({ sql: z.string().max(100_000) }) } }, required: true } },
      responses: {
        200: { description: 'CSV with a header line', content: { 'text/csv': { schema: z.string() } } },
        400: json(ErrorBodySchema, 'refused (SQL_REFUSED) or wrong (the engine says why)'),
        403: json(ErrorBodySchema, 'the console is off, or for operators only'),
        408: json(ErrorBodySchema, 'stopped at the time limit before the first row (SQL_TIMEOUT)'),
      },
    }),
    async (c) => {
      await allowConsole(c);
      return csvResponse(exportConsoleCsv(ws, c.req.valid('json').sql, { signal: c.req.raw.signal }), 'query.csv') as never;
    },
  );

  /** An admin's choice on /settings, else GMP_SQL_CONSOLE: off, operators only, or everyone signed in. */
  async function allowConsole(c: Context): Promise<void> {
    const access = (await effectiveSettings(ws, { localMode: c.get('localMode') })).sqlConsole.value;
    if (access === 'off') throw new AuthError('FORBIDDEN', 'the SQL console is turned off on this server', { hint: 'an admin turns it on on the settings page (/settings)' });
    if (access === 'operators') requireRole(c.get('principal'), 'operator');
  }
}
