// The asset page: its partition health bar, drawn on canvas from status ranges (never from keys).
interface Range {
  from: string;
  to: string;
  status: 'ok' | 'failed' | 'missing';
  count: number;
}
const COLORS = { ok: '#1a7f37', failed: '#cf222e', missing: '#d0d7de' } as const;

/** The last `count` partitions of the ranges, newest last. */
function tail(ranges: readonly Range[], count: number): Range[] {
  const out: Range[] = [];
  let left = count;
  for (let i = ranges.length - 1; i >= 0 && left > 0; i--) {
    const r = ranges[i]!;
    out.unshift({ ...r, count: Math.min(left, r.count) });
    left -= r.count;
  }
  return out;
}

function draw(canvas: HTMLCanvasElement, ranges: readonly Range[]): void {
  const total = ranges.reduce((n, r) => n + r.count, 0);
  const ctx = canvas.getContext('2d');
  if (!ctx || total === 0) return;
  let x = 0;
  for (const r of ranges) {
    const w = (r.count / total) * canvas.width;
    ctx.fillStyle = COLORS[r.status];
    // A failed or materialized partition stays visible however many share the bar.
    ctx.fillRect(x, 0, r.status === 'missing' ? w : Math.max(1, w), canvas.height);
    x += w;
  }
  const ok = ranges.filter((r) => r.status === 'ok').reduce((n, r) => n + r.count, 0);
  const failed = ranges.filter((r) => r.status === 'failed').reduce((n, r) => n + r.count, 0);
  canvas.title = `${ok} materialized, ${failed} failed, ${total - ok - failed} missing of ${total} partitions`;
}

const all = document.querySelector<HTMLCanvasElement>('#health');
if (all?.dataset.ranges) {
  const start = performance.now();
  const ranges = JSON.parse(all.dataset.ranges) as Range[];
  draw(all, ranges);
  const recent = document.querySelector<HTMLCanvasElement>('#health-recent');
  if (recent) draw(recent, tail(ranges, Number(recent.dataset.count ?? 90)));
  // Visible in the browser's performance timeline (and read by bench/serve-pages).
  performance.measure('gmp:health-bar', { start });
}
