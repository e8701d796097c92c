// npm run screenshots: renders the README's report screenshots (docs/img/*.png) in headless Chromium
// and records in docs/img/screenshots.json which HTML each was taken of; a test fails when they are stale.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { chromiumMissing, launchChromium } from './chromium.js';
import { MANIFEST, manifestOf, screenshotPages, SHOTS_DIR } from './screenshot-pages.js';

const missing = chromiumMissing();
if (missing !== null) {
  process.stderr.write(`npm run screenshots: ${missing}\n`);
  process.exit(1);
}
const pages = await screenshotPages();
const browser = await launchChromium();
try {
  mkdirSync(SHOTS_DIR, { recursive: true });
  for (const p of pages) {
    const context = await browser.newContext({ viewport: { width: 1000, height: 800 }, colorScheme: 'light', javaScriptEnabled: false });
    // The page is handed over directly; anything it asked for would be refused.
    await context.route('**/*', (route) => route.abort('blockedbyclient'));
    const page = await context.newPage();
    await page.setContent(p.html, { waitUntil: 'load' });
    writeFileSync(join(SHOTS_DIR, p.png), await page.screenshot({ fullPage: true }));
    await context.close();
    process.stdout.write(`wrote docs/img/${p.png} (${p.example}, ${p.html.length} bytes of HTML)\n`);
  }
} finally {
  await browser.close();
}
writeFileSync(MANIFEST, JSON.stringify(manifestOf(pages), null, 2) + '\n');
process.stdout.write('wrote docs/img/screenshots.json\n');
