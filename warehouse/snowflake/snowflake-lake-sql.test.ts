import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expectGolden, sqlSections } from '../../tests/helpers/golden.js';
import { queryTag, sessionSetup } from './snowflake-driver.js';
import {
  NOW_MS_QUERY,
  addFilesStatements,
  committedPartitionsQuery,
  committedView,
  externalTableDdl,
  mergeCommittedStatements,
  registeredFilesQuery,
  removeFilesStatements,
  snowflakeSetupStatements,
} from './snowflake-lake-sql.js';

const GOLDEN = path.join(path.dirname(fileURLToPath(import.meta.url)), '__golden__');
const entities = [
  { relation: 'raw.rawg_games', entityPath: 'raw/rawg/games/' },
  { relation: 'raw.rawg_genres', entityPath: 'raw/rawg/genres/' },
];
const script = (statements: { purpose: string; sql: string }[]): string => statements.map((s) => `-- ${s.purpose}\n${s.sql};`).join('\n\n');

describe('Snowflake lake setup (golden)', () => {
  it('creates the integration, format, stage, committed-runs table, and per entity an external table and its view', () => {
    const plan = {
      lakeUrl: 's3://gmp-lake/prod/',
      storageIntegration: 'gmp_lake',
      storageAwsRoleArn: 'arn:aws:iam::123456789012:role/gmp-snowflake',
      entities,
    };
    expectGolden(GOLDEN, 'setup-with-integration.sql', script(snowflakeSetupStatements(plan)));
  });

  it('uses an existing storage integration when no role ARN is configured', () => {
    const statements = snowflakeSetupStatements({ lakeUrl: 's3://gmp-lake/', storageIntegration: 'corp_s3', entities: entities.slice(0, 1) });
    expectGolden(GOLDEN, 'setup-existing-integration.sql', script(statements));
    expect(statements.some((s) => /STORAGE INTEGRATION/.test(s.sql))).toBe(false);
  });

  it('never replaces or drops an object that holds data or registered files', () => {
    const all = snowflakeSetupStatements({ lakeUrl: 's3://b/', storageIntegration: 'i', storageAwsRoleArn: 'arn:aws:iam::123456789012:role/r', entities });
    for (const { sql } of all) {
      expect(sql).not.toMatch(/\bDROP\b|\bREFRESH\b|AUTO_REFRESH = TRUE|REFRESH_ON_CREATE = TRUE/);
      // Only views (no data) are replaced; everything else is created if missing.
      if (/CREATE OR REPLACE/.test(sql)) expect(sql).toMatch(/^CREATE OR REPLACE VIEW /);
    }
  });
});

describe('Snowflake file registration (golden)', () => {
  it('pins the external table, the view, ADD/REMOVE FILES, the committed-run MERGE and the session setup', () => {
    expectGolden(
      GOLDEN,
      'lake-files.sql',
      sqlSections([
        ['external table of one entity', externalTableDdl('raw.rawg_games', 'raw/rawg/games/')],
        ['the view over committed runs', committedView('raw.rawg_games')],
        ["Snowflake's clock", NOW_MS_QUERY],
        ['registered files', registeredFilesQuery('raw.rawg_games')],
        ['committed runs', committedPartitionsQuery('raw.rawg_games')],
        ['add committed files', addFilesStatements('raw.rawg_games', ['dt=2024-05-01/run=20240502T030000Z-3f9a1c/part-00000.jsonl.gz', 'dt=2024-05-01/run=20240502T030000Z-3f9a1c/part-00001.jsonl.gz'])],
        ['remove superseded files', removeFilesStatements('raw.rawg_games', ["dt=2024-05-01/run=20240501T030000Z-aaaaaa/part-00000.jsonl.gz"])],
        [
          'switch partitions to their committed runs',
          mergeCommittedStatements('raw.rawg_games', [
            { dt: '2024-05-01', runId: '20240502T030000Z-3f9a1c', committedAt: '2024-05-02T03:04:05.678Z', generation: 3 },
            // A manifest written before generations: 0.
            { dt: '2024-05-02', runId: '20240503T030000Z-bbbbbb', committedAt: '2024-05-03T03:00:01.000Z' },
          ]),
        ],
        ['session setup after login', sessionSetup(3600)],
        ['statement QUERY_TAG', `-- ${queryTag({ run_id: '20240502T030000Z-3f9a1c', asset: 'marts/dim_games', partition: null })}\nselect 1`],
      ]),
    );
  });

  it('splits long file lists into statements of 500 files, and writes nothing for none', () => {
    const paths = Array.from({ length: 1001 }, (_, i) => `dt=2024-05-01/run=r/part-${String(i).padStart(5, '0')}.jsonl.gz`);
    const statements = addFilesStatements('raw.rawg_games', paths);
    expect(statements).toHaveLength(3);
    expect(statements.map((s) => s.match(/part-/g)?.length)).toEqual([500, 500, 1]);
    expect(addFilesStatements('raw.rawg_games', [])).toEqual([]);
    expect(removeFilesStatements('raw.rawg_games', [])).toEqual([]);
    expect(mergeCommittedStatements('raw.rawg_games', [])).toEqual([]);
  });

  it('refuses a generation that is not a non-negative integer (it is written into the SQL)', () => {
    const p = { dt: '2024-05-01', runId: 'r', committedAt: '2024-05-02T03:04:05.678Z' };
    expect(() => mergeCommittedStatements('raw.rawg_games', [{ ...p, generation: 1.5 }])).toThrow(/generation/);
    expect(() => mergeCommittedStatements('raw.rawg_games', [{ ...p, generation: -1 }])).toThrow(/generation/);
  });

  it('quotes file names and run ids as literals', () => {
    expect(addFilesStatements('raw.rawg_games', ["dt=2024-05-01/run=x/o'brien.jsonl.gz"])[0]).toContain("'dt=2024-05-01/run=x/o''brien.jsonl.gz'");
  });
});
