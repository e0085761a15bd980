import { describe, expect, it } from 'vitest';
import { fixedClock, manualClock, sleepOn } from './clock.js';

describe('manualClock', () => {
  it('wakes a sleep only once advanced past its end, earliest first, and tells when one is pending', async () => {
    const clock = manualClock('2025-06-30T02:59:59.300Z');
    const woke: string[] = [];
    const pending = clock.nextSleep();
    const long = clock.sleep(2_000).then(() => woke.push(`long at ${clock.now().toISOString()}`));
    const short = clock.sleep(700).then(() => woke.push(`short at ${clock.now().toISOString()}`));
    expect(await pending).toBe(2_000);
    expect(await clock.nextSleep()).toBe(700);
    clock.advance(699);
    expect(clock.sleeping).toBe(2);
    clock.advance(1);
    await short;
    expect(woke).toEqual(['short at 2025-06-30T03:00:00.000Z']);
    clock.advance(5_000);
    await long;
    expect(woke).toEqual(['short at 2025-06-30T03:00:00.000Z', 'long at 2025-06-30T03:00:05.000Z']);
    expect(clock.sleeping).toBe(0);
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });

  it('ends a sleep when its signal aborts, without moving time', async () => {
    const clock = manualClock('2025-01-01T00:00:00Z');
    const stop = new AbortController();
    const asleep = clock.sleep(60_000, stop.signal);
    expect(clock.sleeping).toBe(1);
    stop.abort();
    await asleep;
    expect(clock.sleeping).toBe(0);
    expect(clock.now().toISOString()).toBe('2025-01-01T00:00:00.000Z');
    await clock.sleep(1, stop.signal);
    expect(clock.sleeping).toBe(0);
  });
});

describe('sleepOn', () => {
  it("uses the clock's own sleep when it has one", async () => {
    const clock = manualClock('2025-01-01T00:00:00Z');
    const asleep = sleepOn(clock, 3_600_000);
    expect(await clock.nextSleep()).toBe(3_600_000);
    clock.advance(3_600_000);
    await asleep;
  });

  it('waits in real time on a clock without one, and returns at once on an aborted signal', async () => {
    const stop = new AbortController();
    const asleep = sleepOn(fixedClock('2025-01-01T00:00:00Z'), 3_600_000, stop.signal);
    stop.abort();
    await asleep;
    await sleepOn(fixedClock('2025-01-01T00:00:00Z'), 3_600_000, stop.signal);
  });
});
