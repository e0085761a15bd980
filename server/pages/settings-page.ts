import { html, raw } from 'hono/html';
import type { EffectiveSetting, ServerSettings } from '../../app/index.js';
import { when, type Html } from './layout.js';

interface Choice {
  value: string;
  label: string;
  means: string;
}

const REGISTRATION: readonly Choice[] = [
  { value: 'open', label: 'Open', means: 'anyone who reaches this server can create a viewer account on /register' },
  { value: 'closed', label: 'Closed', means: 'only admins add accounts (gmp users add, POST /api/v1/users)' },
];
const SQL_CONSOLE: readonly Choice[] = [
  { value: 'viewers', label: 'Everyone signed in', means: 'viewers, operators and admins' },
  { value: 'operators', label: 'Operators and admins', means: 'viewers see that it is not for them' },
  { value: 'off', label: 'Off', means: 'the page and POST /api/v1/sql refuse everyone' },
];

/** Where a value comes from, in words: who set it and when, the environment, or the default. */
function origin(setting: EffectiveSetting<string>, defaultWhy: string): string {
  if (setting.source === 'admin') return `set by ${setting.setBy ?? '?'} at ${when(setting.setAt)}`;
  if (setting.source === 'environment') return 'from GMP_SQL_CONSOLE';
  return `the default, ${defaultWhy}`;
}

function fallbackLabel(setting: EffectiveSetting<string>, choices: readonly Choice[], defaultWhy: string): string {
  const label = choices.find((c) => c.value === setting.fallback.value)?.label ?? setting.fallback.value;
  return `${label}, ${setting.fallback.source === 'environment' ? 'as GMP_SQL_CONSOLE says' : defaultWhy}`;
}

function switchFieldset(name: string, legend: string, setting: EffectiveSetting<string>, choices: readonly Choice[], defaultWhy: string, disabled: boolean): Html {
  const chosen = setting.source === 'admin' ? setting.value : '';
  const radio = (value: string, label: string, means: string) => html`<label class="inline choice">
      <input type="radio" name="${name}" value="${value}" ${chosen === value ? raw('checked') : ''} ${disabled ? raw('disabled') : ''} />
      <span><strong>${label}</strong> <span class="muted">— ${means}</span></span>
    </label>`;
  const current = choices.find((c) => c.value === setting.value)?.label ?? setting.value;
  return html`<fieldset class="stack" id="setting-${name}">
    <legend>${legend}</legend>
    <p class="in-force">In force: <strong data-value="${setting.value}">${current}</strong> <span class="muted">(${origin(setting, defaultWhy)})</span></p>
    ${radio('', 'Default', fallbackLabel(setting, choices, defaultWhy))}
    ${choices.map((c) => radio(c.value, c.label, c.means))}
  </fieldset>`;
}

/** The server's switches (admins): registration and SQL console access, each with where its value comes from. */
export function settingsPage(settings: ServerSettings, options: { readOnly: boolean; localMode: boolean }): Html {
  const registrationWhy = options.localMode ? 'as this server listens on loopback only' : 'as this server is reachable beyond loopback';
  return html`<h1>Settings</h1>
    <p class="muted">This server’s switches. A change applies to the next request; each one is written to the audit log (<code>GET /api/v1/audit</code>).</p>
    ${options.readOnly ? html`<p class="notice">This server is read-only (<code>--read-only</code>): its settings are shown, not changed.</p>` : ''}
    <form class="stack settings" id="settings">
      ${switchFieldset('registration', 'Registration', settings.registration, REGISTRATION, registrationWhy, options.readOnly)}
      ${switchFieldset('sqlConsole', 'SQL console', settings.sqlConsole, SQL_CONSOLE, 'as GMP_SQL_CONSOLE is unset', options.readOnly)}
      ${options.readOnly ? '' : html`<div><button type="submit">Save settings</button></div>`}
      <p class="error-text" id="settings-error" role="alert"></p>
    </form>`;
}
