import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';

/** Debian's Chromium: the machine has no browser download (.ci/run installs the package when missing). */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Where the test run saves its screenshots: with `UPDATE_SCREENSHOTS=1`, `docs/screenshots/` (the ones
 * the docs show, committed); otherwise `.local/screenshots/`, so that a plain `npm test` leaves the
 * working tree as it was (every run's pages hold new ids and times).
 */
export const SCREENSHOTS_DIR = fileURLToPath(
  new URL(
    process.env.UPDATE_SCREENSHOTS === '1' ? '../../../docs/screenshots/' : '../../../.local/screenshots/',
    import.meta.url,
  ),
);

/**
 * The system's Chromium, headless, with the flags this machine needs: no sandbox (root), no GPU, and
 * none of Chromium's own background traffic (only 127.0.0.1 is ever a target). Playwright gives every
 * launch a fresh, empty user-data directory of its own. A missing Chromium fails the test loudly.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: the browser tests need it (apt-get install -y chromium; .ci/run installs it)`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A page plus what went wrong in it: CSP violations, uncaught errors, console errors. */
export interface WatchedPage {
  readonly page: Page;
  readonly problems: string[];
  close(): Promise<void>;
}

/** A fresh context (own storage) and page that records CSP violations and page errors. */
export async function openPage(browser: Browser, options: BrowserContextOptions = {}): Promise<WatchedPage> {
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...options });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text()))
      problems.push(`CSP: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return { page, problems, close: () => context.close() };
}

/**
 * What every page must pass: no serious or critical axe violation, every visible input with an
 * accessible name, no horizontal scrolling, and no CSP violation or script error so far.
 */
export async function checkPage(watched: WatchedPage, name: string): Promise<void> {
  const { page } = watched;
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes
          .slice(0, 3)
          .map((node) => node.target.join(' '))
          .join(', ')}`,
    );
  expect(bad, `axe on ${name}`).toEqual([]);

  const unlabelled = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('input, select, textarea')]
      .filter((element) => element.getAttribute('type') !== 'hidden' && element.getClientRects().length > 0)
      .filter((element) => {
        const labelled = element as HTMLInputElement;
        const labels = labelled.labels
          ? [...labelled.labels].some((label) => label.textContent?.trim())
          : false;
        return !labels && !element.getAttribute('aria-label') && !element.getAttribute('aria-labelledby');
      })
      .map((element) => element.outerHTML.slice(0, 120)),
  );
  expect(unlabelled, `inputs without a label on ${name}`).toEqual([]);

  const overflow = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  expect(overflow.scrollWidth, `horizontal scrolling on ${name}`).toBeLessThanOrEqual(overflow.clientWidth);
  expect(watched.problems, `CSP violations or script errors on ${name}`).toEqual([]);
}

/** Saves a full-page screenshot as `<SCREENSHOTS_DIR>/<file>` (in CSS pixels: a phone page stays 375 px wide). */
export async function screenshot(page: Page, file: string): Promise<void> {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  await page.screenshot({
    path: join(SCREENSHOTS_DIR, file),
    fullPage: true,
    animations: 'disabled',
    scale: 'css',
  });
}
