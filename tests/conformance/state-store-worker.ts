// A separate process racing on one SQLite state file (run with `node --import tsx`): what two
// gmp processes do. Prints "ready", then, once its stdin ends, a JSON summary on stdout.
import { createSqliteStateStore } from '../../orchestration/index.js';

const [file, mode, countText, id] = process.argv.slice(2);
if (file === undefined || countText === undefined || id === undefined) {
  throw new Error('usage: state-store-worker.ts FILE charge|lock COUNT ID (prints "ready", starts when stdin ends)');
}
const store = createSqliteStateStore(file);
await store.ready;
// Start together with the other workers, so their statements really interleave: the test ends
// every worker's stdin once all of them are ready.
process.stdout.write('ready\n');
process.stdin.resume();
await new Promise((resolve) => process.stdin.once('end', resolve));
const count = Number(countText);
const NOW = '2024-05-01T00:00:00.000Z';
const won =
  mode === 'charge'
    ? await Promise.all(Array.from({ length: count }, () => store.chargeRequests('rawg', 1, NOW, { perDay: 20 })))
    : await Promise.all(Array.from({ length: count }, (_, i) => store.tryAcquireLock(`name-${i}`, `worker-${id}`, 60_000, NOW)));
await store.close();
process.stdout.write(JSON.stringify({ won: won.flatMap((w, i) => (w ? [i] : [])) }));
