// The report pages as text (no browser): self-contained, escaped, bounded, and saying what happened
// when the program did not run or made thousands of membranes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { compareReportHtml, runReportHtml } from '../../src/report/index.js';
import { PARTS_SHOWN } from '../../src/report/compare-page.js';
import { esc } from '../../src/report/html.js';
import { standardBasket } from '../../src/runtime/basket.js';
import { comparePortability } from '../../src/runtime/portability.js';
import { MEMBRANES_SHOWN, OUTPUT_SHOWN } from '../../src/report/run-page.js';
import { compareProfiles, shippedProfiles } from '../../src/runtime/compare.js';
import { runProgram } from '../../src/runtime/run.js';
import { VectorizeEngine } from '../../src/runtime/vectorize/engine.js';
import { fixedMachine, folderMemo, tempDir } from '../vectorize/helpers.js';

function report(source: string, timeline = true) {
  const result = runProgram({ file: 'p.merge', source }, { timeline });
  return runReportHtml({ file: 'p.merge', result });
}

/** Everything in the page that a browser could fetch: it must be nothing. */
function fetchable(html: string): string[] {
  const found: string[] = [];
  for (const m of html.matchAll(/\b(?:src|href|action|poster|data)\s*=\s*["']?([^"'\s>]+)/gi)) if (!(m[1] as string).startsWith('#')) found.push(m[0]);
  for (const m of html.matchAll(/url\(\s*["']?([^)"']+)/gi)) if (!(m[1] as string).startsWith('#')) found.push(m[0]);
  for (const m of html.matchAll(/@import|<script|<link|<iframe|<object|<embed|<img/gi)) found.push(m[0]);
  return found;
}

describe('run report page', () => {
  it('holds no script and nothing to fetch, and forbids fetching', async () => {
    const html = await report('mutable dag s;\nmutable dag q = membrane<quota<10, 5, 0>> s;\nmutable int32 q.x = 1;\ncout "hi" endl;\n');
    expect(fetchable(html)).toEqual([]);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none';`);
    expect(html).toMatch(/@media \(prefers-color-scheme: dark\)/);
    expect(html).toMatch(/@media print/);
  });

  it('escapes what the program printed and named', async () => {
    const html = await report('cout "<script>alert(1)</script> & \\"x\\"" endl;\n');
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62; &#38; &#34;x&#34;');
  });

  it('a program that does not parse: the syntax error with its frame, nothing allocated', async () => {
    const html = await report('mutable int32 x = ;\n');
    expect(html).toContain('The run stopped: syntax_error');
    expect(html).toContain('<mark>');
    expect(html).toContain('The program did not run: nothing was allocated.');
    expect(html).toContain('the start (the program did not run)');
  });

  it('draws at most MEMBRANES_SHOWN membranes and says how many more there are', async () => {
    const n = MEMBRANES_SHOWN + 37;
    const lines = ['mutable dag s;', 'mutable dag root = membrane<quota<100000, 50000, 50000>> s;'];
    for (let i = 0; i < n - 1; i++) lines.push(`mutable dag m${i} = membrane<quota<1, 0, 0>> root;`);
    const result = runProgram({ file: 'p.merge', source: lines.join('\n') + '\n' }, { timeline: true });
    expect(result.error).toBeNull();
    const html = await runReportHtml({ file: 'p.merge', result });
    expect(html.match(/<li class="membrane /g)).toHaveLength(MEMBRANES_SHOWN);
    expect(html).toContain(`… and 37 more membranes, not drawn`);
  });

  it('cuts long output and says so; says when the timeline was not recorded', async () => {
    const html = await report(`mutable int i = 0;\nwhile i < 3000 { i += 1; cout "0123456789" endl; };\n`, false);
    expect(html).toContain(`${3000 * 11 - OUTPUT_SHOWN} more characters not shown`);
    expect(html).toContain('Not recorded (the run was made without its charge timeline).');
  });
});

/** The tiles of a `facts` list inside `html`: name → text (tags dropped, entities decoded). */
function tiles(html: string): Map<string, string> {
  const text = (h: string) => h.replace(/<[^>]+>/g, '').replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))).replace(/&lt;/g, '<').replace(/&gt;/g, '>');
  return new Map([...html.matchAll(/<dt>(.*?)<\/dt><dd>(.*?)<\/dd>/g)].map((m) => [text(m[1] as string), text(m[2] as string)]));
}

/** The HTML of the element with attribute `attr` (a div), up to the next such element or the section's end. */
function card(html: string, attr: string): string {
  const start = html.indexOf(attr);
  expect(start, attr).toBeGreaterThan(-1);
  const next = html.indexOf('<div class="vec', start + attr.length);
  return html.slice(start, next === -1 ? html.indexOf('</section>', start) : next);
}

describe('run report sections', () => {
  it('each vectorize: its FnCost, the verdict, the decision and the rows kept, discarded and abandoned', async () => {
    const memo = tempDir();
    let verdicts = 0;
    // The seed twice with a memo store (the second run has an entry: a verdict decides), and a vectorize that fails.
    for (const [file, withMemo] of [['examples/seed-part17.merge', true], ['examples/seed-part17.merge', true], ['examples/vectorize-quota.merge', false]] as const) {
      const engine = new VectorizeEngine(withMemo ? { memo: folderMemo(memo), machine: fixedMachine() } : {});
      const result = runProgram({ file }, { timeline: true, vectorize: engine.hook });
      expect(engine.reports.length).toBeGreaterThan(0);
      const html = await runReportHtml({ file, result, vectorize: engine.reports });
      expect(html).toContain('<section id="vectorize"><h2>vectorize</h2><figure><svg');
      for (const [i, v] of engine.reports.entries()) {
        const facts = tiles(card(html, `data-vectorize="${i + 1}"`));
        expect(facts.get('rows kept / discarded / abandoned'), file).toBe(`${v.kept} / ${v.discarded} / ${v.abandoned} of ${v.rows}`);
        expect(facts.get('decision')).toBe(`${v.decision} (${v.reason})`);
        expect(facts.get('result')).toBe(v.result ?? 'none');
        if (v.cost) {
          expect(facts.get('W (operations)')).toMatch(/^\d/);
          for (const k of ['Q (bytes moved)', 'M (peak memory)', 'R (result bytes)']) expect(facts.get(k), k).toMatch(/^\d[\d.,]* ?[KMGT]?i?B$/);
        } else {
          expect(facts.get('FnCost')).toBe('unknown: not every row computed');
        }
        if (v.verdict) {
          verdicts++;
          for (const k of ['t_compute', 't_fetch', 'score']) expect(facts.get(k), k).toMatch(/ s$|inf$/);
          expect(facts.get('bottleneck')).toBe(v.verdict.bottleneck);
        }
      }
      if (!result.ok) expect(card(html, 'data-vectorize="1"')).toContain('<p class="bad">quota_error: ');
    }
    expect(verdicts).toBeGreaterThan(0);
    rmSync(memo, { recursive: true, force: true });
  });

  it('dataframes: rows and whether each is frozen', async () => {
    const result = runProgram({ file: 'examples/dataframe-growth.merge' }, { timeline: true });
    const html = await runReportHtml({ file: 'examples/dataframe-growth.merge', result });
    expect(result.dataframes.length).toBeGreaterThan(0);
    for (const d of result.dataframes) expect(html).toContain(`<tr><td><code>${d.name}</code></td><td class="num">${d.rows}</td><td>${d.frozen ? 'frozen' : 'open'}</td></tr>`);
    expect(html).toContain('<td>frozen</td>');
  });
});

/** Text-heavy: string bytes are 1 byte under every profile but priced at each profile's point size (unlike the basket). */
const TEXTS = `mutable dag docs;\n${Array.from({ length: 12 }, (_, i) => `mutable string docs.p${i} = "${'lorem ipsum dolor sit amet '.repeat(8)}";`).join('\n')}\n`;
/** A quota membrane whose dataframe fills up: how many rows fit depends on the profile's prices. */
const FILLS = 'mutable dag store;\nshared mutable dag box = membrane<quota<24, 24, 0>> store;\nmutable dataframe box.log string msg, int32 n;\nfunction fill()::{ box; }{\n  mutable int32 i = 0;\n  while true {\n    i += 1;\n    box.log("entry number" i);\n  };\n}!!{\n};\nfill();\n';

/** The rows of the breakdown table: [part, points under hi, under lo, gap, share]. */
function breakdownRows(html: string): string[][] {
  const table = /<table class="breakdown">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  return [...table.matchAll(/<tr>(<td[\s\S]*?)<\/tr>/g)].map((m) => [...(m[1] as string).matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => (c[1] as string).replace(/<[^>]+>/g, '')));
}

describe('compare report: what makes the spread', () => {
  const warnSpread = standardBasket().basket.warnSpread;

  it('each part of the gap with its points under the dearest and the cheapest profile and its share; the MRG4052 warning', async () => {
    const runs = compareProfiles({ file: 't.merge', source: TEXTS }, shippedProfiles());
    const p = comparePortability('t.merge', runs, warnSpread);
    const b = p.breakdown!;
    expect(b).not.toBeNull();
    const html = await compareReportHtml({ file: 't.merge', runs });
    const rows = breakdownRows(html);
    const shown = b.parts.slice(0, PARTS_SHOWN);
    expect(rows.map((r) => r[0])).toEqual([...shown.map((x) => x.kind), ...(b.parts.length > PARTS_SHOWN ? [`${b.parts.length - PARTS_SHOWN} other parts`] : [])]);
    shown.forEach((x, i) => expect(rows[i]).toEqual([x.kind, x.hiPoints.toFixed(3), x.loPoints.toFixed(3), (x.hiPoints - x.loPoints).toFixed(3), `${(x.share * 100).toFixed(1)}%`]));
    expect(rows[0]![0]).toBe('string_byte');
    const total = rows.reduce((a, r) => a + Number.parseFloat(r[4] as string), 0);
    expect(Math.abs(total - 100)).toBeLessThanOrEqual(0.05 * rows.length);
    expect(html).toContain(`<b>${b.hi}</b> (${(b.hiMp / 1000).toFixed(3)} points), costs ${b.spread.toFixed(3)}× the cheapest, <b>${b.lo}</b>`);
    expect(html).toMatch(/<section id="breakdown"><h2>What makes the spread<\/h2>[\s\S]*<figure><svg role="img" aria-label="Bar chart: each part&#39;s share of the points gap/);
    // The program is unlike the basket: the warning, as the command prints it.
    expect(p.warning?.code).toBe('MRG4052');
    expect(html).toContain(`<div class="warning" id="unlike"><p><b>MRG4052 program unlike the basket</b>: ${esc(p.warning!.message)}</p>`);
  });

  it('runs that did different work: said per profile, and the spread flagged as comparing different work', async () => {
    const runs = compareProfiles({ file: 'f.merge', source: FILLS }, shippedProfiles());
    const p = comparePortability('f.merge', runs, warnSpread);
    expect(p.outcomesDiffer).toBe(true);
    const html = await compareReportHtml({ file: 'f.merge', runs, portability: p });
    expect(html).toContain(`<ul class="differences">${p.differences.map((d) => `<li>${esc(d)}</li>`).join('')}</ul>`);
    if (p.breakdown) expect(html).toContain('so this spread compares different work');
  });

  it('a basket-like program: no warning; one profile: no spread to explain', async () => {
    const runs = compareProfiles({ file: 'examples/compare-profiles.merge' }, shippedProfiles());
    const html = await compareReportHtml({ file: 'examples/compare-profiles.merge', runs });
    expect(html).not.toContain('id="unlike"');
    const one = compareProfiles({ file: 'examples/compare-profiles.merge' }, ['jvm']);
    const alone = await compareReportHtml({ file: 'examples/compare-profiles.merge', runs: one });
    expect(alone).toContain('<section id="breakdown"><h2>What makes the spread</h2><p class="muted">No spread to explain: fewer than two profiles ran.</p></section>');
  });
});

describe('compare report page', () => {
  it('a profile that cannot be used has its row and ending, no amounts, and stays out of the spread', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'merg-e-profile-'));
    writeFileSync(join(dir, 'broken.json'), '{"name": "broken"}');
    const runs = compareProfiles({ file: 'p.merge', source: 'mutable int32 x = 1;\n' }, ['cpython-dev', 'jvm', join(dir, 'broken.json')]);
    expect(runs.map((r) => r.ran)).toEqual([true, true, false]);
    const html = await compareReportHtml({ file: 'p.merge', runs });
    expect(html).toMatch(/<tr data-profile="broken" class="differs"><td>broken<\/td><td class="num">n\/a<\/td><td class="num">n\/a<\/td><td>MRG4010: the profile cannot be used<\/td><\/tr>/);
    expect(html).toContain('the profile cannot be used</span> — MRG4010');
    expect(html).not.toContain('<th class="num">broken</th>');
    expect(html).toMatch(/spread of RAM-points \(max\/min\)<\/dt><dd>\d+\.\d{3}×/);
  });

  it('holds no script and nothing to fetch; names the profiles that ended differently', async () => {
    const source = 'mutable dag vault;\nmutable dag ring = membrane<quota<7, 7, 0>> vault;\nmutable int2048 ring.a = 1;\nmutable int2048 ring.b = 2;\nmutable int2048 ring.c = 3;\n';
    const runs = compareProfiles({ file: 'p.merge', source }, ['cpython-dev', 'v8-measured']);
    expect(runs.map((r) => r.result.ok)).toEqual([false, true]);
    const html = await compareReportHtml({ file: 'p.merge', runs });
    expect(fetchable(html)).toEqual([]);
    expect(html).toContain('The profiles ended differently (2 different endings)');
    expect(html).toMatch(/<tr data-profile="(cpython-dev|v8-measured)" class="differs">/);
  });
});
