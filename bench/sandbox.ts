import { startSandbox } from '../sandbox/index.js';
import type { Benchmark } from './benchmark.js';
import { summarizeMs } from './summarize-ms.js';

const ROUNDS = 5;
const LATENCY_MS = 150;
const REQUESTS = 10;
const TARGET = { startMs: 3_000, latencyOverMs: 50, closeMs: 100 };

/**
 * The RAWG sandbox's own timings, which the tests assert only as behaviour: starting the default
 * 20,000-game catalogue, how exactly a latency fault holds responses (the time a /genres request
 * takes with 150 ms of latency: never less, and by how much more), and how long close() takes with
 * two hung requests.
 */
export const sandboxTimings: Benchmark = {
  name: 'sandbox',
  target:
    `startSandbox() (20,000 games) < ${TARGET.startMs} ms; with a ${LATENCY_MS} ms latency fault no response comes sooner and the median comes < ${TARGET.latencyOverMs} ms later; ` +
    `close() with 2 hung requests < ${TARGET.closeMs} ms (medians)`,
  async run() {
    const starts: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const t0 = performance.now();
      const s = await startSandbox({ asOf: '2026-11-21' });
      starts.push(performance.now() - t0);
      await s.close();
    }

    const s = await startSandbox({ asOf: '2026-11-21', games: 100 });
    const timeRequests = async (): Promise<number[]> => {
      const ms: number[] = [];
      for (let i = 0; i < REQUESTS; i++) {
        const t0 = performance.now();
        await (await fetch(`${s.url}/genres?key=k`)).arrayBuffer();
        ms.push(performance.now() - t0);
      }
      return ms;
    };
    const plain = summarizeMs(await timeRequests());
    s.faults.setLatency(LATENCY_MS);
    const delayed = summarizeMs(await timeRequests());
    await s.close();
    const overshoot = Math.round((delayed.median - LATENCY_MS) * 10) / 10;

    const closes: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const hanging = await startSandbox({ asOf: '2026-11-21', games: 100, faults: [{ type: 'hang', times: 2 }] });
      const pending = [1, 2].map(() => fetch(`${hanging.url}/games?key=k`).catch(() => undefined));
      // Both requests have reached the fault once the sandbox (in this process) counted them.
      while (hanging.stats().faultsInjected < 2) await new Promise((resolve) => setImmediate(resolve));
      const t0 = performance.now();
      await hanging.close();
      closes.push(performance.now() - t0);
      await Promise.all(pending);
    }

    const figures = {
      rounds: ROUNDS,
      start20kGamesMs: summarizeMs(starts),
      latency: { setMs: LATENCY_MS, requests: REQUESTS, withoutMs: plain, withMs: delayed, medianOvershootMs: overshoot },
      closeWithTwoHungRequestsMs: summarizeMs(closes),
    };
    const met =
      figures.start20kGamesMs.median < TARGET.startMs &&
      delayed.min >= LATENCY_MS &&
      overshoot < TARGET.latencyOverMs &&
      figures.closeWithTwoHungRequestsMs.median < TARGET.closeMs;
    return { name: this.name, figures, target: this.target, met };
  },
};
