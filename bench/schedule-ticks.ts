import { nextTick, ticksBetween } from '../orchestration/index.js';
import type { Benchmark } from './benchmark.js';
import { summarizeMs } from './summarize-ms.js';

const ROUNDS = 7;
const TARGET_MS = 200;
const FROM = new Date('2015-01-01T00:00Z');
const TO = new Date('2025-01-01T00:00Z');

/**
 * The daemon's schedule arithmetic on long spans: every tick of a daily schedule over a decade
 * (what a catch-up after long downtime walks) and the next tick of a schedule that fires once a
 * year (the longest search nextTick makes). The tests assert the ticks; this times them.
 */
export const scheduleTicks: Benchmark = {
  name: 'schedule-ticks',
  target: `ticksBetween over 10 years of a daily schedule (3,653 ticks) < ${TARGET_MS} ms (median)`,
  async run() {
    const decade: number[] = [];
    const yearly: number[] = [];
    let ticks = 0;
    for (let i = 0; i < ROUNDS; i++) {
      const t0 = performance.now();
      ticks = ticksBetween({ cron: '0 3 * * *' }, FROM, TO).length;
      decade.push(performance.now() - t0);
      const t1 = performance.now();
      nextTick({ cron: '0 0 31 12 *' }, new Date('2025-01-01T00:00Z'));
      yearly.push(performance.now() - t1);
    }
    if (ticks !== 3653) throw new Error(`ticksBetween found ${ticks} ticks in the decade, expected 3,653`);
    const figures = { rounds: ROUNDS, dailyDecadeTicks: ticks, dailyDecadeMs: summarizeMs(decade), yearlyNextTickMs: summarizeMs(yearly) };
    return { name: this.name, figures, target: this.target, met: figures.dailyDecadeMs.median < TARGET_MS };
  },
};
