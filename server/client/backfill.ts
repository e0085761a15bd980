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
const DAY = 86_400_000;

const canvas = document.querySelector<HTMLCanvasElement>('#matrix');
if (canvas?.dataset.matrix) draw(canvas, JSON.parse(canvas.dataset.matrix) as Matrix);

function draw(canvas: HTMLCanvasElement, m: Matrix): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const label = 260;
  const row = 14;
  const start = Date.parse(m.from);
  const days = Math.max(1, Math.round((Date.parse(m.to) - start) / DAY) + 1);
  const width = canvas.width - label - 4;
  const x = (key: string | null) => label + (key === null ? 0 : ((Date.parse(key) - start) / DAY / days) * width);
  ctx.font = '11px ui-monospace, monospace';
  ctx.textBaseline = 'middle';
  m.rows.forEach((r, i) => {
    const y = 4 + i * row;
    ctx.fillStyle = getComputedStyle(canvas).color || '#1b1f24';
    ctx.fillText(r.asset.length > 38 ? `${r.asset.slice(0, 37)}…` : r.asset, 4, y + row / 2);
    for (const range of r.ranges) {
      ctx.fillStyle = COLORS[range.status] ?? '#999';
      const x0 = range.from === null ? label : x(range.from);
      const x1 = range.to === null ? label + width : x(range.to) + width / days;
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
