import type { Browser, BrowserContextOptions } from 'playwright-core';
import { applicationInReview, sendBack } from '../test/e2e/support/applications';
import { ApiClient } from '../test/support/api-client';
import type { FigureInput } from './report';
import { median, percentile } from './stats';
import {
  firstPageFigure,
  type LargestPaint,
  largestContentfulPaint,
  ROUNDS,
  timedLoads,
  withStackAndChromium,
} from './web-pages';

/*
 * Part 9 of `npm run bench`: the merchant pages (H5, `/m/`). The JavaScript their first page loads
 * (gzipped, as `npm run build:web` builds it), and the largest contentful paint of the pages a
 * merchant opens first, on a phone: the application form, and the status page of an application a
 * reviewer sent back with per-field reasons (the heaviest page a merchant sees: the status, the
 * whole form with the reasons next to their fields, the document slots). Chromium's mobile
 * emulation with a 4× CPU slowdown, against the real local stack.
 */

/** Spec: the merchant pages' first page ships at most this much JavaScript, gzipped. */
const FIRST_PAGE_KB = 80;
/** Spec: largest contentful paint within this, p50. */
const LCP_MS = 1500;
/** Spec: Chromium's CPU throttling rate (a phone's CPU against this machine's). */
const CPU_SLOWDOWN = 4;

/**
 * A phone as the merchant holds it: 375 × 667 CSS pixels at 2×, touch, a mobile user agent (WeChat's
 * in-app browser on Android, where most merchants open the link), Chinese.
 */
const PHONE: BrowserContextOptions = {
  viewport: { width: 375, height: 667 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  userAgent:
    'Mozilla/5.0 (Linux; Android 13; Pixel 7; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 ' +
    'Chrome/120.0.0.0 Mobile Safari/537.36 MicroMessenger/8.0.47 Language/zh_CN',
  locale: 'zh-CN',
  timezoneId: 'Asia/Shanghai',
};

/** A page measured: where it is, what says it is on screen, and the session it needs. */
interface MerchantPage {
  readonly name: string;
  readonly path: string;
  /** A selector that is on the page once it shows what it is for. */
  readonly ready: string;
  /** The session storage entry of a merchant who is signed in (web/merchant/src/merchant-session.ts). */
  readonly session?: { readonly applicationId: string; readonly token: string };
}

/** What one load measured, in ms from navigation start. */
interface PageLoad extends LargestPaint {
  /** When the page's scripts had run (`DOMContentLoaded` handlers done). */
  readonly scriptsDone: number;
  /** When the answer of the page's API request was in (none on the empty form). */
  readonly apiAnswer: number | null;
}

/**
 * An application through the real API (created, contacts verified, photos uploaded, submitted) that
 * a reviewer sent back with reasons on a field of the form, a field deeper in it and a document.
 */
async function sentBackApplication(api: ApiClient): Promise<{ applicationId: string; token: string }> {
  const reviewer = await api.staffToken('bench-reviewer', ['reviewer']);
  const { applicationId, token, taskId } = await applicationInReview(api, reviewer, {
    businessName: '张三便利店',
    phone: '13900139000',
  });
  await sendBack(api, reviewer, { applicationId, token, taskId }, [
    { field: 'business.name', reason: '请使用营业执照上的名称' },
    { field: 'settlement.bankName', reason: '开户行请写到支行' },
    { field: 'documents.STORE_PHOTO', reason: '门头照片需拍到店名' },
  ]);
  return { applicationId, token };
}

/** {@link ROUNDS} loads of one page (after a warm-up) on the phone, each with the CPU slowed down. */
async function measurePage(browser: Browser, base: string, target: MerchantPage): Promise<PageLoad[]> {
  return timedLoads(browser, PHONE, async (context) => {
    if (target.session) {
      const value = JSON.stringify(target.session);
      await context.addInitScript((stored) => window.sessionStorage.setItem('pos-m.session', stored), value);
    }
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    await page.goto(`${base}${target.path}`);
    await page.locator(target.ready).first().waitFor({ timeout: 60_000 });
    const paint = await largestContentfulPaint(page);
    const timings = await page.evaluate(() => {
      const navigation = performance.getEntriesByType('navigation')[0] as
        | PerformanceNavigationTiming
        | undefined;
      const request = performance
        .getEntriesByType('resource')
        .find((entry) => entry.name.includes('/v1/applications/'));
      return {
        scriptsDone: navigation?.domContentLoadedEventEnd ?? Number.NaN,
        apiAnswer: request ? (request as PerformanceResourceTiming).responseEnd : null,
      };
    });
    return { ...paint, ...timings };
  });
}

/** The merchant pages part: first-page JavaScript, and the paint of the form and of the status page. */
export async function measureMerchantPages(log: (message: string) => void): Promise<FigureInput[]> {
  const figures: FigureInput[] = [await firstPageFigure('merchant-pages', 'merchant', FIRST_PAGE_KB, log)];
  const measured = await withStackAndChromium('merchant-pages', async (stack, browser) => {
    const base = stack.urls.api;
    const session = await sentBackApplication(new ApiClient(base));
    log('merchant pages: an application sent back with reasons, through the API');
    const pages: MerchantPage[] = [
      { name: 'application form (/m/)', path: '/m/', ready: '#main h1' },
      {
        name: 'status page with per-field reasons (/m/#/status)',
        path: '/m/#/status',
        ready: '#main .reason',
        session,
      },
    ];
    const results: { page: MerchantPage; loads: PageLoad[] }[] = [];
    for (const page of pages) {
      log(`merchant pages: ${page.name}, ${ROUNDS} loads on a phone at ${CPU_SLOWDOWN}× CPU slowdown`);
      results.push({ page, loads: await measurePage(browser, base, page) });
    }
    return results;
  });
  const ms = (value: number) => `${Math.round(value)} ms`;
  for (const { page, loads } of measured) {
    const samples = loads.map((load) => load.ms);
    const p90 = percentile(samples, 90);
    const answers = loads.flatMap((load) => (load.apiAnswer === null ? [] : [load.apiAnswer]));
    const elements = [...new Set(loads.map((load) => load.element))].join(', ');
    // Where the time goes, as medians from navigation start: scripts run, the API's answer in.
    const breakdown = [
      `scripts done ${ms(median(loads.map((load) => load.scriptsDone)))}`,
      ...(answers.length > 0 ? [`API answer in ${ms(median(answers))}`] : []),
    ].join(', ');
    const how = `${ROUNDS} loads on a 375 × 667 phone, ${CPU_SLOWDOWN}× CPU slowdown, each in a fresh browser context; largest element: ${elements}; medians: ${breakdown}`;
    figures.push(
      {
        section: 'merchant-pages',
        name: `${page.name} · largest contentful paint p50`,
        value: median(samples),
        unit: 'ms',
        target: { kind: 'value-max', max: LCP_MS, unit: 'ms' },
        why: `p90 ${ms(p90)}; ${how}`,
        details: { samples: loads },
      },
      {
        section: 'merchant-pages',
        name: `${page.name} · largest contentful paint p90`,
        value: p90,
        unit: 'ms',
        target: { kind: 'none' },
      },
    );
  }
  return figures;
}
