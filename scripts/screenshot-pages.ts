// The pages whose screenshots the README shows: a run report and a compare report of two examples.
// `npm run screenshots` renders them to PNG (scripts/screenshots.ts); test/report/screenshots.test.ts
// builds them again and fails when a page is no longer the one its PNG was taken of (the pages are
// deterministic: same program, same HTML, byte for byte).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { compareReportHtml, runReportHtml } from '../src/report/index.js';
import { compareProfiles, shippedProfiles } from '../src/runtime/compare.js';
import { runProgram } from '../src/runtime/run.js';
import { VectorizeEngine } from '../src/runtime/vectorize/engine.js';

/** The checkout (this file is scripts/ in the sources and dist/scripts/ when built). */
export const ROOT = (() => {
  const here = dirname(fileURLToPath(import.meta.url));
  return here.endsWith(join('dist', 'scripts')) ? join(here, '..', '..') : join(here, '..');
})();

export const SHOTS_DIR = join(ROOT, 'docs', 'img');
export const MANIFEST = join(SHOTS_DIR, 'screenshots.json');

export interface ShotPage {
  /** PNG file name in docs/img. */
  png: string;
  /** The example it shows (relative to the checkout). */
  example: string;
  html: string;
}

/** The manifest: per PNG, the example and the sha256 of the HTML it was taken of. */
export type Manifest = Record<string, { example: string; htmlSha256: string }>;

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function source(example: string): { file: string; source: string } {
  return { file: example, source: readFileSync(join(ROOT, example), 'utf8') };
}

export async function screenshotPages(): Promise<ShotPage[]> {
  const runFile = 'examples/quota-stack.merge';
  const engine = new VectorizeEngine();
  const result = runProgram(source(runFile), { timeline: true, moduleDir: join(ROOT, 'examples'), vectorize: engine.hook });
  const cmpFile = 'examples/profile-endings.merge';
  const runs = compareProfiles(source(cmpFile), shippedProfiles(), { moduleDir: join(ROOT, 'examples') });
  return [
    { png: 'run-report.png', example: runFile, html: await runReportHtml({ file: runFile, result, vectorize: engine.reports }) },
    { png: 'compare-report.png', example: cmpFile, html: await compareReportHtml({ file: cmpFile, runs }) },
  ];
}

export function manifestOf(pages: readonly ShotPage[]): Manifest {
  return Object.fromEntries(pages.map((p) => [p.png, { example: p.example, htmlSha256: sha256(p.html) }]));
}
