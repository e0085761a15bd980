import { createHttpClient, fetchPages, type GetOptions, type HttpClient, type JsonResponse } from '../ingestion/index.js';

export interface WalkOptions {
  baseUrl: string;
  /** The `updated` day whose games are listed, YYYY-MM-DD. */
  day: string;
  requestsPerSecond: number;
  concurrency: number;
}

export interface WalkResult {
  pages: number;
  records: number;
  /** Requests sent (retries would count too; the client is built with none). */
  requests: number;
  seconds: number;
  /** Client CPU time (user + system) of this process during the walk, in ms. */
  cpuMs: number;
  /** Each `getJson` call's duration, from the call to its result (bucket and slot waits included). */
  requestMs: number[];
}

const PAGE_SIZE = 40;

/**
 * Fetches every page of `/games?updated=D,D&ordering=-updated&page_size=40` with the project's
 * `createHttpClient` and `fetchPages` (no retries, so a failure is reported, not hidden); the page
 * handler only counts. Requests are timed by a pass-through wrapper around the real client.
 */
export async function walkGamesDay(options: WalkOptions): Promise<WalkResult> {
  const real = createHttpClient({
    baseUrl: options.baseUrl,
    apiKey: 'bench-key',
    timeoutMs: 30_000,
    maxRetries: 0,
    requestsPerSecond: options.requestsPerSecond,
    concurrency: options.concurrency,
  });
  const requestMs: number[] = [];
  const client: HttpClient = {
    async getJson<T>(path: string, params: Record<string, string | number>, opts?: GetOptions): Promise<JsonResponse<T>> {
      const t = performance.now();
      const response = await real.getJson<T>(path, params, opts);
      requestMs.push(performance.now() - t);
      return response;
    },
  };
  let records = 0;
  let requests = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const walk = await fetchPages({
    client,
    path: '/games',
    params: { updated: `${options.day},${options.day}`, ordering: '-updated' },
    paginator: { type: 'page_number', pageSize: PAGE_SIZE },
    concurrency: options.concurrency,
    onAttempt: () => {
      requests++;
    },
    onPage: async (page) => {
      records += page.results.length;
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { pages: walk.pages, records, requests, seconds, cpuMs: (cpu.user + cpu.system) / 1000, requestMs };
}
