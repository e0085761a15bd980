import { html } from 'hono/html';
import type { Html } from './layout.js';

/**
 * Create an account: a plain form the island posts as JSON; or, while registration is closed or
 * the server is read-only, why not. Says when the account about to be made becomes the admin.
 */
export function registerPage(options: { open: boolean; readOnly: boolean; firstAccount: boolean; signedInAs?: string }): Html {
  const intro = html`<h1>Create an account</h1>`;
  if (options.readOnly) return html`${intro}<p class="notice">This server is read-only (<code>--read-only</code>): no account can be created here.</p><p><a href="/login">Sign in</a></p>`;
  if (!options.open) {
    return html`${intro}<p class="notice">Registration is closed on this server. Ask an admin for an account.</p>
      <p>Have one already? <a href="/login">Sign in</a></p>`;
  }
  return html`${intro}
    ${options.firstAccount
      ? html`<p class="notice">No account exists yet: the first one becomes this server’s <strong>admin</strong>, and from then on everyone signs in.</p>`
      : html`<p class="muted">New accounts are viewers: they read every page and keep favorites. An admin can give more.</p>`}
    ${options.signedInAs ? html`<p class="muted">You are signed in as ${options.signedInAs}; creating an account signs you in as the new one.</p>` : ''}
    <form class="stack" id="register">
      <label>User name <input name="name" autocomplete="username" required minlength="2" maxlength="64" autocapitalize="none" spellcheck="false" aria-describedby="name-help" autofocus />
        <small id="name-help" class="hint">2-64 of a-z 0-9 . _ - starting with a letter; you sign in with it</small></label>
      <label>Email <input name="email" type="email" autocomplete="email" required maxlength="254" /></label>
      <label>Display name <input name="displayName" autocomplete="name" maxlength="100" aria-describedby="display-help" />
        <small id="display-help" class="hint">optional: how pages show you (your user name otherwise)</small></label>
      <label>Password <input name="password" type="password" autocomplete="new-password" required minlength="10" aria-describedby="password-help" />
        <small id="password-help" class="hint">at least 10 characters</small></label>
      <div><button type="submit">Create account</button></div>
      <p class="error-text" id="register-error" role="alert"></p>
    </form>
    <p class="muted">Have an account? <a href="/login">Sign in</a></p>`;
}
