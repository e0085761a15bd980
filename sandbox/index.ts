export { startSandbox } from './start-sandbox.js';
export type { Sandbox, SandboxOptions, SandboxStats } from './start-sandbox.js';
export { parseFaultSpecs } from './parse-fault-specs.js';
export { faultSpecSchema } from './fault-spec.js';
export type { FaultSpec, QueuedFaultSpec } from './fault-spec.js';
export { FaultController } from './fault-controller.js';
export { Catalogue } from './catalogue.js';
export type { CatalogueOptions, GamesSelection, OrderField } from './catalogue.js';
