import { pageUrl } from './page-url.js';

export interface PageRequest {
  page: number;
  pageSize: number;
}

export const MAX_PAGE_SIZE = 40;

/** Reads `page`/`page_size` (size clamped to 1..40); undefined means DRF's 404 "Invalid page." (non-numeric or < 1 page). */
export function readPageRequest(params: URLSearchParams, defaultSize: number): PageRequest | undefined {
  const rawPage = params.get('page');
  const page = rawPage === null || rawPage === '' ? 1 : /^\d+$/.test(rawPage) ? Number(rawPage) : 0;
  if (!Number.isSafeInteger(page) || page < 1) return undefined;
  const rawSize = params.get('page_size');
  const size = rawSize !== null && /^-?\d+$/.test(rawSize) ? Number(rawSize) : defaultSize;
  // /platforms defaults to 50, so its ceiling cannot be below its own default.
  return { page, pageSize: Math.max(1, Math.min(Math.max(MAX_PAGE_SIZE, defaultSize), size)) };
}

/** The page's [start, end) slice plus `next`/`previous`, or undefined when the page is past the end. */
export function paginate(
  count: number,
  request: PageRequest,
  base: string,
  params: URLSearchParams,
): { start: number; end: number; next: string | null; previous: string | null } | undefined {
  const { page, pageSize } = request;
  const lastPage = Math.max(1, Math.ceil(count / pageSize));
  if (page > lastPage) return undefined;
  const start = (page - 1) * pageSize;
  return {
    start,
    end: Math.min(count, start + pageSize),
    next: page < lastPage ? pageUrl(base, params, page + 1) : null,
    previous: page === 1 ? null : pageUrl(base, params, page === 2 ? null : page - 1),
  };
}
