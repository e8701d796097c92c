// grammar/merg-e.html opened in a real headless Chromium: self-contained (it asks for nothing) and
// every rule of the grammar drawn as a railroad diagram.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { browserMissing, sharedBrowser } from '../support/browser.js';

const missing = browserMissing();
if (missing) console.warn(missing);

const dir = join(import.meta.dirname, '..', '..', 'grammar');

describe.skipIf(missing !== null)('railroad diagram in Chromium', () => {
  const browser = sharedBrowser();

  it('draws every grammar rule and loads nothing', async () => {
    const html = readFileSync(join(dir, 'merg-e.html'), 'utf8');
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
    const rules = (JSON.parse(readFileSync(join(dir, 'merg-e.grammar.json'), 'utf8')) as { name: string }[]).map((r) => r.name);
    const { page, context, requests, errors } = await browser().open('merg-e.html', html);
    try {
      const drawn = await page.locator('h2.diagramHeader').evaluateAll((hs) =>
        hs.map((h) => {
          const svg = h.nextElementSibling;
          const box = svg?.getBoundingClientRect();
          return { name: h.textContent, svg: svg?.tagName.toLowerCase() ?? null, width: box?.width ?? 0, height: box?.height ?? 0, paths: svg?.querySelectorAll('path').length ?? 0 };
        }),
      );
      expect(drawn.map((d) => d.name)).toEqual(rules);
      for (const d of drawn) {
        expect(d.svg, d.name ?? '').toBe('svg');
        expect(d.width).toBeGreaterThan(50);
        expect(d.height).toBeGreaterThan(10);
        expect(d.paths).toBeGreaterThan(0);
      }
      expect(requests).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
