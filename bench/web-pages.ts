import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { type LocalStack, startLocalStack } from '../local/stack';
import { DEFAULT_WEB_DIR, ensureWebBuilt, firstPageJavaScript } from '../local/web-build';
import { launchChromium } from '../test/e2e/support/browser';
import type { FigureInput, Section } from './report';

/*
 * What the bench parts of the web apps share (bench/console.ts, bench/merchant-pages.ts): the
 * first page's JavaScript against its budget, the real local stack and the system's Chromium (as
 * the browser tests launch it) for the part's run, a fresh browser context per page load after one
 * warm-up load, and the largest contentful paint as Chromium reports it.
 */

/** Page loads measured after one warm-up load (handler modules, Vite's files in the page cache). */
export const ROUNDS = 9;

/**
 * The JavaScript an app's first page loads, gzipped as sent (the apps are built first when their
 * sources changed), judged against `maxKb`.
 */
export async function firstPageFigure(
  section: Section,
  app: 'console' | 'merchant',
  maxKb: number,
  log: (message: string) => void,
): Promise<FigureInput> {
  await ensureWebBuilt({ log });
  const js = firstPageJavaScript(join(DEFAULT_WEB_DIR, app));
  return {
    section,
    name: `first-page JavaScript of ${app === 'console' ? '/console/' : '/m/'} (gzipped)`,
    value: js.gzipBytes / 1024,
    unit: 'KB',
    target: { kind: 'value-max', max: maxKb, unit: 'KB' },
    details: { files: js.files, rawBytes: js.rawBytes },
  };
}

/**
 * Runs `measure` with a local stack (own state dir, free ports) and a headless Chromium, and stops
 * both afterwards, whatever happens.
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
    browser = await launchChromium();
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
