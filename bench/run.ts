// Entry point (`npm run bench`, `tsx bench/run.ts [name ...] [--long]`): runs the named benchmarks (all by
// default) and prints ONE JSON document on stdout; progress and diagnostics go to stderr.
// A benchmark that throws is reported with `met: false` and its error, and the exit code is 1.
import type { Benchmark, BenchmarkResult } from './benchmark.js';
import { buildModels } from './build-models.js';
import { cliStartup } from './cli-startup.js';
import { collectorThroughput } from './collector-throughput.js';
import { compileProject } from './compile-project.js';
import { executorOverhead } from './executor-overhead.js';
import { ingestionThroughput } from './ingestion-throughput.js';
import { machineInfo } from './machine-info.js';
import { marketApi } from './market-api.js';
import { mlLifecycle } from './ml-lifecycle.js';
import { mlTraining } from './ml-training.js';
import { partitionPeakRss } from './partition-peak-rss.js';
import { partitionsStatus } from './partitions-status.js';
import { peersBuild, peersCompile, peersMaterialize } from './peers/index.js';
import { planWholeGraph } from './plan-whole-graph.js';
import { postgresWarehouse } from './postgres-warehouse.js';
import { progress } from './progress.js';
import { publishMarts } from './publish-marts.js';
import { servePages } from './serve-pages.js';
import { sandboxTimings } from './sandbox.js';
import { scheduleTicks } from './schedule-ticks.js';
import { serveRuns } from './serve-runs.js';
import { stateStoreBulk } from './state-store-bulk.js';

const BENCHMARKS: readonly Benchmark[] = [ingestionThroughput, sandboxTimings, partitionPeakRss, cliStartup, planWholeGraph, scheduleTicks, executorOverhead, partitionsStatus, compileProject, buildModels, publishMarts, postgresWarehouse, stateStoreBulk, serveRuns, servePages, marketApi, collectorThroughput, mlTraining, mlLifecycle, peersCompile, peersMaterialize, peersBuild];

// Options (`--long`) are read by the benchmarks that take them; the other arguments name benchmarks.
const names = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const unknown = names.filter((n) => !BENCHMARKS.some((b) => b.name === n));
if (unknown.length > 0) {
  process.stderr.write(`unknown benchmark: ${unknown.join(', ')}\navailable: ${BENCHMARKS.map((b) => b.name).join(', ')}\n`);
  process.exit(2);
}
const selected = names.length === 0 ? BENCHMARKS : BENCHMARKS.filter((b) => names.includes(b.name));

const benchmarks: (BenchmarkResult & { error?: string })[] = [];
let failed = false;
const t0 = performance.now();
for (const benchmark of selected) {
  progress(`${benchmark.name}: start`);
  const started = performance.now();
  try {
    const result = await benchmark.run();
    benchmarks.push(result);
    progress(`${benchmark.name}: ${result.met ? 'met' : 'MISSED'} its target (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  } catch (error) {
    failed = true;
    const message = error instanceof Error ? error.message : String(error);
    progress(`${benchmark.name}: FAILED: ${message}`);
    benchmarks.push({ name: benchmark.name, figures: {}, target: benchmark.target, met: false, error: message });
  }
}
progress(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
process.stdout.write(`${JSON.stringify({ machine: machineInfo(), benchmarks }, null, 2)}\n`);
process.exitCode = failed ? 1 : 0;
