import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { Principal } from '../../app/index.js';

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

const NAV = [
  ['/', 'Overview'],
  ['/explore', 'Explore'],
  ['/dashboards', 'Dashboards'],
  ['/live', 'Live'],
  ['/players', 'Players'],
  ['/models', 'Models'],
  ['/assets', 'Assets'],
  ['/graph', 'Graph'],
  ['/runs', 'Runs'],
  ['/backfills', 'Backfills'],
  ['/schedules', 'Schedules'],
  ['/launch', 'Launch'],
  ['/sql', 'SQL'],
  ['/api/docs', 'API'],
] as const;

/**
 * Every page's frame: a skip link, the navigation (the current page marked), a search box that
 * `/` focuses, who is signed in (and, in local mode, that anyone reaching the server is admin),
 * the page, and its islands. Scripts and styles come from this server only.
 */
export function layout(options: { title: string; principal?: Principal; active: string; body: Html; islands?: string[]; readOnly?: boolean }): Html {
  const who = options.principal;
  const badge =
    who === undefined
      ? ''
      : who.via === 'local'
        ? html`<a class="badge warn" href="/profile" title="No account exists: whoever reaches this server on loopback acts as its admin. Create the first account on /register, or with gmp users add NAME --role admin.">local admin (no accounts yet)</a>`
        : html`<a class="badge" href="/profile" title="Your profile">${who.displayName ?? who.name} · ${who.role}</a>
            <button type="button" class="link" data-action="sign-out">Sign out</button>`;
  return html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${options.title} · gmp</title>
    <link rel="stylesheet" href="/static/app.css" />
  </head>
  <body>
    <a class="skip" href="#main">Skip to content</a>
    <header class="top">
      <a class="brand" href="/">gmp</a>
      <nav aria-label="Main">
        ${NAV.map(([href, label]) => html`<a href="${href}" ${options.active === href ? raw('aria-current="page"') : ''}>${label}</a>`)}
      </nav>
      <form class="search" action="/assets" method="get" role="search">
        <label class="visually-hidden" for="q">Search assets</label>
        <input id="q" name="q" type="search" placeholder="Assets (/)" autocomplete="off" />
      </form>
      <div class="who">${options.readOnly ? html`<span class="badge">read-only</span>` : ''} ${badge}</div>
    </header>
    <main id="main" tabindex="-1">${options.body}</main>
    <script type="module" src="/static/common.js"></script>
    ${(options.islands ?? []).map((i) => html`<script type="module" src="/static/${i}.js"></script>`)}
  </body>
</html>`;
}

/** A status as a colored badge: ok, warn or bad, with its text (never color alone). */
export function statusBadge(status: string): Html {
  const tone = ['succeeded', 'ok', 'fresh', 'passed', 'pass'].includes(status)
    ? 'ok'
    : ['failed', 'errored', 'error', 'abandoned', 'interrupted', 'late'].includes(status)
      ? 'bad'
      : ['running', 'pending'].includes(status)
        ? 'info'
        : 'warn';
  return html`<span class="badge ${tone}">${status}</span>`;
}

/** `2026-12-03 09:23:14` (UTC), or `-`. */
export function when(iso: string | null | undefined): string {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 19)}` : '-';
}

export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** An asset's page: keys hold slashes, kept readable in the path. */
export function assetHref(key: string): string {
  return `/assets/${key.split('/').map(encodeURIComponent).join('/')}`;
}

/** A colour key: each item a swatch class of app.css (`s-ok`, `s-failed`, …) and its label. */
export function legend(items: readonly (readonly [swatch: string, label: string])[], extra?: Html | string): Html {
  return html`<div class="legend">${items.map(([swatch, label]) => html`<span><i class="swatch ${swatch}"></i>${label}</span>`)}${extra ?? ''}</div>`;
}
