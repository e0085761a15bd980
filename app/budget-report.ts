import { allBudgets, type BudgetStatus } from './budget-gate.js';
import { openStateStore, stateExists, type Workspace } from './workspace.js';

/**
 * Each endpoint's request usage today and this month against the budget: the configured endpoint
 * first, then every other ledger with requests this month (the sandbox, test servers). Creates nothing.
 */
export async function budgetReport(ws: Workspace): Promise<BudgetStatus[]> {
  if (!stateExists(ws)) return allBudgets(ws, undefined);
  const state = await openStateStore(ws);
  try {
    return await allBudgets(ws, state);
  } finally {
    await state.close();
  }
}
