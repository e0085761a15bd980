export { allBudgets, assertFits, budgetStatus, planBudget } from './budget-gate.js';
export type { BudgetPlan, BudgetStatus } from './budget-gate.js';
export { estimateRequests } from './estimate-requests.js';
export type { AssetEstimate, CommittedCount, EstimateBasis, EstimateInputs, RequestEstimate } from './estimate-requests.js';
