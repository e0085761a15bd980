// The sign-in form: posts the name and password as JSON, then goes where the user was headed.
const form = document.querySelector<HTMLFormElement>('#login');
form?.addEventListener('submit', (event) => {
  event.preventDefault();
  const data = new FormData(form);
  const error = document.querySelector<HTMLElement>('#login-error');
  void fetch('/api/v1/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: data.get('name'), password: data.get('password') }),
  }).then(async (res) => {
    if (res.ok) {
      const next = form.dataset.next ?? '/';
      location.assign(next.startsWith('/') && !next.startsWith('//') ? next : '/');
      return;
    }
    const body = (await res.json().catch(() => null)) as { error?: { message?: string; hint?: string } } | null;
    if (error) error.textContent = [body?.error?.message, body?.error?.hint].filter(Boolean).join(' — ') || `sign-in failed (${res.status})`;
  });
});
