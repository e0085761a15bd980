import { html } from 'hono/html';
import type { Html } from './layout.js';

/** Sign in: a plain form the island posts as JSON (it works by keyboard alone). */
export function loginPage(next: string, registrationOpen: boolean): Html {
  return html`<h1>Sign in</h1>
    <form class="stack" id="login" data-next="${next}">
      <label>User name <input name="name" autocomplete="username" required autofocus /></label>
      <label>Password <input name="password" type="password" autocomplete="current-password" required /></label>
      <button type="submit">Sign in</button>
      <p class="error-text" id="login-error" role="alert"></p>
    </form>
    ${registrationOpen ? html`<p class="muted">No account yet? <a href="/register">Create one</a></p>` : ''}`;
}
