// The backfill page: draws the partition matrix from status ranges, and its Resume / Cancel buttons.
interface Range {
  from: string | null;
  to: string | null;
  status: string;
  count: number;
}
interface Matrix {
  from: string;
  to: string;
  rows: { asset: string; ranges: Range[] }[];
}

const COLORS: Record<string, string> = { succeeded: '#1a7f37', skipped: '#8fd19e', failed: '#cf222e', running: '#0b5fff', pending: '#d0d7de', canceled: '#9aa4af' };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// Keys are UTC days `YYYY-MM-DD` or UTC hours `YYYY-MM-DDTHH` (hourly assets): each a time window.
function windowOf(key: string): [number, number] {
  const hour = /^\d{4}-\d{2}-\d{2}T\d{2}$/.test(key);
  const start = Date.parse(hour ? `${key}:00:00Z` : `${key}T00:00:00Z`);
  return [start, start + (hour ? HOUR : DAY)];
}

const canvas = document.querySelector<HTMLCanvasElement>('#matrix');
if (canvas?.dataset.matrix) draw(canvas, JSON.parse(canvas.dataset.matrix) as Matrix);

function draw(canvas: HTMLCanvasElement, m: Matrix): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const label = 260;
  const row = 14;
  // The matrix spans the backfill's window; a daily row's cell is a day wide, an hourly row's an hour.
  const start = windowOf(m.from)[0];
  const span = Math.max(HOUR, windowOf(m.to)[1] - start);
  const width = canvas.width - label - 4;
  const x = (at: number) => label + ((at - start) / span) * width;
  ctx.font = '11px ui-monospace, monospace';
  ctx.textBaseline = 'middle';
  m.rows.forEach((r, i) => {
    const y = 4 + i * row;
    ctx.fillStyle = getComputedStyle(canvas).color || '#1b1f24';
    ctx.fillText(r.asset.length > 38 ? `${r.asset.slice(0, 37)}…` : r.asset, 4, y + row / 2);
    for (const range of r.ranges) {
      ctx.fillStyle = COLORS[range.status] ?? '#999';
      const x0 = range.from === null ? label : x(windowOf(range.from)[0]);
      const x1 = range.to === null ? label + width : x(windowOf(range.to)[1]);
      ctx.fillRect(x0, y + 1, Math.max(1, x1 - x0), row - 2);
    }
  });
}

for (const button of document.querySelectorAll<HTMLButtonElement>('[data-action="resume-backfill"], [data-action="cancel-backfill"]')) {
  button.addEventListener('click', () => {
    button.disabled = true;
    const action = button.dataset.action === 'resume-backfill' ? 'resume' : 'cancel';
    const out = document.querySelector<HTMLElement>('#backfill-result');
    void fetch(`/api/v1/backfills/${encodeURIComponent(button.dataset.id ?? '')}/${action}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).then(async (res) => {
      if (res.ok) {
        location.reload();
        return;
      }
      const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
      if (out) out.textContent = body?.error?.message ?? `failed (${res.status})`;
      button.disabled = false;
    });
  });
}

// While it runs, refresh now and then so the matrix follows it.
if (document.querySelector('#backfill-status')?.getAttribute('data-status') === 'running') {
  setInterval(() => location.reload(), 3000);
}
