import { BudgetError, ConfigError, requestLedger, type Clock, type Config, type Logger } from '../../core/index.js';
import { createHttpClient, type HttpClient } from '../../ingestion/index.js';
import type { StateStore } from '../state/index.js';

export interface SourceClientOptions {
  source: string;
  config: Config;
  /** Holds the request ledger: every request is charged before it is sent. */
  state: StateStore;
  clock: Clock;
  logger: Logger;
}

/** The state store's ledger key of a source's configured endpoint: `rawg@https://api.rawg.io/api`. */
export function ledgerKeyOf(source: string, config: Config): string {
  if (source !== 'rawg') throw new ConfigError(`no HTTP client is configured for source "${source}"`);
  return `${source}@${requestLedger(config.rawg)}`;
}

/** A ledger key split back into its source and endpoint (`sandbox`, or a base URL). */
export function parseLedgerKey(key: string): { source: string; endpoint: string } {
  const at = key.indexOf('@');
  return at < 0 ? { source: key, endpoint: '' } : { source: key.slice(0, at), endpoint: key.slice(at + 1) };
}

/**
 * The HTTP client of a source with its key, limits and request budget: a request that the ledger
 * of its endpoint refuses is never sent (BudgetError, not retried).
 */
export function createSourceClient(options: SourceClientOptions): HttpClient {
  const { source, config } = options;
  const ledger = ledgerKeyOf(source, config);
  const budget = config.rawg.budget;
  return createHttpClient({
    baseUrl: config.rawg.baseUrl,
    apiKey: config.rawg.apiKey,
    timeoutMs: config.rawg.timeoutMs,
    maxRetries: config.rawg.maxRetries,
    backoff: config.rawg.backoff,
    requestsPerSecond: config.rawg.requestsPerSecond,
    concurrency: config.rawg.concurrency,
    logger: options.logger.child({ source }),
    reserve: async () => {
      const at = options.clock.now().toISOString();
      if (!(await options.state.chargeRequests(ledger, 1, at, budget))) {
        throw budgetExhausted(ledger, await options.state.requestUsage(ledger, at), budget);
      }
    },
  });
}

function budgetExhausted(ledger: string, usage: { day: number; month: number }, budget: { perMonth: number; perDay?: number }): BudgetError {
  const { source, endpoint } = parseLedgerKey(ledger);
  const dayFull = budget.perDay !== undefined && usage.day >= budget.perDay;
  const what = dayFull ? `today's ${budget.perDay}` : `this month's ${budget.perMonth}`;
  return new BudgetError(`the ${source} request budget of ${endpoint} is spent: ${dayFull ? usage.day : usage.month} of ${what} requests used`, {
    context: { source, endpoint, usage, budget },
    hint: dayFull
      ? 'wait for the next UTC day or raise RAWG_BUDGET_PER_DAY'
      : 'wait for the next month (UTC) or raise RAWG_BUDGET_PER_MONTH if your RAWG plan allows more',
  });
}
