import type { Command } from 'commander';
import { registerAssets } from './assets.js';
import { registerBackfill } from './backfill.js';
import { registerBudget } from './budget.js';
import { registerCompile } from './compile.js';
import { registerDaemon } from './daemon.js';
import { registerDemo } from './demo.js';
import { registerDocs } from './docs.js';
import { registerLineage } from './lineage.js';
import { registerMaterialize } from './materialize.js';
import { registerPartitions } from './partitions.js';
import { registerQuery } from './query.js';
import { registerRuns } from './runs.js';
import { registerSandbox } from './sandbox.js';
import { registerServe } from './serve.js';
import { registerStatus } from './status.js';
import { registerTest } from './test.js';
import { registerWarehouse } from './warehouse.js';

export function registerCommands(program: Command): void {
  registerDemo(program);
  registerMaterialize(program);
  registerBackfill(program);
  registerAssets(program);
  registerRuns(program);
  registerPartitions(program);
  registerBudget(program);
  registerStatus(program);
  registerTest(program);
  registerQuery(program);
  registerCompile(program);
  registerWarehouse(program);
  registerLineage(program);
  registerDocs(program);
  registerServe(program);
  registerSandbox(program);
  registerDaemon(program);
}
