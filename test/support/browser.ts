// Opening pages in a real headless Chromium (Debian's package, driven by playwright-core) for tests.
// Pages are served from a made-up origin by request interception: the page itself is fulfilled, and
// any other request it makes is refused and recorded, so a test can insist that nothing leaves it.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll } from 'vitest';

import { chromiumMissing, launchChromium } from '../../scripts/chromium.js';

/**
 * Set to `required` (CI does: .ci/run), a missing browser fails the browser tests instead of
 * skipping them, so CI cannot pass without having run them.
 */
export const REQUIRE_BROWSER = 'MERG_E_BROWSER_TESTS';

/** Why browser tests cannot run here (a skip message), or null when they can — or must (then they fail). */
export function browserMissing(env: NodeJS.ProcessEnv = process.env): string | null {
  const why = chromiumMissing(env);
  if (why === null || env[REQUIRE_BROWSER] === 'required') return null;
  return `browser tests skipped: ${why}`;
}

export interface OpenedPage {
  page: Page;
  context: BrowserContext;
  /** Every request other than the page itself (all refused). */
  requests: string[];
  /** Errors the page's scripts threw and console errors. */
  errors: string[];
}

export const ORIGIN = 'http://merg-e.report.test';

export class TestBrowser {
  private constructor(private readonly browser: Browser) {}

  static async launch(env: NodeJS.ProcessEnv = process.env): Promise<TestBrowser> {
    const why = chromiumMissing(env);
    if (why !== null) throw new Error(`browser tests required (${REQUIRE_BROWSER}=required) but cannot run: ${why}`);
    return new TestBrowser(await launchChromium());
  }

  /** Opens `html` as ORIGIN/NAME. Options: colour scheme, JavaScript off, viewport width. */
  async open(name: string, html: string, opts: { colorScheme?: 'light' | 'dark'; javaScript?: boolean; width?: number } = {}): Promise<OpenedPage> {
    const context = await this.browser.newContext({
      viewport: { width: opts.width ?? 1100, height: 900 },
      colorScheme: opts.colorScheme ?? 'light',
      javaScriptEnabled: opts.javaScript ?? true,
      serviceWorkers: 'block',
    });
    const requests: string[] = [];
    const errors: string[] = [];
    const url = `${ORIGIN}/${name}`;
    await context.route('**/*', async (route) => {
      const asked = route.request().url();
      if (asked === url) return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
      requests.push(asked);
      return route.abort('blockedbyclient');
    });
    const page = await context.newPage();
    page.on('request', (r) => {
      if (r.url() !== url && !requests.includes(r.url())) requests.push(r.url());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(url, { waitUntil: 'load' });
    return { page, context, requests, errors };
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}

/** How many distinct colours a PNG has (stops counting at `cap`), and its size. */
export function pngColours(png: Buffer, cap = 1000): { width: number; height: number; colours: number } {
  const img = PNG.sync.read(png);
  const seen = new Set<number>();
  const d = img.data;
  for (let i = 0; i < d.length && seen.size < cap; i += 4) seen.add(((d[i] as number) << 24) | ((d[i + 1] as number) << 16) | ((d[i + 2] as number) << 8) | (d[i + 3] as number));
  return { width: img.width, height: img.height, colours: seen.size };
}

/**
 * For a describe block: launches Chromium before its tests and closes it after; the getter returns
 * it. Use with `describe.skipIf(browserMissing() !== null)`.
 */
export function sharedBrowser(): () => TestBrowser {
  let browser: TestBrowser | undefined;
  beforeAll(async () => {
    browser = await TestBrowser.launch();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => browser as TestBrowser;
}
