import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type * as zod from 'zod';
import { lazyZodSchema } from '../../core/index.js';
import { formatLocation } from '../format-location.js';
import type { Materialization } from '../model.js';
import { PROJECT_FILE } from './load-schema-files.js';
import { isPlainProjectFile } from './plain-properties.js';
import { readYaml } from './read-yaml.js';

/** What a project with no project file gets: staging models are views, marts are tables. */
export const DEFAULT_FOLDER_MATERIALIZATIONS: Readonly<Record<string, Materialization>> = { staging: 'view', marts: 'table' };

// Built on first use: isPlainProjectFile stands in for it on a file written as expected, so zod
// loads only for the others, for its messages.
/** The schema of `gmp_project.yml` (what isPlainProjectFile stands in for). */
export const projectFileSchema = lazyZodSchema((z) => {
  const folderConfig = z.strictObject({ materialized: z.enum(['view', 'table', 'incremental', 'partitioned', 'ephemeral']) });
  return z.strictObject({
    name: z.string().optional(),
    version: z.union([z.string(), z.number()]).optional(),
    models: z.record(z.string(), folderConfig).optional(),
  });
});

export type ProjectFile = zod.infer<ReturnType<typeof projectFileSchema>>;

/**
 * `models/gmp_project.yml`: the default materialization per top-level folder (`models: {staging:
 * {materialized: view}}`); without the file the built-in defaults apply. Problems have file:line.
 */
export function loadProjectConfig(dir: string): { folderDefaults: Record<string, Materialization>; problems: string[] } {
  const full = path.join(dir, PROJECT_FILE);
  if (!existsSync(full)) return { folderDefaults: { ...DEFAULT_FOLDER_MATERIALIZATIONS }, problems: [] };
  const yaml = readYaml(PROJECT_FILE, readFileSync(full, 'utf8'));
  if (yaml.problems.length > 0) return { folderDefaults: { ...DEFAULT_FOLDER_MATERIALIZATIONS }, problems: yaml.problems };
  const value = yaml.value ?? {};
  const parsed = isPlainProjectFile(value) ? { success: true as const, data: value } : projectFileSchema().safeParse(value);
  if (!parsed.success) {
    return {
      folderDefaults: { ...DEFAULT_FOLDER_MATERIALIZATIONS },
      problems: parsed.error.issues.map((i) => `${formatLocation(PROJECT_FILE, yaml.lineOf(i.path))}: ${i.path.join('.')}: ${i.message}`),
    };
  }
  const folders = Object.fromEntries(Object.entries(parsed.data.models ?? {}).map(([folder, c]) => [folder, c.materialized]));
  return { folderDefaults: { ...DEFAULT_FOLDER_MATERIALIZATIONS, ...folders }, problems: [] };
}
