export { createHttpClient, parseRetryAfter } from './http-client.js';
export type { GetOptions, HttpClient, HttpClientOptions, JsonResponse } from './http-client.js';
export { createTokenBucket, sleep } from './token-bucket.js';
export type { TokenBucket } from './token-bucket.js';
