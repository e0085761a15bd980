// The live-ops page: the collector's figures each second and the charts again whenever a run
// rebuilt the player marts, both over Server-Sent Events (EventSource reconnects by itself).
const status = document.getElementById('live-status');
const charts = document.getElementById('live-charts');
const grouped = (v: number) => v.toLocaleString('en-US');
const set = (name: string, text: string): void => {
  for (const el of document.querySelectorAll<HTMLElement>(`[data-live="${name}"]`)) el.textContent = text;
};

const source = new EventSource('/api/v1/live/stream');
source.addEventListener('open', () => {
  if (status) status.textContent = 'live';
});
source.addEventListener('error', () => {
  if (status) status.textContent = 'reconnecting…';
});
source.addEventListener('collector', (e) => {
  const s = JSON.parse((e as MessageEvent<string>).data) as null | {
    accepted: number; duplicates: number; failedByReason: Record<string, number>; walBacklogBytes: number; lastCommitAt: string | null; eventsPerSecond: number | null;
  };
  if (!s) return;
  if (s.eventsPerSecond !== null) set('eventsPerSecond', grouped(s.eventsPerSecond));
  set('accepted', grouped(s.accepted));
  set('failed', grouped(Object.values(s.failedByReason).reduce((a, b) => a + b, 0)));
  set('duplicates', grouped(s.duplicates));
  set('walBacklogBytes', `${grouped(Math.round(s.walBacklogBytes / 1024))} KB`);
  set('lastCommitAt', s.lastCommitAt ? `last commit ${s.lastCommitAt.slice(11, 19)} UTC` : 'no commit yet');
});
source.addEventListener('marts', () => {
  // A run rebuilt the player marts: the charts again, drawn by the server.
  void fetch('/live?fragment=charts', { headers: { accept: 'text/html' } })
    .then((r) => (r.ok ? r.text() : Promise.reject(new Error(String(r.status)))))
    .then((body) => {
      if (charts) charts.innerHTML = body;
      if (status) status.textContent = `live · charts updated ${new Date().toISOString().slice(11, 19)} UTC`;
    })
    .catch(() => undefined);
});
