// The launch dialog: Preview asks the server for the plan and estimate; Launch starts it and goes to it.
const form = document.querySelector<HTMLFormElement>('#launch');
const out = document.querySelector<HTMLElement>('#preview');

interface Preview {
  steps: number;
  toRun: number;
  materialized: number;
  assets: { asset: string; kind: string; steps: number; from: string | null; to: string | null; materialized: number; toRun: number }[];
  budget?: { fits: boolean; ledgers: { endpoint: string; remaining: number; inUse: boolean }[]; estimate: { total: number; low: number; high: number; assets: { asset: string; requests: number; low: number; high: number; basis: { basis: string }[] }[] } };
}

function request(): { path: string; body: Record<string, unknown> } {
  const data = new FormData(form!);
  const text = (name: string) => String(data.get(name) ?? '').trim();
  const range = text('from') !== '' || text('to') !== '';
  const body: Record<string, unknown> = { select: text('select'), ...(range ? { from: text('from'), to: text('to') } : text('partition') ? { partition: text('partition') } : {}) };
  if (data.get('backfill')) {
    if (!range) body.from = body.to = text('partition');
    delete body.partition;
    return { path: '/api/v1/backfills', body };
  }
  return { path: '/api/v1/runs', body };
}

async function send(preview: boolean): Promise<void> {
  if (!form || !out) return;
  const { path, body } = request();
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...body, preview }) });
  const answer = (await res.json()) as Preview & { runId?: string; backfillId?: string; error?: { message: string; hint?: string } };
  if (!res.ok) {
    out.replaceChildren(element('p', 'error-text', `${answer.error?.message ?? res.status}${answer.error?.hint ? ` — ${answer.error.hint}` : ''}`));
    return;
  }
  if (!preview) {
    location.assign(answer.runId ? `/runs/${answer.runId}` : `/backfills/${answer.backfillId}`);
    return;
  }
  render(answer);
}

function element(tag: string, className: string, text: string): HTMLElement {
  const e = document.createElement(tag);
  e.className = className;
  e.textContent = text;
  return e;
}

function render(p: Preview): void {
  const table = document.createElement('table');
  table.className = 'data';
  table.innerHTML = '<thead><tr><th>Asset</th><th>Kind</th><th>Partitions</th><th class="num">Steps</th><th class="num">Up to date</th><th class="num">To run</th></tr></thead>';
  const tbody = document.createElement('tbody');
  for (const a of p.assets.filter((x) => x.kind !== 'check')) {
    const tr = document.createElement('tr');
    for (const [value, num] of [[a.asset, false], [a.kind, false], [a.from === null ? '-' : a.from === a.to ? a.from : `${a.from}..${a.to}`, false], [a.steps, true], [a.materialized, true], [a.toRun, true]] as const) {
      const td = element('td', num ? 'num' : '', String(value));
      tr.append(td);
    }
    tbody.append(tr);
  }
  table.append(tbody);
  const checks = p.assets.filter((x) => x.kind === 'check').length;
  const parts: HTMLElement[] = [element('h2', '', `Plan: ${p.steps} step${p.steps === 1 ? '' : 's'}, ${p.toRun} to run`), table];
  if (checks > 0) parts.push(element('p', 'muted', `+ ${checks} checks`));
  if (p.budget) {
    const ledger = p.budget.ledgers.find((l) => l.inUse);
    const e = p.budget.estimate;
    parts.push(element('p', p.budget.fits ? '' : 'error-text', `API requests: ~${e.total}${e.low === e.high ? '' : ` (likely ${e.low}–${e.high})`}${ledger ? ` of ${ledger.remaining} remaining at ${ledger.endpoint}` : ''}${p.budget.fits ? '' : ' — over budget'}`));
  }
  const go = element('button', '', 'Launch') as HTMLButtonElement;
  go.type = 'button';
  go.disabled = p.budget ? !p.budget.fits : false;
  go.addEventListener('click', () => {
    go.disabled = true;
    void send(false);
  });
  parts.push(go);
  out!.replaceChildren(...parts);
  go.focus();
}

form?.addEventListener('submit', (event) => {
  event.preventDefault();
  void send(true);
});
