// A separate process racing on one SQLite state file (run with `node --import tsx`): what two
// gmp processes do. Prints a JSON summary on stdout.
import { createSqliteStateStore } from '../../orchestration/index.js';

const [file, mode, countText, startAtText, id] = process.argv.slice(2);
if (file === undefined || countText === undefined || startAtText === undefined || id === undefined) {
  throw new Error('usage: state-store-worker.ts FILE charge|lock COUNT START_AT_MS ID');
}
const store = createSqliteStateStore(file);
await store.ready;
// Start together with the other workers, so their statements really interleave.
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAtText) - Date.now())));
const count = Number(countText);
const NOW = '2024-05-01T00:00:00.000Z';
const won =
  mode === 'charge'
    ? await Promise.all(Array.from({ length: count }, () => store.chargeRequests('rawg', 1, NOW, { perDay: 20 })))
    : await Promise.all(Array.from({ length: count }, (_, i) => store.tryAcquireLock(`name-${i}`, `worker-${id}`, 60_000, NOW)));
await store.close();
process.stdout.write(JSON.stringify({ won: won.flatMap((w, i) => (w ? [i] : [])) }));
