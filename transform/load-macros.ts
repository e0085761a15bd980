import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseTemplate, runMacroLibrary, type TemplateAst } from './template/index.js';
import { nunjucksEngine } from './template-environment.js';
import { templateErrorMessage } from './template-error-message.js';

/** The project's macros, compiled once; `exports` binds them to one model's globals. */
export interface MacroLibrary {
  /** Macro files relative to the models folder, e.g. `macros/dates.sql`. */
  files: string[];
  /** A hash of the macro files' names and texts. */
  digest: string;
  /**
   * The names the macro files define for models (sorted), when that is all their top level does;
   * null when it does more, or when nunjucks renders them (not known).
   */
  names: readonly string[] | null;
  /** The macros (name → callable) for nunjucks, seeing `globals` (`ref`, `var`, … of the model being rendered). */
  exports(globals: Record<string, unknown>): Record<string, unknown>;
  /**
   * The same macros for the template engine of transform/template, seeing `globals` (objects, the
   * first holding a name wins) and adding the names they read from them to `read`; undefined when a
   * macro file needs nunjucks (then every model does).
   */
  engineExports: ((globals: readonly Readonly<Record<string, unknown>>[], read: Set<string>) => Record<string, unknown>) | undefined;
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
  const parsed = sources.map((s) => tryParse(s.text));
  // nunjucks compiles only what the engine did not parse: to name a syntax error's file and line,
  // or to find the file needs nunjucks.
  const problems = syntaxProblems(sources.filter((_, i) => parsed[i] === undefined));
  if (problems.length > 0 || sources.length === 0) return { library: { files, digest, names: [], exports: () => ({}), engineExports: () => ({}) }, problems };
  const asts = parsed.every((p) => p !== undefined) ? (parsed as TemplateAst[]) : undefined;
  let joined: Exporting | undefined;
  return {
    library: {
      files,
      digest,
      names: asts === undefined ? null : definedNames(asts),
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
      engineExports: asts === undefined ? undefined : (globals, read) => runMacroLibrary(asts, globals, read),
    },
    problems,
  };
}

function tryParse(text: string): TemplateAst | undefined {
  try {
    return parseTemplate(text);
  } catch {
    return undefined;
  }
}

/**
 * The names the files define at their top level (macros, and sets of literal values), but
 * `_private` ones; null when a top level does anything else (an output, a loop, a set of a
 * computed value): that runs for every model, so no model is independent of the macro files.
 */
function definedNames(asts: readonly TemplateAst[]): string[] | null {
  const out = new Set<string>();
  for (const ast of asts) {
    for (const s of ast.body) {
      if (s.k === 'macro') out.add(s.def.name);
      else if (s.k === 'set' && s.e.k === 'lit') for (const n of s.names) out.add(n);
      else if (s.k !== 'text') return null;
    }
  }
  return [...out].filter((n) => !n.startsWith('_')).sort();
}

// Each file alone, so a syntax error names its own file and line, not the joined text's.
function syntaxProblems(sources: readonly { file: string; text: string }[]): string[] {
  if (sources.length === 0) return [];
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
