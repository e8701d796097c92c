// The report pages as text (no browser): self-contained, escaped, bounded, and saying what happened
// when the program did not run or made thousands of membranes.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { compareReportHtml, runReportHtml } from '../../src/report/index.js';
import { MEMBRANES_SHOWN, OUTPUT_SHOWN } from '../../src/report/run-page.js';
import { compareProfiles } from '../../src/runtime/compare.js';
import { runProgram } from '../../src/runtime/run.js';

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
