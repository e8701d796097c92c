// The run report opened in a real headless Chromium: every membrane has its bars, drawn to scale; the
// refusing membrane is marked; the page asks for nothing; it reads without JavaScript, in both colour
// schemes and in print; screenshots are neither blank nor one colour.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { runReportHtml } from '../../src/report/index.js';
import { runProgram, type RunResult } from '../../src/runtime/run.js';
import { VectorizeEngine } from '../../src/runtime/vectorize/engine.js';
import { browserMissing, pngColours, sharedBrowser } from '../support/browser.js';

const missing = browserMissing();
if (missing) console.warn(missing);

const out = mkdtempSync(join(tmpdir(), 'merg-e-report-test-'));

const NESTED = `
mutable dag store;
mutable dag outer = membrane<quota<50, 20, 10>> store;
mutable dag inner = membrane<quota<30, 12, 0>> outer;
mutable dag shadow = membrane<copy_on_mutate> inner;
mutable dag leaf = membrane<quota<5, 5, 0>> shadow;
mutable dag other = membrane<quota<8, 2, 0>> store;
mutable int32 a = 1;
mutable int32 inner.x = 5;
mutable int64 leaf.y = 7;
mutable dataframe outer.log string msg;
mutable int32 i = 0;
while i < 100 {
  i += 1;
  outer.log("some message text");
};
`;

interface Case {
  name: string;
  file: string;
  source?: string;
  refused: boolean;
}

const CASES: Case[] = [
  { name: 'quota-stack', file: 'examples/quota-stack.merge', refused: true },
  { name: 'seed-part17', file: 'examples/seed-part17.merge', refused: false },
  { name: 'dataframe-growth', file: 'examples/dataframe-growth.merge', refused: false },
  { name: 'vectorize-quota', file: 'examples/vectorize-quota.merge', refused: true },
  { name: 'nested', file: 'nested.merge', source: NESTED, refused: true },
];

function runCase(c: Case): { r: RunResult; engine: VectorizeEngine } {
  const engine = new VectorizeEngine();
  const r = runProgram(c.source !== undefined ? { file: c.file, source: c.source } : { file: c.file }, { timeline: true, vectorize: engine.hook });
  return { r, engine };
}

describe.skipIf(missing !== null)('run report in Chromium', () => {
  const browser = sharedBrowser();
  afterAll(() => {
    console.log(`run report screenshots in ${out}`);
  });

  for (const c of CASES) {
    it(`${c.name}: a bar per limit of every membrane, drawn to scale; the refusing membrane marked; no request`, async () => {
      const { r, engine } = runCase(c);
      expect(r.error?.name ?? null).toBe(c.refused ? 'quota_error' : null);
      const html = await runReportHtml({ file: c.file, result: r, vectorize: engine.reports });
      const { page, context, requests, errors } = await browser().open(`${c.name}.html`, html);
      try {
        const flat = r.memory!.report().flat;
        expect(flat.length).toBeGreaterThan(0);
        for (const m of flat) {
          const item = page.locator(`li.membrane[data-id="${m.id}"]`);
          expect(await item.count(), `membrane ${m.name}`).toBe(1);
          expect(await item.getAttribute('data-membrane')).toBe(m.name);
          if (m.kind !== 'quota') continue;
          const limits = { direct: [m.directUsed, m.direct], below: [m.belowUsed, m.total - m.direct], total: [m.directUsed + m.belowUsed, m.total], pool: [m.childTotals, m.total - m.direct + m.overcommit] } as const;
          for (const [kind, [used, limit]] of Object.entries(limits)) {
            const meter = item.locator(`:scope > .mbox > .meter.${kind}`);
            const track = await meter.locator('.track').boundingBox();
            const fill = await meter.locator('.fill').boundingBox();
            expect(track, `${m.name} ${kind} track`).not.toBeNull();
            expect(track!.width).toBeGreaterThan(100);
            const want = limit === 0 ? 0 : (track!.width * used) / limit;
            expect(Math.abs((fill?.width ?? 0) - want), `${m.name} ${kind}: ${used}/${limit} of ${track!.width}px`).toBeLessThanOrEqual(1);
          }
        }
        const marked = await page.locator('li.membrane.refused').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-id'))));
        if (c.refused && r.error?.membraneId !== null && flat.some((m) => m.id === r.error?.membraneId)) {
          expect(marked).toEqual([r.error!.membraneId]);
          const item = page.locator(`li.membrane[data-id="${r.error!.membraneId}"]`);
          await expect(item.locator(':scope > .mbox .badge').isVisible()).resolves.toBe(true);
          expect(await item.locator(`:scope > .mbox > .meter.${r.error!.limitKind}`).getAttribute('class')).toContain('refused');
          // The error section: message, limit kind, amounts and the code frame with the span marked.
          const error = page.locator('#error');
          expect(await error.textContent()).toContain(r.error!.message);
          expect(await error.locator('table.kv').textContent()).toContain(`${r.error!.requested} points`);
          expect(await error.locator('pre.frame mark').count()).toBe(1);
        } else {
          expect(marked).toEqual([]);
        }
        // Assistive technology sees each bar as a meter named by its limit, with its value, and each
        // chart as an image with a name (Chromium's accessibility tree, not the markup).
        const quota = flat.filter((m) => m.kind === 'quota');
        const meters = page.getByRole('meter');
        expect(await meters.count()).toBe(4 * quota.length);
        if (quota.length > 0) {
          const first = page.getByRole('meter', { name: 'total / T' }).first();
          expect(Number(await first.getAttribute('aria-valuenow'))).toBe((quota[0]!.directUsed + quota[0]!.belowUsed) / 1000);
        }
        const charts = await page.locator('figure svg').count();
        expect(await page.getByRole('img', { name: /chart: / }).count()).toBe(charts);
        expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain(c.file);
        // Charts are inline SVG; the timeline has a line per quota membrane that was charged.
        expect(await page.locator('#kinds figure svg').count()).toBe(1);
        const lines = r.timeline!.series.length;
        if (lines > 0) expect(await page.locator('#timeline figure svg .mark-line path').count()).toBe(lines);
        const shot = join(out, `${c.name}.png`);
        writeFileSync(shot, await page.screenshot({ fullPage: true }));
        const png = pngColours(await page.screenshot({ fullPage: true }));
        expect(png.colours).toBeGreaterThan(16);
        expect(requests).toEqual([]);
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }

  it('reads without JavaScript, in the dark colour scheme and in print', async () => {
    const { r, engine } = runCase(CASES[0]!);
    const html = await runReportHtml({ file: 'examples/quota-stack.merge', result: r, vectorize: engine.reports });
    expect(html).not.toMatch(/<script/i);
    const light = await browser().open('light.html', html);
    const dark = await browser().open('dark.html', html, { colorScheme: 'dark', javaScript: false });
    try {
      const bg = (p: typeof light.page) => p.evaluate('getComputedStyle(document.documentElement).backgroundColor');
      const fg = (p: typeof light.page) => p.evaluate('getComputedStyle(document.documentElement).color');
      expect(await bg(light.page)).toBe('rgb(255, 255, 255)');
      expect(await bg(dark.page)).not.toBe(await bg(light.page));
      expect(await fg(dark.page)).not.toBe(await fg(light.page));
      // Without scripts every membrane and chart is there.
      expect(await dark.page.locator('li.membrane').count()).toBe(r.memory!.report().flat.length);
      expect(await dark.page.locator('figure svg').count()).toBe(2);
      const shot = await dark.page.screenshot({ fullPage: true });
      writeFileSync(join(out, 'quota-stack-dark.png'), shot);
      expect(pngColours(shot).colours).toBeGreaterThan(16);
      await light.page.emulateMedia({ media: 'print' });
      const printed = await light.page.screenshot({ fullPage: true });
      writeFileSync(join(out, 'quota-stack-print.png'), printed);
      expect(pngColours(printed).colours).toBeGreaterThan(16);
      const pdf = await light.page.pdf({ format: 'A4' });
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(light.requests).toEqual([]);
      expect(dark.requests).toEqual([]);
    } finally {
      await light.context.close();
      await dark.context.close();
    }
  });
});
