import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../core/index.js';
import type { Benchmark, BenchmarkResult } from './benchmark.js';
import { ensureBuild } from './ensure-build.js';
import { progress } from './progress.js';
import { summarizeMs } from './summarize-ms.js';
import { tsxNodeArgs } from './tsx-node-args.js';
import { writeSyntheticProject } from './write-synthetic-project.js';

/** What bench/compile-project-child.ts (and the dist script below) print. */
interface ChildFigures {
  models: number;
  built: number;
  tests: number;
  compiled: number;
  sqlBytes: number;
  importedMs: number;
  loadMs: number;
  compileMs: number;
  sinceProcessStartMs: number;
  maxRssMb: number;
}

const SIZES = [
  { models: 1_000, targetSeconds: 1, runs: 3 },
  { models: 10_000, targetSeconds: 5, runs: 2 },
] as const;

/**
 * The child for the compiled build (what `gmp compile` runs): the same steps as
 * bench/compile-project-child.ts, importing dist/ with no TypeScript loader. argv[1] is the input.
 */
const DIST_CHILD = (root: string): string => `
const { loadProject } = await import(${JSON.stringify(pathToFileURL(path.join(root, 'dist', 'transform', 'index.js')).href)});
const { duckDbDialect } = await import(${JSON.stringify(pathToFileURL(path.join(root, 'dist', 'warehouse', 'index.js')).href)});
const input = JSON.parse(process.argv[1]);
const importedMs = performance.now();
const t0 = performance.now();
const project = loadProject({ dir: input.dir, dialect: duckDbDialect });
const loadMs = performance.now() - t0;
const t1 = performance.now();
let compiled = 0;
let sqlBytes = 0;
for (const node of project.nodes) { sqlBytes += project.compile(node.name, null).length; compiled++; }
const compileMs = performance.now() - t1;
process.stdout.write(JSON.stringify({ models: project.nodes.length, built: project.models.length, tests: project.tests.length, compiled, sqlBytes,
  importedMs, loadMs, compileMs, sinceProcessStartMs: performance.now(), maxRssMb: process.resourceUsage().maxRSS / 1024 }) + '\\n');
`;

const TARGET = 'cold compile (fresh process: start, load, compile every model) of a generated 1,000-model project < 1 s and 10,000-model project < 5 s (compiled dist/ build)';

/**
 * Generates a dbt-style project (bench/write-synthetic-project.ts) of 1,000 and of 10,000 models
 * and, in fresh child processes, runs `loadProject` then `project.compile(name, null)` for every
 * model. Wall time is spawn to exit, measured here; the child reports import, load and compile
 * times. Two ways to run: `dist` (compiled JS, as `gmp compile` runs; judged against the target)
 * and `tsx` (`node --import tsx`, TypeScript transpiled on load; reported for comparison).
 */
export const compileProject: Benchmark = {
  name: 'compile-project',
  target: TARGET,
  async run(): Promise<BenchmarkResult> {
    ensureBuild();
    const root = packageRoot();
    const results = [];
    for (const size of SIZES) {
      const dir = mkdtempSync(path.join(tmpdir(), 'gmp-bench-compile-'));
      try {
        const generated = writeSyntheticProject(dir, size.models);
        const input = JSON.stringify({ dir });
        const variants = {
          dist: ['--input-type=module', '-e', DIST_CHILD(root), input],
          tsx: [...tsxNodeArgs('./compile-project-child.ts'), input],
        };
        const byVariant: Record<string, unknown> = {};
        let distMedianSeconds = Infinity;
        let counted: ChildFigures | undefined;
        for (const [variant, args] of Object.entries(variants)) {
          const runs: { wallMs: number; child: ChildFigures }[] = [];
          for (let i = 0; i < size.runs; i++) {
            progress(`compile-project: ${size.models} models, ${variant}, cold run ${i + 1}/${size.runs}`);
            runs.push(await timeChild(args, root));
          }
          counted = runs[runs.length - 1]!.child;
          if (counted.compiled !== size.models) throw new Error(`compiled ${counted.compiled} of ${size.models} models`);
          const wall = summarizeMs(runs.map((r) => r.wallMs));
          const seconds = wall.median / 1000;
          if (variant === 'dist') distMedianSeconds = seconds;
          byVariant[variant] = {
            runs: size.runs,
            wallMs: wall,
            seconds: round3(seconds),
            modelsPerSecond: Math.round(size.models / seconds),
            medianChildMs: {
              nodeStartAndImports: round1(median(runs.map((r) => r.child.importedMs))),
              loadProject: round1(median(runs.map((r) => r.child.loadMs))),
              compileEveryModel: round1(median(runs.map((r) => r.child.compileMs))),
              sinceProcessStart: round1(median(runs.map((r) => r.child.sinceProcessStartMs))),
            },
            inProcessLoadAndCompileSeconds: round3(median(runs.map((r) => r.child.loadMs + r.child.compileMs)) / 1000),
            maxRssMb: round1(Math.max(...runs.map((r) => r.child.maxRssMb))),
          };
        }
        results.push({
          models: size.models,
          project: { ...generated, builtModels: counted?.built, dataTests: counted?.tests, compiledSqlBytes: counted?.sqlBytes },
          targetSeconds: size.targetSeconds,
          seconds: round3(distMedianSeconds),
          modelsPerSecond: Math.round(size.models / distMedianSeconds),
          met: distMedianSeconds < size.targetSeconds,
          ...byVariant,
        });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    return {
      name: 'compile-project',
      figures: { sizes: results, judged: 'dist median wall time (spawn to exit)' },
      target: TARGET,
      met: results.every((r) => r.met),
    };
  },
};

/** Spawns `node ...args` and times it from spawn to exit; parses the JSON line it prints. */
async function timeChild(args: readonly string[], cwd: string): Promise<{ wallMs: number; child: ChildFigures }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    stdout += chunk;
  });
  const [code] = (await once(child, 'close')) as [number | null];
  const wallMs = performance.now() - t0;
  const last = stdout.trim().split('\n').pop() ?? '';
  if (code !== 0 || !last.startsWith('{')) throw new Error(`compile child failed (code ${String(code)}): ${stdout.slice(-500)}`);
  return { wallMs, child: JSON.parse(last) as ChildFigures };
}

function median(xs: readonly number[]): number {
  return summarizeMs(xs).median;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
