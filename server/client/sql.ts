// The SQL console: runs the query through POST /api/v1/sql, Cancel aborts it (the server interrupts it).
const box = document.querySelector<HTMLTextAreaElement>('#sql');
const run = document.querySelector<HTMLButtonElement>('#run-sql');
const cancel = document.querySelector<HTMLButtonElement>('#cancel-sql');
const status = document.querySelector<HTMLElement>('#sql-status');
const out = document.querySelector<HTMLElement>('#sql-result');
let inFlight: AbortController | null = null;

function cell(tag: 'th' | 'td', text: string): HTMLElement {
  const el = document.createElement(tag);
  el.textContent = text;
  return el;
}

async function execute(): Promise<void> {
  if (!box || !run || !cancel || !status || !out || inFlight) return;
  inFlight = new AbortController();
  run.disabled = true;
  cancel.disabled = false;
  status.textContent = 'Running…';
  out.replaceChildren();
  try {
    const res = await fetch('/api/v1/sql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sql: box.value }), signal: inFlight.signal });
    const body = (await res.json()) as { columns?: string[]; rows?: Record<string, unknown>[]; limitReached?: boolean; elapsedMs?: number; error?: { message: string; hint?: string } };
    if (!res.ok || body.error) {
      status.textContent = '';
      const p = document.createElement('p');
      p.className = 'notice bad';
      p.id = 'sql-error';
      p.textContent = `${body.error?.message ?? res.status}${body.error?.hint ? ` — ${body.error.hint}` : ''}`;
      out.append(p);
      return;
    }
    const rows = body.rows ?? [];
    status.textContent = `${rows.length} row${rows.length === 1 ? '' : 's'} in ${body.elapsedMs ?? 0} ms${body.limitReached ? ' — limit reached: 2,000 rows shown' : ''}`;
    const table = document.createElement('table');
    table.className = 'data';
    const head = document.createElement('tr');
    for (const c of body.columns ?? []) head.append(cell('th', c));
    table.createTHead().append(head);
    const tbody = table.createTBody();
    for (const r of rows) {
      const tr = document.createElement('tr');
      for (const c of body.columns ?? []) tr.append(cell('td', r[c] === null || r[c] === undefined ? '' : typeof r[c] === 'object' ? JSON.stringify(r[c]) : String(r[c])));
      tbody.append(tr);
    }
    out.append(table);
  } catch (error) {
    status.textContent = (error as Error).name === 'AbortError' ? 'Canceled.' : `Failed: ${(error as Error).message}`;
  } finally {
    inFlight = null;
    run.disabled = false;
    cancel.disabled = true;
  }
}

/** Every row as a file: POST /api/v1/sql.csv (JSON, as every change-capable request here), saved as query.csv. */
async function download(): Promise<void> {
  const button = document.querySelector<HTMLButtonElement>('#csv-sql');
  if (!box || !status || !out || !button || inFlight) return;
  inFlight = new AbortController();
  button.disabled = true;
  if (cancel) cancel.disabled = false;
  status.textContent = 'Exporting…';
  try {
    const res = await fetch('/api/v1/sql.csv', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sql: box.value }), signal: inFlight.signal });
    if (!res.ok) {
      const body = (await res.json().catch(() => null)) as { error?: { message: string; hint?: string } } | null;
      status.textContent = `${body?.error?.message ?? res.status}${body?.error?.hint ? ` — ${body.error.hint}` : ''}`;
      return;
    }
    const blob = await res.blob();
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = 'query.csv';
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
    status.textContent = `CSV downloaded (${blob.size.toLocaleString()} bytes).`;
  } catch (error) {
    status.textContent = (error as Error).name === 'AbortError' ? 'Canceled.' : `Failed: ${(error as Error).message}`;
  } finally {
    inFlight = null;
    button.disabled = false;
    if (cancel) cancel.disabled = true;
  }
}

run?.addEventListener('click', () => void execute());
document.querySelector('#csv-sql')?.addEventListener('click', () => void download());
cancel?.addEventListener('click', () => inFlight?.abort());
box?.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    void execute();
  }
});
