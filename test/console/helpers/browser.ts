/**
 * Headless Debian Chromium driven by playwright-core for the console tests. Requests to
 * anything but 127.0.0.1 are aborted and recorded (the console must make none), page errors
 * and console errors are collected, and screenshots go to test-artifacts/console/.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS_DIR = join(import.meta.dirname, '../../../test-artifacts/console');

// --disable-dev-shm-usage: containers often give /dev/shm 64 MB, too little for Chromium.
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
  '--no-first-run', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

/** Upper bound for any single wait on the page (a poll cycle is 2–5 s). */
export const UI_TIMEOUT_MS = 15_000;

export interface ConsoleBrowser {
  readonly page: Page;
  /** Requests the page tried to make to hosts other than 127.0.0.1. */
  readonly externalRequests: string[];
  /** Uncaught page errors and console.error messages. */
  readonly errors: string[];
  /** Saves test-artifacts/console/<name>.png: the whole page, or the viewport (for modals). */
  screenshot(name: string, opts?: { fullPage?: boolean }): Promise<void>;
  close(): Promise<void>;
}

export async function openConsole(url: string): Promise<ConsoleBrowser> {
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 }, colorScheme: 'light' });
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    const externalRequests: string[] = [];
    const errors: string[] = [];
    await page.route('**/*', (route) => {
      const u = new URL(route.request().url());
      if (u.protocol === 'data:' || u.hostname === '127.0.0.1') return route.continue();
      externalRequests.push(u.href);
      return route.abort();
    });
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (msg) => {
      // Failed API calls the page handles (a 501, say) still log a resource error; only real errors count.
      if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) errors.push(msg.text());
    });
    await mkdir(ARTIFACTS_DIR, { recursive: true });
    await page.goto(url);
    return {
      page,
      externalRequests,
      errors,
      screenshot: async (name, opts = {}) => {
        await page.screenshot({ path: join(ARTIFACTS_DIR, `${name}.png`), fullPage: opts.fullPage ?? true });
      },
      close: () => browser.close(),
    };
  } catch (err) {
    await browser.close();
    throw err;
  }
}
