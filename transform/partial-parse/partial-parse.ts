import { hash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { MacroLibrary } from '../load-macros.js';
import type { Materialization, ModelFile } from '../model.js';
import type { SchemaFiles } from '../project-files/index.js';
import type { RenderResult } from '../render-model.js';
import { compilerFingerprint } from './compiler-fingerprint.js';

/** What a load did with the partial-parse cache. */
export interface ParseReport {
  /** `off`: not asked for; `cold`: no cache yet; `warm`: a cache for these inputs; `rebuilt`: a cache unreadable, foreign or for other inputs, replaced. */
  cache: 'off' | 'cold' | 'warm' | 'rebuilt';
  /** Models rendered this time. */
  parsed: number;
  /** Models whose cached parse was still valid. */
  reused: number;
}

/** One model's parse as cached, with what it depended on beyond its own text. */
interface Entry {
  digest: string;
  folder: string;
  /** Its render; `names` as an index into the file's `nameLists` (models read the same few lists of names). */
  result: Pick<RenderResult, 'sql' | 'refs' | 'sources' | 'config'> & { names: number | null };
  /** What each `ref()` it called resolved to (null: unknown). */
  refs: Record<string, string | null>;
  /** What each `source()` it called resolved to, by `source\0table`. */
  sources: Record<string, string>;
  /** Whether it read a project macro (or may have: nunjucks rendered it, or the macros). */
  macros: boolean;
}

interface CacheFile {
  format: number;
  compiler: string;
  inputs: string;
  macros: { digest: string; names: string[] | null };
  schema: { digest: string; json: string } | null;
  /** The distinct lists of names the models read (RenderResult.names), each written once. */
  nameLists: string[][];
  models: Record<string, Entry>;
}

const FORMAT = 2;

export interface PartialParse {
  readonly report: ParseReport;
  /** The property files' parse: cached when their texts are unchanged, else `parse()`. */
  schemaFiles(texts: readonly { file: string; text: string }[], parse: () => SchemaFiles): SchemaFiles;
  /** The model's cached parse-pass render when nothing it depends on changed, else undefined. */
  reuse(file: ModelFile, folder: Materialization, resolve: Resolvers): RenderResult | undefined;
  /** Keeps a fresh render for next time (not when it read the environment or had problems). */
  record(file: ModelFile, folder: Materialization, result: RenderResult, resolve: Resolvers): void;
  /** Writes the cache when anything changed (atomically; a failure to write only loses the cache). */
  save(): void;
}

export interface Resolvers {
  relationOf(name: string): string | undefined;
  resolveSource(source: string, table: string): string;
}

/**
 * dbt's partial parsing for loadProject: the cache at `file` (JSON) keeps each model's parse keyed
 * by its file's content hash, the folder default it rendered with, and what its `ref()`s and
 * `source()`s resolved to; the whole cache by the compiler's fingerprint and `inputs` (dialect,
 * target, vars). A change to the macros invalidates the models that read a macro (or a name a
 * macro now defines). A missing, corrupt or foreign cache is ignored and rewritten, never an error.
 */
export function openPartialParse(file: string, inputs: Readonly<Record<string, unknown>>, macros: MacroLibrary): PartialParse {
  const inputsDigest = sha1(JSON.stringify(inputs));
  const compiler = compilerFingerprint();
  const { cached, cache } = readCache(file, compiler, inputsDigest);
  const macrosChanged = cached !== undefined && cached.macros.digest !== macros.digest;
  // The names the cached parses' macro files defined (null: unknown, or their top level did more).
  const oldMacroNames = cached !== undefined && isStringList(cached.macros.names) ? cached.macros.names : null;
  const next: CacheFile = { format: FORMAT, compiler, inputs: inputsDigest, macros: { digest: macros.digest, names: macros.names === null ? null : [...macros.names] }, schema: null, nameLists: [], models: Object.create(null) as Record<string, Entry> };
  const listIndex = new Map<string, number>();
  const intern = (names: string[] | null): number | null => {
    if (names === null) return null;
    const key = names.join('\u0000');
    let index = listIndex.get(key);
    if (index === undefined) {
      index = next.nameLists.push(names) - 1;
      listIndex.set(key, index);
    }
    return index;
  };
  const namesOf = (entry: Entry): string[] | null => (entry.result.names === null ? null : (cached?.nameLists[entry.result.names] ?? null));
  const report: ParseReport = { cache, parsed: 0, reused: 0 };
  let dirty = cache !== 'warm' || macrosChanged;

  // After a change to the macros, a model is parsed again when it read a macro, when a name it read
  // may now be a macro, or when what it read is unknown (nunjucks rendered it or the macros).
  const newMacroNames = macros.names === null ? null : new Set(macros.names);
  const readsChangedMacro = (entry: Entry): boolean => {
    if (!macrosChanged) return false;
    const names = namesOf(entry);
    if (entry.macros || newMacroNames === null || oldMacroNames === null || names === null) return true;
    return names.some((n) => newMacroNames.has(n));
  };

  return {
    report,
    schemaFiles(texts, parse) {
      const digest = sha1(texts.map((t) => `${t.file}\u0000${t.text}`).join('\u0000'));
      if (cached?.schema?.digest === digest) {
        next.schema = cached.schema;
        return JSON.parse(cached.schema.json) as SchemaFiles;
      }
      const parsed = parse();
      // Serialized now: loadProject goes on to add to the tests' `reads`.
      next.schema = { digest, json: JSON.stringify(parsed) };
      dirty = true;
      return parsed;
    },
    reuse(model, folder, resolve) {
      const entry = cached !== undefined && Object.hasOwn(cached.models, model.name) ? cached.models[model.name] : undefined;
      if (!isEntry(entry, cached?.nameLists.length ?? 0) || entry.digest !== modelDigest(model) || entry.folder !== folder || readsChangedMacro(entry)) return undefined;
      for (const [ref, relation] of Object.entries(entry.refs)) {
        if ((resolve.relationOf(ref) ?? null) !== relation) return undefined;
      }
      for (const [key, relation] of Object.entries(entry.sources)) {
        const [source, table] = key.split('\u0000') as [string, string];
        if (resolve.resolveSource(source, table) !== relation) return undefined;
      }
      const names = namesOf(entry);
      next.models[model.name] = { ...entry, result: { ...entry.result, names: intern(names) } };
      report.reused++;
      return { ...entry.result, names, problems: [], usedEnv: false };
    },
    record(model, folder, result, resolve) {
      report.parsed++;
      dirty = true;
      if (result.usedEnv || result.problems.length > 0 || !isPlainJson(result.config)) return;
      // Keyed by model names: objects without a prototype, which take any name and share no hidden class.
      const refs: Record<string, string | null> = Object.create(null) as Record<string, string | null>;
      for (const ref of result.refs) refs[ref] = resolve.relationOf(ref) ?? null;
      const sources: Record<string, string> = Object.create(null) as Record<string, string>;
      for (const s of result.sources) sources[`${s.source}\u0000${s.table}`] = resolve.resolveSource(s.source, s.table);
      const names = result.names;
      const macros = names === null || newMacroNames === null || names.some((n) => newMacroNames.has(n));
      const { sql, refs: refList, sources: sourceList, config } = result;
      next.models[model.name] = { digest: modelDigest(model), folder, result: { sql, refs: refList, sources: sourceList, config, names: intern(names) }, refs, sources, macros };
    },
    save() {
      const removed = cached !== undefined && Object.keys(cached.models).some((name) => !(name in next.models));
      if (!dirty && !removed) return;
      try {
        mkdirSync(path.dirname(file), { recursive: true });
        const tmp = `${file}.${process.pid}.tmp`;
        writeFileSync(tmp, JSON.stringify(next));
        renameSync(tmp, file);
      } catch {
        // A read-only or full disk costs the next load its head start, nothing else.
      }
    },
  };
}

function readCache(file: string, compiler: string, inputs: string): { cached: CacheFile | undefined; cache: ParseReport['cache'] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { cached: undefined, cache: 'cold' };
  }
  try {
    const parsed = JSON.parse(text) as Partial<CacheFile> | null;
    const valid =
      parsed !== null &&
      typeof parsed === 'object' &&
      parsed.format === FORMAT &&
      parsed.compiler === compiler &&
      parsed.inputs === inputs &&
      typeof parsed.macros?.digest === 'string' &&
      typeof parsed.models === 'object' &&
      parsed.models !== null &&
      Array.isArray(parsed.nameLists) &&
      parsed.nameLists.every(isStringList) &&
      (parsed.schema === null || (typeof parsed.schema?.digest === 'string' && typeof parsed.schema.json === 'string'));
    return valid ? { cached: parsed as CacheFile, cache: 'warm' } : { cached: undefined, cache: 'rebuilt' };
  } catch {
    return { cached: undefined, cache: 'rebuilt' };
  }
}

// Entries come from disk: anything not shaped as written is a miss.
function isEntry(e: unknown, nameLists: number): e is Entry {
  if (e === null || typeof e !== 'object') return false;
  const entry = e as Entry;
  const r = entry.result as Entry['result'] | undefined;
  return (
    typeof entry.digest === 'string' &&
    typeof entry.folder === 'string' &&
    typeof entry.macros === 'boolean' &&
    isRecord(entry.refs) &&
    isRecord(entry.sources) &&
    r !== null &&
    typeof r === 'object' &&
    typeof r.sql === 'string' &&
    Array.isArray(r.refs) &&
    r.refs.every((x) => typeof x === 'string') &&
    Array.isArray(r.sources) &&
    r.sources.every((s) => s !== null && typeof s === 'object' && typeof s.source === 'string' && typeof s.table === 'string') &&
    isRecord(r.config) &&
    (r.names === null || (Number.isInteger(r.names) && r.names >= 0 && r.names < nameLists))
  );
}

function isStringList(x: unknown): x is string[] {
  return Array.isArray(x) && x.every((n) => typeof n === 'string');
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/** Survives JSON unchanged: strings, finite numbers, booleans, null, and arrays and plain objects of them. */
function isPlainJson(value: unknown, depth = 0): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object' || depth > 8) return false;
  // Loops rather than every()/entries(): this runs on every model's config.
  if (Array.isArray(value)) {
    // As every(): a hole is skipped.
    for (let i = 0; i < value.length; i++) if (i in value && !isPlainJson(value[i], depth + 1)) return false;
    return true;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const k of Object.keys(value)) if (k === '__proto__' || !isPlainJson((value as Record<string, unknown>)[k], depth + 1)) return false;
  return true;
}

function modelDigest(model: ModelFile): string {
  return sha1(`${model.file}\u0000${model.template}`);
}

// crypto.hash: one call per digest, about twice as fast as createHash() on a model's text.
function sha1(text: string): string {
  return hash('sha1', text);
}
