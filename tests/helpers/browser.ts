import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';

/** Debian's Chromium (scripts/install-test-tools.sh installs it); never a downloaded browser. */
export const CHROMIUM = '/usr/bin/chromium';

export interface GuardedPage {
  page: Page;
  /** Every request the page tried to send beyond loopback (blocked): a test asserts it stays empty. */
  offHost: string[];
  /** Errors the page's scripts threw, and errors its console printed (a CSP refusal among them). */
  pageErrors: string[];
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A new page whose requests to any host but loopback are blocked and recorded. */
export async function guardedPage(browser: Browser): Promise<GuardedPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const offHost: string[] = [];
  const pageErrors: string[] = [];
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) || url.protocol === 'data:') return route.continue();
    offHost.push(url.href);
    return route.abort();
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    // A failed fetch the test provoked (a 4xx answer) is the page's business, not a script error.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) pageErrors.push(message.text());
  });
  return { page, offHost, pageErrors };
}

/**
 * Presses Tab from the top of the page until focus leaves the document or comes back around, and
 * returns the visible controls (links, buttons, fields, focusable regions) it never reached.
 */
export async function controlsTabMisses(page: Page): Promise<string[]> {
  const count = (await page.evaluate(`(() => {
    const seen = new Set();
    const controls = [...document.querySelectorAll('a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])')]
      .filter((e) => e.getClientRects().length > 0)
      // What a closed <details> holds is out of reach until it is opened (its summary is not).
      .filter((e) => e.tagName === 'SUMMARY' || !e.closest('details:not([open])'))
      // Tab reaches one radio button of a group; the arrow keys move within it.
      .filter((e) => e.type !== 'radio' || (!seen.has(e.name) && seen.add(e.name)));
    controls.forEach((e, i) => e.setAttribute('data-kb', String(i)));
    return controls.length;
  })()`)) as number;
  const reached = new Set<string>();
  for (let i = 0; i < count + 10; i++) {
    await page.keyboard.press('Tab');
    const at = (await page.evaluate(`document.activeElement?.getAttribute('data-kb') ?? null`)) as string | null;
    if (at !== null) reached.add(at);
    if (reached.size === count) break;
  }
  return (await page.evaluate(`[...document.querySelectorAll('[data-kb]')].map((e) => e.getAttribute('data-kb') + ' ' + e.outerHTML.slice(0, 80))`) as string[]).filter(
    (d) => !reached.has(d.split(' ')[0]!),
  );
}

/** The page asked nothing of any host but loopback, and its scripts threw and logged no error. */
export function expectClean(g: GuardedPage): void {
  expect(g.offHost, 'requests beyond loopback').toEqual([]);
  expect(g.pageErrors, 'script errors').toEqual([]);
}
