export { fetchPages } from './fetch-pages.js';
export type { FetchPagesOptions, FetchPagesResult, FetchedPage } from './fetch-pages.js';
export { PAGE_ENVELOPE, assertPageEnvelope } from './page-envelope.js';
export type { PageEnvelope } from './page-envelope.js';
export { isEndOfPages, lastPlannedPage, pageParams } from './page-number-paginator.js';
export type { PageNumberPaginator } from './page-number-paginator.js';
