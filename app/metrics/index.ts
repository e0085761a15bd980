export { pipelineSnapshot, SNAPSHOT_STEP_LIMIT } from './pipeline-snapshot.js';
export type { PipelineSnapshot } from './pipeline-snapshot.js';
