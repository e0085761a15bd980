import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The recorded RAWG responses copied into the project (see tests/fixtures/rawg/PROVENANCE.md). */
export const FIXTURES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/rawg');

export function readFixture(relative: string): unknown {
  return JSON.parse(readFileSync(path.join(FIXTURES_DIR, relative), 'utf8'));
}

export function fixtureFiles(folder: string): string[] {
  return readdirSync(path.join(FIXTURES_DIR, folder))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => `${folder}/${f}`);
}

/** Every game item in the `/games` fixtures: list results, bare list items and details. */
export function gameFixtureItems(): { file: string; item: Record<string, unknown> }[] {
  return fixtureFiles('games').flatMap((file) => {
    const body = readFixture(file) as Record<string, unknown>;
    if (Array.isArray(body.results)) return (body.results as Record<string, unknown>[]).map((item) => ({ file, item }));
    return [{ file, item: body }];
  });
}
