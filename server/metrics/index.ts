export { httpMetrics } from './http-metrics.js';
export { commitLagSeconds, registerCollectorMetrics } from './collector-metrics.js';
export { registerPipelineMetrics } from './pipeline-metrics.js';
export { metricsResponse } from './metrics-response.js';
