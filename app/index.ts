/**
 * The application layer: everything a user can do, one function each with a typed input and a
 * serializable result. The CLI and the HTTP server call only this and core/.
 */
export { DEMO_DAYS, DEMO_PLAYERS, planDemo, runDemo } from './demo.js';
export type { DemoPlayers, DemoResult } from './demo.js';
export { listAssets } from './list-assets.js';
export type { AssetSummary } from './list-assets.js';
export { listRuns } from './list-runs.js';
export type { RunWithSteps } from './list-runs.js';
export { assertCanIngest, materialize, planCallsApi, prepareRun } from './materialize.js';
export { describePartitions, newRunId } from './run-request.js';
export { executePrepared } from './execute-prepared.js';
export type { ExecuteOptions } from './execute-prepared.js';
export type { MaterializeRequest, PreparedRun, RunSummary, RunWarning } from './run-request.js';
export { summarizeRun } from './summarize-run.js';
export type { AssetRunSummary, CheckOutcome, CheckRunSummary, FailureGroup, RunDigest } from './summarize-run.js';
export { assertReachable } from './preflight.js';
export { openReader, queryWarehouse, readersPublication } from './query.js';
export type { QueryOptions as WarehouseQueryOptions } from './query.js';
export { modelsDirOf, openRunLogger, openStateStore, openWorkspace, shareStateStore, stateExists, workspaceWithVars } from './workspace.js';
export type { LoggedWarning, OpenWorkspaceOptions, Workspace } from './workspace.js';
export { compactPartitionRanges, formatHoursByDay, formatPartitionRanges, hoursByDay, partitionStatus } from './partition-status.js';
export type { HoursByDay, PartitionGrain, PartitionRange, PartitionState, PartitionStatusReport } from './partition-status.js';
export { showRun } from './show-run.js';
export type { RunDetail } from './show-run.js';
export { planMaterialize } from './plan-materialize.js';
export type { PlanReport } from './plan-materialize.js';
export { succeededPartitions } from './recorded-state.js';
export { budgetReport } from './budget-report.js';
export { DEFAULT_DEADLINE_HOURS, pipelineStatus } from './pipeline-status.js';
export type { AssetFreshness } from './pipeline-status.js';
export { planWarehouseSetup, runWarehouseSetup } from './warehouse-setup.js';
export { verifyLakeFiles } from './lake-verify.js';
export type { LakeVerifyInput, LakeVerifyReport } from './lake-verify.js';
export { repairLakePartition } from './lake-repair.js';
export type { LakeRepairInput, LakeRepairReport } from './lake-repair.js';
export type { LakeFileCheck } from '../lake/index.js';
export type { SetupOutcome, WarehouseSetupPlan } from './warehouse-setup.js';

export { backfillStatus, cancelBackfill, listBackfills, resumeBackfill, startBackfill } from './backfill/index.js';
export type { BackfillOutcome, BackfillRequest, BackfillRunOptions, BackfillStatusRange, BackfillStatusReport, ShownBackfill, ShownBackfillStatus } from './backfill/index.js';
export { allBudgets, assertFits, budgetStatus, planBudget } from './budget-gate.js';
export type { BudgetPlan, BudgetStatus } from './budget-gate.js';
export { runModelTests } from './run-model-tests.js';
export type { ModelTestReport, ModelTestRequest, TestOutcome } from './run-model-tests.js';
export { runTick } from './schedules/run-tick.js';
export type { TickContext, TickOutcome, TickStatus } from './schedules/run-tick.js';
export { runDaemon } from './schedules/run-daemon.js';
export type { DaemonEvent, DaemonOptions, DaemonSummary } from './schedules/run-daemon.js';
export { listSchedules } from './schedules/list-schedules.js';
export { daemonStatus } from './schedules/daemon-status.js';
export type { DaemonStatus } from './schedules/daemon-status.js';
export type { ScheduleSummary } from './schedules/list-schedules.js';
export * from './docs/index.js';

// The engine's vocabulary the faces need to read what the application layer returns.
export type {
  AssetEstimate,
  BackfillPartitionStatus,
  BackfillRecord,
  CheckResultRecord,
  MaterializationRecord,
  PlanAssetSummary,
  RequestEstimate,
  RunEventRecord,
  RunProgressEvent,
  RunRecord,
  RunStatus,
  Step,
  StepResult,
  WarehouseHolderInfo,
  WarehouseWaitNotice,
} from '../orchestration/index.js';

export { compileModels } from './compile-models.js';
export type { CompileRequest, CompiledModel } from './compile-models.js';
export { columnNodeId, lineageDiagram, queryLineage } from './lineage.js';
export type { ColumnLineageEntry, ColumnTrace, LineageAsset, LineageDirection, LineageQuery, LineageResult } from './lineage.js';
export { modelsDirFor } from './models-dir.js';
export { parseSandboxFaults, startRawgSandbox } from './sandbox.js';
export type { Sandbox, SandboxOptions } from './sandbox.js';
export { pageRuns } from './page-runs.js';
export type { RunRow, RunsPage, RunsQuery } from './page-runs.js';
export { getAsset, pageAssets } from './asset-queries.js';
export type { AssetsQuery } from './asset-queries.js';
export { EVENT_LEVELS, eventLevel, getRun, getRunStatus, pageRunEvents } from './run-queries.js';
export type { EventLevel, EventsQuery, RunWithStepRecords } from './run-queries.js';
export { launchRun, requestCancel } from './launch-run.js';
export type { LaunchedRun } from './launch-run.js';
export {
  ROLES, addUser, audit, authenticate, createToken, hasAdmin, hasRole, listAudit, listTokens, listUsers, login, logout, removeUser,
  requireRole, revokeToken, setRole,
} from './accounts.js';
export type { Principal, UserInfo } from './accounts.js';
export type { ApiTokenRecord, AuditRecord, Role } from '../orchestration/index.js';
export { assetOverview, pageCheckResults } from './asset-history.js';
export type { AssetOverview } from './asset-history.js';
export { NODE as GRAPH_NODE, assetGraphLayout, layoutGraph } from './graph-layout.js';
export type { GraphLayout, LaidOutAsset } from './graph-layout.js';
export * from './market/index.js';
export * from './ml/index.js';
export * from './players/index.js';
export * from './dashboards/index.js';
export { CONSOLE_EXPORT_TIMEOUT_MS, CONSOLE_MAX_ROWS, CONSOLE_TIMEOUT_MS, exportConsoleCsv, runConsoleQuery } from './sql-console.js';
export type { ConsoleResult } from './sql-console.js';

// People (issue 11): registration, profiles, one's own tokens, the server's switches.
export * from './people/index.js';

// Events (issue 12): the collector's accept path over its write-ahead log.
export * from './events/index.js';

// Operations (issue 12): the pipeline's figures for /metrics, and alerts.
export * from './metrics/index.js';
export * from './alerts/index.js';
