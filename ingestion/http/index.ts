export { createHttpClient, parseRetryAfter } from './http-client.js';
export type { GetOptions, HttpClient, HttpClientOptions, JsonResponse } from './http-client.js';
export { createTokenBucket, sleep, systemMonotonicClock } from './token-bucket.js';
export type { MonotonicClock, TokenBucket } from './token-bucket.js';
