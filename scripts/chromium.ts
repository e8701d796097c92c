// Debian's Chromium, headless, driven by playwright-core: for the browser tests and `npm run screenshots`.
import { existsSync } from 'node:fs';

import type { Browser } from 'playwright-core';

/** The browser: MERG_E_CHROMIUM, else Debian's /usr/bin/chromium. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  return env['MERG_E_CHROMIUM'] ?? '/usr/bin/chromium';
}

/** Why Chromium cannot be started here, or null when it can. */
export function chromiumMissing(env: NodeJS.ProcessEnv = process.env): string | null {
  const path = chromiumPath(env);
  if (existsSync(path)) return null;
  return `no Chromium at ${path} (install Debian's chromium package, or set MERG_E_CHROMIUM to a Chromium binary)`;
}

/**
 * The flags Chromium needs on a machine with no network and no display; without the background
 * networking ones it keeps trying to reach Google's hosts. Playwright adds a fresh, empty profile
 * folder of its own (--user-data-dir) and removes it when the browser closes.
 */
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: FLAGS });
}
