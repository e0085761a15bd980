/** POSTs one serialized RunEvent to `<url>/api/v1/lineage` (Bearer `apiKey` if any); throws on a non-2xx answer or the timeout. */
export async function postRunEvent(url: string, apiKey: string | undefined, body: string, timeoutMs: number): Promise<void> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (apiKey !== undefined) headers.authorization = `Bearer ${apiKey}`;
  const res = await fetch(`${url}/api/v1/lineage`, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
  // Drain the body so the connection is released.
  await res.arrayBuffer().catch(() => undefined);
  if (!res.ok) throw new Error(`the OpenLineage endpoint answered ${res.status}`);
}
