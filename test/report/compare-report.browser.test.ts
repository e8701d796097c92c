// The compare report opened in a real headless Chromium: a row and a bar per profile, drawn to scale,
// the profiles that ended differently marked, nothing requested, a screenshot that is not blank.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { formatPoints } from '../../src/model/index.js';
import { compareReportHtml } from '../../src/report/index.js';
import { outcomeOf, PARTS_SHOWN } from '../../src/report/compare-page.js';
import { standardBasket } from '../../src/runtime/basket.js';
import { comparePortability } from '../../src/runtime/portability.js';
import { compareProfiles, shippedProfiles } from '../../src/runtime/compare.js';
import { browserMissing, pngColours, sharedBrowser } from '../support/browser.js';

const missing = browserMissing();
if (missing) console.warn(missing);

const out = mkdtempSync(join(tmpdir(), 'merg-e-compare-test-'));

/** Bar widths in a Vega SVG (horizontal bars are paths `M0,yhWv…`), by their aria-label. */
function barWidths(svg: string): Map<string, number> {
  const widths = new Map<string, number>();
  for (const m of svg.matchAll(/aria-label="([^"]+)" role="graphics-symbol" aria-roledescription="bar" d="M[-\d.]+,[-\d.]+h([-\d.]+)/g)) widths.set(m[1] as string, Number(m[2]));
  return widths;
}

describe.skipIf(missing !== null)('compare report in Chromium', () => {
  const browser = sharedBrowser();
  afterAll(() => {
    console.log(`compare report screenshots in ${out}`);
  });

  for (const file of ['examples/profile-endings.merge', 'examples/compare-profiles.merge']) {
    it(`${file}: every profile side by side, to scale; the spread's parts to scale; different endings marked; no request`, async () => {
      const runs = compareProfiles({ file }, shippedProfiles());
      const html = await compareReportHtml({ file, runs });
      const name = file.split('/')[1] as string;
      const { page, context, requests, errors } = await browser().open(`${name}.html`, html);
      try {
        const outcomes = runs.map(outcomeOf);
        const counts = new Map<string, number>();
        for (const o of outcomes) counts.set(o, (counts.get(o) ?? 0) + 1);
        const common = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
        for (const [i, r] of runs.entries()) {
          const row = page.locator(`#profiles tr[data-profile="${r.profile}"]`);
          expect(await row.locator('td').allTextContents()).toEqual([r.profile, formatPoints(r.mp), String(r.bytes), outcomes[i]]);
          expect((await row.getAttribute('class')) ?? '').toBe(outcomes[i] === common ? '' : 'differs');
        }
        expect(await page.locator('#endings .ending').count()).toBe(counts.size === 1 && common === 'ok' ? 0 : counts.size);
        if (counts.size > 1) expect(await page.locator('#endings .ending.error pre.frame mark').count()).toBeGreaterThan(0);
        // Points and bytes bars: each as long as its amount, on one scale per chart.
        const svg = await page.locator('#side figure svg').evaluate((e) => e.outerHTML);
        const w = barWidths(svg);
        const maxMp = Math.max(...runs.map((r) => r.mp));
        const maxBytes = Math.max(...runs.map((r) => Number(r.bytes)));
        const pointsBars = runs.map((r) => [...w].find(([label]) => label.includes(`profile: ${r.profile}`) && label.startsWith('RAM-points:'))?.[1]);
        const bytesBars = runs.map((r) => [...w].find(([label]) => label.includes(`profile: ${r.profile}`) && label.startsWith('bytes:'))?.[1]);
        const longestP = Math.max(...(pointsBars as number[]));
        const longestB = Math.max(...(bytesBars as number[]));
        runs.forEach((r, i) => {
          expect(Math.abs(pointsBars[i]! - (longestP * r.mp) / maxMp)).toBeLessThanOrEqual(1);
          expect(Math.abs(bytesBars[i]! - (longestB * Number(r.bytes)) / maxBytes)).toBeLessThanOrEqual(1);
        });
        // The breakdown: a bar per part, as long as its share of the gap (negative ones to the left).
        const p = comparePortability(file, runs, standardBasket().basket.warnSpread);
        if (p.breakdown) {
          const bsvg = await page.locator('#breakdown figure svg').evaluate((e) => e.outerHTML);
          const shares = [...bsvg.matchAll(/aria-label="share of the gap[^:]*: ([−\d.]+); part: ([^;]+);[^"]*" role="graphics-symbol" aria-roledescription="bar" d="M[-\d.]+,[-\d.]+h([-\d.]+)/g)].map((m) => ({ part: m[2], share: Number((m[1] as string).replace('−', '-')), width: Math.abs(Number(m[3])) }));
          expect(shares.map((x) => x.part)).toEqual(p.breakdown.parts.slice(0, PARTS_SHOWN).map((x) => x.kind).concat(p.breakdown.parts.length > PARTS_SHOWN ? [`${p.breakdown.parts.length - PARTS_SHOWN} other parts`] : []));
          const top = shares[0]!;
          for (const x of shares) expect(Math.abs(x.width - (top.width * Math.abs(x.share)) / Math.abs(top.share)), x.part).toBeLessThanOrEqual(1);
          expect(await page.locator('#breakdown table.breakdown tbody tr').count()).toBe(shares.length);
        } else {
          expect(await page.locator('#breakdown figure').count()).toBe(0);
        }
        // Each chart is an image with a name in Chromium's accessibility tree.
        expect(await page.getByRole('img', { name: /chart/ }).count()).toBe(await page.locator('figure svg').count());
        const shot = await page.screenshot({ fullPage: true });
        writeFileSync(join(out, `${name}.png`), shot);
        expect(pngColours(shot).colours).toBeGreaterThan(16);
        expect(requests).toEqual([]);
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
});
