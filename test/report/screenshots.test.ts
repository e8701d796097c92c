// The README's report screenshots are of the pages the code makes today: each PNG's manifest entry
// names the sha256 of the HTML it was taken of, and that HTML is built again here (no browser needed).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { MANIFEST, manifestOf, ROOT, screenshotPages, SHOTS_DIR, type Manifest } from '../../scripts/screenshot-pages.js';

describe('README screenshots', () => {
  it('are current (run `npm run screenshots` if this fails)', async () => {
    const pages = await screenshotPages();
    const recorded = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Manifest;
    expect(recorded).toEqual(manifestOf(pages));
    for (const p of pages) expect(existsSync(join(SHOTS_DIR, p.png)), p.png).toBe(true);
  });

  it('are shown in the README', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const png of Object.keys(JSON.parse(readFileSync(MANIFEST, 'utf8')) as Manifest)) expect(readme).toContain(`docs/img/${png}`);
  });

  it('the pages are deterministic: built twice, the same bytes', async () => {
    const [a, b] = [await screenshotPages(), await screenshotPages()];
    expect(a.map((p) => p.html)).toEqual(b.map((p) => p.html));
  });
});
