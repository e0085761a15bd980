// A separate process racing on one SQLite state file (run with `node --import tsx`): what two
// gmp processes do. Prints "ready", then, once its stdin ends, a JSON summary on stdout.
import { createSqliteStateStore } from '../../orchestration/index.js';

const [file, mode, countText, id] = process.argv.slice(2);
if (file === undefined || countText === undefined || id === undefined) {
  throw new Error('usage: state-store-worker.ts FILE charge|lock|open COUNT ID (prints "ready", starts when stdin ends)');
}
/** Says "ready" and waits until the test ends stdin (all workers are ready): what it wrote there. */
async function readyThenGo(): Promise<string> {
  process.stdout.write('ready\n');
  let input = '';
  process.stdin.setEncoding('utf8').on('data', (chunk: string) => (input += chunk));
  await new Promise((resolve) => process.stdin.once('end', resolve));
  return input;
}

if (mode === 'open') {
  // Opens COUNT new files `FILE-1`, `FILE-2`, … at the instants (epoch ms, one a line) written to
  // its stdin, spinning to each: with the other workers doing the same, the opens of each file
  // coincide to the millisecond, as when two daemons start at once.
  const instants = (await readyThenGo()).trim().split('\n').map(Number);
  for (let k = 1; k <= Number(countText); k++) {
    const at = instants[k - 1] ?? 0;
    while (Date.now() < at);
    const opened = createSqliteStateStore(`${file}-${k}`);
    await opened.ready;
    await opened.close();
  }
  process.stdout.write(JSON.stringify({ won: [] }));
  process.exit(0);
}
const store = createSqliteStateStore(file);
await store.ready;
// Start together with the other workers, so their statements really interleave.
await readyThenGo();
const count = Number(countText);
const NOW = '2024-05-01T00:00:00.000Z';
const won =
  mode === 'charge'
    ? await Promise.all(Array.from({ length: count }, () => store.chargeRequests('rawg', 1, NOW, { perDay: 20 })))
    : await Promise.all(Array.from({ length: count }, (_, i) => store.tryAcquireLock(`name-${i}`, `worker-${id}`, 60_000, NOW)));
await store.close();
process.stdout.write(JSON.stringify({ won: won.flatMap((w, i) => (w ? [i] : [])) }));
