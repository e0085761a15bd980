/**
 * Page-number pagination as a pure strategy: given what page 1 said, which pages remain, and
 * whether a later answer ends the walk. The driver (`fetch-pages.ts`) does the IO.
 */
export interface PageNumberPaginator {
  type: 'page_number';
  pageSize: number;
  /** Stop after this many pages even if the API has more (large snapshot lists, budgets). */
  maxPages?: number;
  pageParam?: string;
  pageSizeParam?: string;
}

/** Highest page number worth requesting, from the first page's `count`. */
export function lastPlannedPage(paginator: PageNumberPaginator, count: number): number {
  const pages = Math.max(1, Math.ceil(count / paginator.pageSize));
  return paginator.maxPages === undefined ? pages : Math.min(pages, paginator.maxPages);
}

/** Query parameters for page `n`. */
export function pageParams(paginator: PageNumberPaginator, n: number): Record<string, number> {
  return { [paginator.pageParam ?? 'page']: n, [paginator.pageSizeParam ?? 'page_size']: paginator.pageSize };
}

/** RAWG answers `404 {"detail": "Invalid page."}` past the last page: the end of data, not a failure. */
export function isEndOfPages(status: number | undefined, page: number): boolean {
  return status === 404 && page > 1;
}
