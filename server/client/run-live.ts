// The run page: a live tail of events over Server-Sent Events while the run runs, and its cancel button.
const status = document.querySelector<HTMLElement>('#run-status');
const runId = status?.dataset.runId;
const tbody = document.querySelector<HTMLTableSectionElement>('#events tbody');

if (runId && status?.dataset.status === 'running' && tbody && !location.search) {
  const last = [...tbody.querySelectorAll<HTMLTableRowElement>('tr[data-event-id]')].map((r) => Number(r.dataset.eventId)).filter(Number.isFinite);
  const after = last.length > 0 ? Math.max(...last) : 0;
  const source = new EventSource(`/api/v1/runs/${encodeURIComponent(runId)}/events/stream?after=${after}`);
  source.addEventListener('event', (message) => {
    const e = JSON.parse((message as MessageEvent<string>).data) as { id: number; ts: string; type: string; level: string; asset: string | null; partition: string | null; message: string | null };
    const row = document.createElement('tr');
    row.dataset.eventId = String(e.id);
    row.className = `level-${e.level}`;
    for (const text of [`${e.ts.slice(0, 10)} ${e.ts.slice(11, 19)}`, e.type, `${e.asset ?? ''}${e.partition ? `[${e.partition}]` : ''}`, e.message ?? '']) {
      const cell = document.createElement('td');
      cell.textContent = text;
      row.append(cell);
    }
    tbody.append(row);
  });
  source.addEventListener('end', () => {
    source.close();
    // The run is over: reload to show its final steps and status.
    location.reload();
  });
}

for (const button of document.querySelectorAll<HTMLButtonElement>('[data-action="cancel-run"]')) {
  button.addEventListener('click', () => {
    button.disabled = true;
    const out = document.querySelector<HTMLElement>('#cancel-result');
    void fetch(`/api/v1/runs/${encodeURIComponent(button.dataset.runId ?? '')}/cancel`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
      .then(async (res) => {
        const body = (await res.json()) as { message?: string; error?: { message: string } };
        if (out) out.textContent = body.message ?? body.error?.message ?? String(res.status);
      });
  });
}
