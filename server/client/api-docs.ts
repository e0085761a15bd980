// The /api/docs island: each route's form sends its request and shows the answer.
for (const form of document.querySelectorAll<HTMLFormElement>('form.try')) {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void send(form);
  });
}

async function send(form: HTMLFormElement): Promise<void> {
  const out = form.parentElement?.querySelector<HTMLPreElement>('pre.result');
  let path = form.dataset.path ?? '/';
  const query = new URLSearchParams();
  for (const input of form.querySelectorAll<HTMLInputElement>('input')) {
    if (input.value === '') continue;
    if (input.dataset.in === 'path') path = path.replace(`{${input.name}}`, encodeURIComponent(input.value));
    else if (input.dataset.in === 'query') query.set(input.name, input.value);
  }
  const url = `${path}${query.size > 0 ? `?${query}` : ''}`;
  if (out) out.textContent = `${form.dataset.method} ${url} …`;
  const res = await fetch(url, { method: form.dataset.method ?? 'GET', headers: { accept: 'application/json' } });
  const text = await res.text();
  let shown = text;
  try {
    shown = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    // not JSON: show it as it came
  }
  if (out) out.textContent = `${res.status} ${res.statusText}\n${shown}`;
}
