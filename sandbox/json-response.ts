import type { ApiResponse } from './api-response.js';

/** Serialises `body` as RAWG does: minified JSON, `application/json`, exact Content-Length. */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): ApiResponse {
  const buffer = Buffer.from(JSON.stringify(body));
  return { status, headers: { 'content-type': 'application/json', 'content-length': String(buffer.length), ...headers }, body: buffer };
}
