import { html, raw } from 'hono/html';
import type { ApiTokenRecord, Profile } from '../../app/index.js';
import { when, type Html } from './layout.js';

const ROLE_MEANS = { viewer: 'reads every page and keeps favorites', operator: 'also launches and cancels runs and backfills', admin: 'also manages accounts and the server’s settings' } as const;

/** The local admin's profile: there is no account yet, and how to make one. */
function localProfile(): Html {
  return html`<h1>Your profile</h1>
    <p class="notice">You act as the <strong>local admin</strong>: no account exists on this server yet, so whoever reaches it on
      loopback is its admin. There is no password or token to keep until an account exists.</p>
    <h2>Create the first account</h2>
    <p>On <a href="/register">Create an account</a> — the first account becomes the admin — or from a shell:</p>
    <pre><code>gmp users add NAME --role admin</code></pre>
    <p class="muted">From then on everyone signs in, and this server’s local admin mode ends.</p>
    <p><a href="/favorites">Your favorites</a> · <a href="/settings">Server settings</a></p>`;
}

function tokenStatus(token: ApiTokenRecord, now: string): Html {
  if (token.revokedAt !== null) return html`<span class="badge bad">revoked</span>`;
  if (token.expiresAt <= now) return html`<span class="badge warn">expired</span>`;
  return html`<span class="badge ok">active</span>`;
}

function tokensTable(tokens: readonly ApiTokenRecord[], now: string, canChange: boolean): Html {
  return html`<table class="data" id="tokens">
    <thead><tr><th>Name</th><th>Token id</th><th>Created</th><th>Expires</th><th>Last used</th><th>Status</th>${canChange ? html`<th><span class="visually-hidden">Actions</span></th>` : ''}</tr></thead>
    <tbody>
      ${tokens.length === 0 ? html`<tr class="empty"><td colspan="7" class="muted">No tokens yet.</td></tr>` : ''}
      ${tokens.map(
        (t) => html`<tr data-token-id="${t.tokenId}">
          <td>${t.name}</td><td><code>${t.tokenId}</code></td><td>${when(t.createdAt)}</td><td>${when(t.expiresAt)}</td><td>${when(t.lastUsedAt)}</td>
          <td>${tokenStatus(t, now)}</td>
          ${canChange ? html`<td>${t.revokedAt === null && t.expiresAt > now ? html`<button type="button" class="secondary" data-action="revoke-token" data-token-id="${t.tokenId}">Revoke</button>` : ''}</td>` : ''}
        </tr>`,
      )}
    </tbody>
  </table>`;
}

/**
 * Your account: who you are, your display name and email, your password, and your API tokens (a
 * new token's secret is shown once, by the island). The local admin gets how to create an account.
 */
export function profilePage(profile: Profile, tokens: readonly ApiTokenRecord[], options: { readOnly: boolean; now: string }): Html {
  if (profile.via === 'local') return localProfile();
  const canChange = !options.readOnly;
  return html`<h1>${profile.displayName ?? profile.name} <small>your profile</small></h1>
    <dl class="facts">
      <div><dt>User name</dt><dd><code>${profile.name}</code></dd></div>
      <div><dt>Role</dt><dd>${profile.role} <span class="muted">— ${ROLE_MEANS[profile.role]}</span></dd></div>
      <div><dt>Email</dt><dd id="profile-email">${profile.email ?? html`<span class="muted">none</span>`}</dd></div>
      <div><dt>Member since</dt><dd>${when(profile.createdAt)}</dd></div>
    </dl>
    <p><a href="/favorites">Your favorites</a>${profile.role === 'admin' ? html` · <a href="/settings">Server settings</a>` : ''}</p>
    ${options.readOnly ? html`<p class="notice">This server is read-only (<code>--read-only</code>): your profile, password and tokens cannot be changed here.</p>` : ''}
    ${canChange
      ? html`<section class="people-forms">
          <form class="stack" id="profile">
            <h2>Profile</h2>
            <label>Display name <input name="displayName" value="${profile.displayName ?? ''}" maxlength="100" autocomplete="name" aria-describedby="display-help" />
              <small id="display-help" class="hint">how pages show you; empty: by your user name</small></label>
            <label>Email <input name="email" type="email" value="${profile.email ?? ''}" maxlength="254" autocomplete="email" ${profile.email ? raw('required') : ''} /></label>
            <div><button type="submit">Save profile</button></div>
            <p class="error-text" id="profile-error" role="alert"></p>
          </form>
          <form class="stack" id="password">
            <h2>Password</h2>
            <label>Current password <input name="currentPassword" type="password" autocomplete="current-password" required /></label>
            <label>New password <input name="newPassword" type="password" autocomplete="new-password" required minlength="10" aria-describedby="new-password-help" />
              <small id="new-password-help" class="hint">at least 10 characters; your other sessions are signed out</small></label>
            <div><button type="submit">Change password</button></div>
            <p class="error-text" id="password-error" role="alert"></p>
            <p class="muted" id="password-status" role="status"></p>
          </form>
        </section>`
      : ''}
    <h2>API tokens</h2>
    <p class="muted">Scripts and BI tools send <code>Authorization: Bearer &lt;token&gt;</code>; a token acts as you, with your role, until it expires or you revoke it.</p>
    ${tokensTable(tokens, options.now, canChange)}
    ${canChange
      ? html`<form class="filters" id="new-token">
          <label>Token name <input name="name" required maxlength="100" placeholder="grafana" /></label>
          <label>Expires in days <input name="expiresInDays" type="number" min="1" max="3650" value="90" required /></label>
          <button type="submit">Create token</button>
        </form>
        <p class="error-text" id="token-error" role="alert"></p>
        <div class="notice secret" id="token-secret" hidden>
          <p><strong>Your new token</strong> — copy it now: it is not shown again.</p>
          <code id="token-value"></code>
        </div>`
      : ''}`;
}
