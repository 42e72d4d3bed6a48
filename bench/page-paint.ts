import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from 'playwright-core';
import { type LocalStack, startLocalStack } from '../local/stack';

/*
 * What the bench parts that time web pages in Chromium share (bench/console.ts,
 * bench/merchant-pages.ts): the real local stack and the system's Chromium for the part's run, a
 * fresh browser context per page load after one warm-up load, and the largest contentful paint as
 * Chromium reports it.
 */

/** The system's Chromium (the machine has no browser download), as the browser tests use it. */
const CHROMIUM = '/usr/bin/chromium';
/** Page loads measured after one warm-up load (handler modules, Vite's files in the page cache). */
export const ROUNDS = 9;

/**
 * Runs `measure` with a local stack (own state dir, free ports) and a headless Chromium, and stops
 * both afterwards, whatever happens. Chromium runs without its own background traffic: only
 * 127.0.0.1 is ever a target.
 */
export async function withStackAndChromium<T>(
  name: string,
  measure: (stack: LocalStack, browser: Browser) => Promise<T>,
): Promise<T> {
  const stateDir = mkdtempSync(join(tmpdir(), `pos-bench-${name}-`));
  const stack = await startLocalStack({
    stateDir,
    ports: { api: 0, dynamodb: 0, sfn: 0, sms: 0, ses: 0, s3: 0 },
    quiet: true,
  });
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({
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
    return await measure(stack, browser);
  } finally {
    await browser?.close();
    await stack.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

/**
 * One warm-up load, then {@link ROUNDS} measured ones, each in a fresh browser context (no cache,
 * no storage but what `load` puts there) that is closed after it.
 */
export async function timedLoads<T>(
  browser: Browser,
  options: BrowserContextOptions,
  load: (context: BrowserContext) => Promise<T>,
): Promise<T[]> {
  const loads: T[] = [];
  for (let round = 0; round <= ROUNDS; round++) {
    const context = await browser.newContext(options);
    try {
      const measured = await load(context);
      if (round > 0) loads.push(measured);
    } finally {
      await context.close();
    }
  }
  return loads;
}

/** A page's largest contentful paint. */
export interface LargestPaint {
  /** Milliseconds from navigation start. */
  readonly ms: number;
  /** The element painted, as `tag.class` (the text it holds is left out: it may be personal data). */
  readonly element: string;
}

/**
 * The largest contentful paint Chromium reported so far (the last candidate). Call it once the page
 * shows what it is for: a later, larger paint would replace the candidate.
 */
export function largestContentfulPaint(page: Page): Promise<LargestPaint> {
  return page.evaluate(
    () =>
      new Promise<LargestPaint>((resolve) => {
        new PerformanceObserver((list) => {
          const entry = list.getEntries().at(-1) as
            | (PerformanceEntry & { element?: Element | null })
            | undefined;
          const element = entry?.element;
          resolve({
            ms: entry?.startTime ?? Number.NaN,
            element: element
              ? [element.tagName.toLowerCase(), ...Array.from(element.classList)].join('.')
              : 'unknown',
          });
        }).observe({ type: 'largest-contentful-paint', buffered: true });
      }),
  );
}
