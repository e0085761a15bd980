import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { nunjucksEngine } from './template-environment.js';
import { templateErrorMessage } from './template-error-message.js';

/** The project's macros, compiled once; `exports` binds them to one model's globals. */
export interface MacroLibrary {
  /** Macro files relative to the models folder, e.g. `macros/dates.sql`. */
  files: string[];
  /** A hash of the macro files' names and texts. */
  digest: string;
  /** The macros (name → callable) for nunjucks, seeing `globals` (`ref`, `var`, … of the model being rendered). */
  exports(globals: Record<string, unknown>): Record<string, unknown>;
}

// Public in nunjucks (it backs `{% import %}`) but missing from @types/nunjucks.
interface Exporting {
  getExported(context: object, callback: (error: unknown, exported: Record<string, unknown> | undefined) => void): void;
}

/**
 * Compiles every `<dir>/macros/*.sql` into one library (so macros call each other freely, as in
 * dbt); syntax errors are returned as `file:line` problems instead of thrown.
 */
export function loadMacros(dir: string): { library: MacroLibrary; problems: string[] } {
  const macrosDir = path.join(dir, 'macros');
  let names: string[];
  try {
    names = readdirSync(macrosDir).filter((n) => n.endsWith('.sql')).sort();
  } catch {
    names = [];
  }
  const sources = names.map((n) => ({ file: `macros/${n}`, text: readFileSync(path.join(macrosDir, n), 'utf8') }));
  const files = sources.map((s) => s.file);
  const hash = createHash('sha1');
  for (const s of sources) hash.update(`${s.file}\u0000${s.text}\u0000`);
  const digest = hash.digest('hex');
  const problems = syntaxProblems(sources);
  if (problems.length > 0 || sources.length === 0) return { library: { files, digest, exports: () => ({}) }, problems };
  let joined: Exporting | undefined;
  return {
    library: {
      files,
      digest,
      exports(globals) {
        const { nunjucks, environment } = nunjucksEngine();
        joined ??= new nunjucks.Template(sources.map((s) => s.text).join('\n'), environment, 'macros', true) as unknown as Exporting;
        let exported: Record<string, unknown> = {};
        let failure: unknown;
        // Synchronous: the environment has no async loaders, so the callback runs before return.
        joined.getExported(globals, (error, result) => {
          failure = error;
          exported = result ?? {};
        });
        if (failure) throw failure;
        return exported;
      },
    },
    problems,
  };
}

// Each file alone, so a syntax error names its own file and line, not the joined text's.
function syntaxProblems(sources: readonly { file: string; text: string }[]): string[] {
  const { nunjucks, environment } = nunjucksEngine();
  const problems: string[] = [];
  for (const s of sources) {
    try {
      new nunjucks.Template(s.text, environment, s.file, true);
    } catch (error) {
      problems.push(templateErrorMessage(s.file, error));
    }
  }
  return problems;
}
