import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import nunjucks from 'nunjucks';
import { templateEnvironment } from './template-environment.js';
import { templateErrorMessage } from './template-error-message.js';

/** The project's macros, compiled once; `exports` binds them to one model's globals. */
export interface MacroLibrary {
  /** Macro files relative to the models folder, e.g. `macros/dates.sql`. */
  files: string[];
  /** The macros (name → callable) seeing `globals` (`ref`, `var`, … of the model being rendered). */
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
  const problems: string[] = [];
  // Each file alone first, so a syntax error names its own file and line, not the joined text's.
  for (const s of sources) {
    try {
      new nunjucks.Template(s.text, templateEnvironment, s.file, true);
    } catch (error) {
      problems.push(templateErrorMessage(s.file, error));
    }
  }
  const files = sources.map((s) => s.file);
  if (problems.length > 0 || sources.length === 0) return { library: { files, exports: () => ({}) }, problems };
  const joined = new nunjucks.Template(sources.map((s) => s.text).join('\n'), templateEnvironment, 'macros', true);
  return {
    library: {
      files,
      exports(globals) {
        let exported: Record<string, unknown> = {};
        let failure: unknown;
        // Synchronous: the environment has no async loaders, so the callback runs before return.
        (joined as unknown as Exporting).getExported(globals, (error, result) => {
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
