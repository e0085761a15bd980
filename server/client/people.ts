// The people pages' forms (/register, /profile, /settings): each posts JSON to the API and says
// what happened; a new token's secret is shown once, here, and never again.
interface Problem {
  error?: { message?: string; hint?: string };
}

const JSON_HEADERS = { 'content-type': 'application/json' };

/** The error body's message and hint, or the status when there is no body. */
async function problemText(res: Response): Promise<string> {
  const body = (await res.json().catch(() => null)) as Problem | null;
  return [body?.error?.message, body?.error?.hint].filter(Boolean).join(' — ') || `the server answered ${res.status}`;
}

function say(id: string, text: string): void {
  const el = document.getElementById(id);
  if (el) el.textContent = text;
}

/** Wires a form: on submit, `send` its data (buttons disabled meanwhile); a failure goes to `#<errorId>`. */
function onSubmit(form: HTMLFormElement | null, errorId: string, send: (data: FormData) => Promise<Response>, done: (res: Response) => Promise<void> | void): void {
  form?.addEventListener('submit', (event) => {
    event.preventDefault();
    const buttons = [...form.querySelectorAll<HTMLButtonElement>('button[type="submit"]')];
    for (const b of buttons) b.disabled = true;
    say(errorId, '');
    void send(new FormData(form))
      .then(async (res) => (res.ok ? done(res) : say(errorId, await problemText(res))))
      .catch(() => say(errorId, 'the server could not be reached'))
      .finally(() => {
        for (const b of buttons) b.disabled = false;
      });
  });
}

const text = (data: FormData, name: string): string => String(data.get(name) ?? '');

// Create an account, then land signed in on the new profile.
onSubmit(
  document.querySelector<HTMLFormElement>('form#register'),
  'register-error',
  (data) =>
    fetch('/api/v1/register', {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({ name: text(data, 'name').trim(), email: text(data, 'email'), password: text(data, 'password'), displayName: text(data, 'displayName') || null }),
    }),
  () => location.assign('/profile'),
);

// Display name and email.
onSubmit(
  document.querySelector<HTMLFormElement>('form#profile'),
  'profile-error',
  (data) => {
    const email = text(data, 'email').trim();
    return fetch('/api/v1/me', { method: 'PATCH', headers: JSON_HEADERS, body: JSON.stringify({ displayName: text(data, 'displayName'), ...(email ? { email } : {}) }) });
  },
  // The header and the title show the display name: reload to show the new one everywhere.
  () => location.reload(),
);

// Password: the other sessions end; this one stays.
const passwordForm = document.querySelector<HTMLFormElement>('form#password');
onSubmit(
  passwordForm,
  'password-error',
  (data) => {
    say('password-status', '');
    return fetch('/api/v1/me/password', { method: 'PUT', headers: JSON_HEADERS, body: JSON.stringify({ currentPassword: text(data, 'currentPassword'), newPassword: text(data, 'newPassword') }) });
  },
  async (res) => {
    const { sessionsEnded } = (await res.json()) as { sessionsEnded: number };
    passwordForm?.reset();
    say('password-status', `Password changed. ${sessionsEnded === 1 ? '1 other session was' : `${sessionsEnded} other sessions were`} signed out.`);
  },
);

function cell(content: string | Node, tag: 'td' = 'td'): HTMLTableCellElement {
  const td = document.createElement(tag);
  td.append(content);
  return td;
}

function badge(label: string, tone: string): HTMLElement {
  const span = document.createElement('span');
  span.className = `badge ${tone}`;
  span.textContent = label;
  return span;
}

const when = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;

// A new token: its secret shown once, its row added to the table.
const tokenForm = document.querySelector<HTMLFormElement>('form#new-token');
onSubmit(
  tokenForm,
  'token-error',
  (data) => fetch('/api/v1/me/tokens', { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ name: text(data, 'name').trim(), expiresInDays: Number(text(data, 'expiresInDays')) }) }),
  async (res) => {
    const created = (await res.json()) as { tokenId: string; token: string; expiresAt: string };
    const name = tokenForm ? text(new FormData(tokenForm), 'name').trim() : '';
    say('token-value', created.token);
    document.getElementById('token-secret')?.removeAttribute('hidden');
    const body = document.querySelector('#tokens tbody');
    body?.querySelector('tr.empty')?.remove();
    const row = document.createElement('tr');
    row.dataset.tokenId = created.tokenId;
    const id = document.createElement('code');
    id.textContent = created.tokenId;
    const revoke = document.createElement('button');
    Object.assign(revoke, { type: 'button', className: 'secondary', textContent: 'Revoke' });
    revoke.dataset.action = 'revoke-token';
    revoke.dataset.tokenId = created.tokenId;
    row.append(cell(name), cell(id), cell('just now'), cell(when(created.expiresAt)), cell('-'), cell(badge('active', 'ok')), cell(revoke));
    body?.append(row);
    tokenForm?.reset();
  },
);

// Revoke: one listener for the table, rows added later included.
document.querySelector('#tokens')?.addEventListener('click', (event) => {
  const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-action="revoke-token"]');
  if (!button) return;
  button.disabled = true;
  say('token-error', '');
  void fetch(`/api/v1/me/tokens/${encodeURIComponent(button.dataset.tokenId ?? '')}/revoke`, { method: 'POST', headers: JSON_HEADERS, body: '{}' })
    .then(async (res) => {
      if (!res.ok) {
        say('token-error', await problemText(res));
        button.disabled = false;
        return;
      }
      const row = button.closest('tr');
      row?.querySelector('.badge')?.replaceWith(badge('revoked', 'bad'));
      button.remove();
    })
    .catch(() => {
      say('token-error', 'the server could not be reached');
      button.disabled = false;
    });
});

// Server settings: each switch a value, or null for its default; the page then shows what is in force.
onSubmit(
  document.querySelector<HTMLFormElement>('form#settings'),
  'settings-error',
  (data) => {
    const choice = (name: string): string | null => text(data, name) || null;
    return fetch('/api/v1/settings', { method: 'PUT', headers: JSON_HEADERS, body: JSON.stringify({ registration: choice('registration'), sqlConsole: choice('sqlConsole') }) });
  },
  () => location.reload(),
);
