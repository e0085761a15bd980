// Child script of the compile-project benchmark: in a fresh process, loads the generated project
// with `loadProject` and compiles every model, then prints one JSON line of figures on stdout.
// `performance.now()` counts from this process's start, so `sinceProcessStartMs` includes Node's
// own start-up, the tsx loader and importing the project's modules.
// Input (argv[2], JSON): { dir }.
import { loadProject } from '../transform/index.js';
import { duckDbDialect } from '../warehouse/index.js';

const input = JSON.parse(process.argv[2] ?? '{}') as { dir: string };
const importedMs = performance.now();
const t0 = performance.now();
const project = loadProject({ dir: input.dir, dialect: duckDbDialect });
const loadMs = performance.now() - t0;
const t1 = performance.now();
let compiled = 0;
let sqlBytes = 0;
for (const node of project.nodes) {
  sqlBytes += project.compile(node.name, null).length;
  compiled++;
}
const compileMs = performance.now() - t1;
process.stdout.write(
  `${JSON.stringify({
    models: project.nodes.length,
    built: project.models.length,
    tests: project.tests.length,
    compiled,
    sqlBytes,
    importedMs,
    loadMs,
    compileMs,
    sinceProcessStartMs: performance.now(),
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  })}\n`,
);
