export { createStepLeases, stepLeaseName } from './step-leases.js';
export type { StepLeaseOptions, StepLeases } from './step-leases.js';
export { ownerId, ownerIsDeadLocally, processHome } from './process-identity.js';
