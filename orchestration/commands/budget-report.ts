import { budgetStatus, type BudgetStatus } from '../budget/index.js';
import { openStateStore, stateExists, type Workspace } from './workspace.js';

/** Each source's request usage today and this month against its budget (creates nothing). */
export async function budgetReport(ws: Workspace): Promise<BudgetStatus[]> {
  if (!stateExists(ws)) {
    const limits = ws.config.rawg.budget;
    return [{ source: 'rawg', usage: { day: 0, month: 0 }, limits, remaining: Math.min(limits.perMonth, limits.perDay ?? Infinity) }];
  }
  const state = await openStateStore(ws);
  try {
    return await budgetStatus(ws, state);
  } finally {
    await state.close();
  }
}
