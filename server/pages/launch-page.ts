import { html } from 'hono/html';
import type { Html } from './layout.js';

/**
 * The launch dialog: a selection and one day or a range, typed as text; the server's preview
 * (steps per asset, partitions as ranges, what is up to date, the request estimate against the
 * budget), then Launch, landing on the live run (or backfill).
 */
export function launchPage(defaults: { select?: string; partition?: string }): Html {
  return html`<h1>Launch</h1>
    <form class="stack" id="launch">
      <label>Selection <input name="select" value="${defaults.select ?? 'rawg/games+'}" required aria-describedby="select-help" />
        <small id="select-help" class="muted">Keys and globs: rawg/games+ (and downstream), +marts/dim_games (and upstream), marts/*, tag:daily</small></label>
      <fieldset class="stack">
        <legend>Partitions</legend>
        <label>One day or hour <input name="partition" value="${defaults.partition ?? 'yesterday'}" placeholder="YYYY-MM-DD, YYYY-MM-DDTHH (UTC), today or yesterday" aria-describedby="partition-help" /></label>
        <label>Or from <input name="from" placeholder="2024-01-01" /></label>
        <label>to <input name="to" placeholder="2024-12-31" /></label>
        <small id="partition-help" class="muted">Days or UTC hours (2024-05-01T13): a day covers all 24 hours of an hourly asset, an hour the day of a daily one.</small>
        <label><input type="checkbox" name="backfill" /> As a backfill (persisted, resumable; skips what is up to date)</label>
      </fieldset>
      <div><button type="submit" name="intent" value="preview">Preview</button></div>
    </form>
    <section id="preview" aria-live="polite"></section>`;
}
