/** One record of a landed object: the event as sent, and when the API received it (when it says). */
export type LandedRecord = { ok: true; raw: unknown; receivedAt: Date | undefined } | { ok: false; text: string };

/**
 * Splits a landed object's text into records. Firehose concatenates records as they came; the
 * API Gateway mapping ends each with a newline, so a line is one record. A line that is not one
 * JSON value is tried as JSON objects written back to back (`{…}{…}`, records without their
 * newline); whatever still does not parse is returned as `ok: false` with its text.
 * A record written by the API mapping is `{"received_at": <epoch ms>, "event": {…}}`; any other
 * JSON value is taken as the event itself, its arrival time unknown. Pure.
 */
export function parseLandedRecords(text: string): LandedRecord[] {
  const records: LandedRecord[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    const whole = tryParse(trimmed);
    if (whole.ok) {
      records.push(unwrap(whole.value));
      continue;
    }
    for (const piece of splitConcatenated(trimmed)) {
      const parsed = tryParse(piece);
      records.push(parsed.ok ? unwrap(parsed.value) : { ok: false, text: piece });
    }
  }
  return records;
}

function unwrap(value: unknown): LandedRecord {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const { received_at: at, event, ...rest } = value as Record<string, unknown>;
    const isWrapper = Object.keys(rest).length === 0 && event !== null && typeof event === 'object' && !Array.isArray(event) && (typeof at === 'number' || typeof at === 'string');
    if (isWrapper) {
      const receivedAt = new Date(at);
      return { ok: true, raw: event, receivedAt: Number.isNaN(receivedAt.getTime()) ? undefined : receivedAt };
    }
  }
  return { ok: true, raw: value, receivedAt: undefined };
}

function tryParse(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/**
 * Cuts a line at the end of every top-level JSON object or array (strings and escapes respected).
 * Text outside any object (or an object never closed) stays one piece, so it is reported whole.
 */
function splitConcatenated(line: string): string[] {
  const pieces: string[] = [];
  let depth = 0;
  let inString = false;
  let escaped = false;
  let start = 0;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') depth++;
    else if ((ch === '}' || ch === ']') && depth > 0) {
      depth--;
      if (depth === 0) {
        pieces.push(line.slice(start, i + 1).trim());
        start = i + 1;
      }
    }
  }
  const rest = line.slice(start).trim();
  if (rest !== '') pieces.push(rest);
  return pieces.filter((p) => p !== '');
}
