import { HttpError } from '../../core/index.js';
import type { HttpClient } from '../http/index.js';
import { assertPageEnvelope, type PageEnvelope } from './page-envelope.js';
import { isEndOfPages, lastPlannedPage, pageParams, type PageNumberPaginator } from './page-number-paginator.js';

export interface FetchedPage {
  number: number;
  results: unknown[];
  count: number;
  /** Request URL without the key. */
  url: string;
}

export interface FetchPagesOptions {
  client: HttpClient;
  path: string;
  params: Record<string, string | number>;
  paginator: PageNumberPaginator;
  /** Pages requested at once once `count` is known (the client still caps global concurrency). */
  concurrency: number;
  signal?: AbortSignal;
  onAttempt?: () => void;
  /** Receives pages strictly in page order; awaited before the next page is delivered. */
  onPage: (page: FetchedPage) => Promise<void>;
}

export interface FetchPagesResult {
  pages: number;
  count: number;
  /** True when `maxPages` stopped the walk before the API's last page. */
  capped: boolean;
}

/**
 * Walks a page-number list: page 1 first, then the remaining pages fanned out `concurrency` at a
 * time but delivered in order, then any pages the API still announces through `next`. A 404 past
 * page 1 ends the walk. Throws HttpError for anything else the client could not recover.
 */
export async function fetchPages(options: FetchPagesOptions): Promise<FetchPagesResult> {
  const { paginator } = options;
  const controller = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;

  const get = async (n: number): Promise<{ envelope: PageEnvelope; url: string } | 'end'> => {
    try {
      const res = await options.client.getJson<PageEnvelope>(
        options.path,
        { ...options.params, ...pageParams(paginator, n) },
        { signal, onAttempt: options.onAttempt, validate: assertPageEnvelope },
      );
      return { envelope: res.body, url: res.url };
    } catch (error) {
      if (error instanceof HttpError && isEndOfPages(error.status, n)) return 'end';
      throw error;
    }
  };

  const first = await get(1);
  if (first === 'end') return { pages: 0, count: 0, capped: false };
  await deliver(options, 1, first.envelope, first.url);
  let delivered = 1;
  let hasNext = first.envelope.next !== null && first.envelope.results.length > 0;
  const count = first.envelope.count;
  const planned = lastPlannedPage(paginator, count);

  let stopped = false;
  try {
    // Fan out pages 2..planned: a slot freed by any page starts the next one at once (waiting for
    // the oldest page to be delivered left slots idle whenever a later page answered first), with
    // at most `window` pages fetched ahead of the one to deliver, so a slow onPage holds memory
    // to `window` pages.
    const inFlight = new Map<number, ReturnType<typeof get>>();
    const window = options.concurrency * 2;
    let running = 0;
    let nextToLaunch = 2;
    let nextToDeliver = 2;
    const launch = (): void => {
      while (!stopped && nextToLaunch <= planned && running < options.concurrency && nextToLaunch - nextToDeliver < window) {
        const p = get(nextToLaunch);
        running++;
        const settled = (): void => {
          running--;
          launch();
        };
        p.then(settled, settled); // also observes a rejection while the page waits its turn
        inFlight.set(nextToLaunch, p);
        nextToLaunch++;
      }
    };
    launch();
    while (nextToDeliver <= planned && hasNext) {
      const n = nextToDeliver;
      const pending = inFlight.get(n);
      if (pending === undefined) break;
      const page = await pending;
      inFlight.delete(n);
      if (page === 'end' || page.envelope.results.length === 0) {
        hasNext = false;
        break;
      }
      await deliver(options, n, page.envelope, page.url);
      delivered = n;
      hasNext = page.envelope.next !== null;
      nextToDeliver++;
      launch();
    }
    stopped = true;
    // The list may have grown since page 1: keep following `next` one page at a time.
    const cap = paginator.maxPages ?? Number.POSITIVE_INFINITY;
    while (hasNext && delivered < cap) {
      const n = delivered + 1;
      const page = await get(n);
      if (page === 'end' || page.envelope.results.length === 0) break;
      await deliver(options, n, page.envelope, page.url);
      delivered = n;
      hasNext = page.envelope.next !== null;
    }
    return { pages: delivered, count, capped: hasNext && delivered >= cap };
  } finally {
    stopped = true;
    controller.abort();
  }
}

async function deliver(options: FetchPagesOptions, n: number, envelope: PageEnvelope, url: string): Promise<void> {
  await options.onPage({ number: n, results: envelope.results, count: envelope.count, url });
}
