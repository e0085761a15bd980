import { describe, expect, it } from 'vitest';
import { RecentIds } from './recent-ids.js';

describe('RecentIds', () => {
  it('remembers the last ids up to its capacity, the oldest falling out first', () => {
    const ids = new RecentIds(3);
    for (const id of ['a', 'b', 'c', 'd']) ids.add(id);
    expect(['a', 'b', 'c', 'd'].map((id) => ids.has(id))).toEqual([false, true, true, true]);
    expect(ids.size).toBe(3);
    ids.add('b'); // seen already: it keeps its place
    ids.add('e');
    expect(['b', 'c', 'd', 'e'].map((id) => ids.has(id))).toEqual([false, true, true, true]);
  });

  it('forgets a deleted id, and one added again stays for a whole window from then', () => {
    const ids = new RecentIds(3);
    for (const id of ['a', 'b', 'c']) ids.add(id);
    ids.delete('a');
    expect(ids.has('a')).toBe(false);
    expect(ids.size).toBe(2);
    ids.add('d'); // takes a's old slot
    ids.add('a'); // takes b's
    ids.add('e'); // takes c's
    expect(['a', 'b', 'c', 'd', 'e'].map((id) => ids.has(id))).toEqual([true, false, false, true, true]);
  });

  it('keeps a window of 200,000 by default across millions of ids', () => {
    const ids = new RecentIds();
    for (let i = 0; i < 1_000_000; i++) ids.add(`id-${i}`);
    expect(ids.size).toBe(200_000);
    expect(ids.has('id-799999')).toBe(false);
    expect(ids.has('id-800000')).toBe(true);
  });
});
