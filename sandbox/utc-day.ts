/**
 * Calendar days as integers (days since 1970-01-01 UTC): the catalogue stores and compares days
 * as numbers and only formats strings for responses.
 */
const DAY_MS = 86_400_000;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses 'YYYY-MM-DD' to a day number, or returns undefined when it is not a real calendar date. */
export function parseDay(text: string): number | undefined {
  const match = ISO_DAY.exec(text);
  if (match === null) return undefined;
  const [, y, m, d] = match;
  const ms = Date.UTC(Number(y), Number(m) - 1, Number(d));
  const day = ms / DAY_MS;
  // Date.UTC rolls 2024-02-31 over into March; a round trip catches it.
  return formatDay(day) === text ? day : undefined;
}

/** Formats a day number as 'YYYY-MM-DD'. */
export function formatDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Formats seconds since the epoch as RAWG's timezone-less 'YYYY-MM-DDTHH:MM:SS'. */
export function formatTimestamp(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 19);
}

/** Today's day number in UTC. */
export function todayDay(): number {
  return Math.floor(Date.now() / DAY_MS);
}

/** The month (1-12) of a day number, by integer arithmetic only (the hot paths call it per game). */
export function monthOfDay(day: number): number {
  // Civil-from-days on a March-based year (H. Hinnant's algorithm): no Date object is built.
  const z = day + 719_468;
  const doe = z - Math.floor(z / 146_097) * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  return mp < 10 ? mp + 3 : mp - 9;
}
