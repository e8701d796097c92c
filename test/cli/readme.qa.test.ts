// QA: the sample outputs of deterministic commands in the README and docs/ are what the commands print today.
import { readdirSync, readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { mergE } from './helpers.js';

const PAGES = ['README.md', ...readdirSync('docs').filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)].map((f) => readFileSync(f, 'utf8'));

/** The lines of the fenced block (in the README or docs/) that shows `$ merg-e ARGS`, without elided (`…`) lines. */
function sample(args: string): string[] {
  const page = PAGES.find((p) => p.includes(`$ merg-e ${args}\n`));
  expect(page, `README or docs/ shows \`$ merg-e ${args}\``).toBeDefined();
  const body = page!.slice(page!.indexOf(`$ merg-e ${args}\n`)).split('\n').slice(1);
  const end = body.findIndex((l) => l.startsWith('```'));
  return body.slice(0, end).filter((l) => l.trim() !== '…');
}

describe('README and docs/ sample outputs', () => {
  it('merg-e compare examples/compare-profiles.merge', async () => {
    const { code, io } = await mergE(['compare', 'examples/compare-profiles.merge']);
    expect(code).toBe(0);
    expect(io.stdout.trimEnd().split('\n')).toEqual(sample('compare examples/compare-profiles.merge'));
  });

  it('merg-e run --report examples/dataframe-growth.merge (the report on stderr)', async () => {
    const { code, io } = await mergE(['run', '--report', 'examples/dataframe-growth.merge']);
    expect(code).toBe(0);
    const shown = sample('run --report examples/dataframe-growth.merge');
    expect(shown.length).toBeGreaterThan(4);
    const report = io.stderr.split('\n');
    for (const line of shown) expect(report).toContain(line);
  });

  it('merg-e compare baskets/corpus/doc-article.merge (Portability: the breakdown, and MRG4052 on stderr)', async () => {
    const { code, io } = await mergE(['compare', 'baskets/corpus/doc-article.merge']);
    expect(code).toBe(0);
    const shown = sample('compare baskets/corpus/doc-article.merge');
    const warning = shown.filter((l) => l.startsWith('MRG4052'));
    expect(warning).toHaveLength(1);
    expect(io.stdout.trimEnd().split('\n')).toEqual(shown.filter((l) => !l.startsWith('MRG4052')));
    expect(io.stderr.split('\n')).toContain(warning[0]);
  });

  it('merg-e basket fit --corpus baskets/corpus (Portability: the fit on the project corpus)', async () => {
    const { code, io } = await mergE(['basket', 'fit', '--corpus', 'baskets/corpus']);
    expect([code, io.stderr]).toEqual([0, '']);
    expect(io.stdout.trimEnd().split('\n')).toEqual(sample('basket fit --corpus baskets/corpus'));
  });

  it('merg-e run --report examples/scopes.merge (output, then the report on stderr)', async () => {
    const { code, io } = await mergE(['run', '--report', 'examples/scopes.merge']);
    expect(code).toBe(0);
    const shown = sample('run --report examples/scopes.merge');
    const printed = [...io.stdout.split('\n'), ...io.stderr.split('\n')];
    expect(shown.length).toBeGreaterThan(8);
    for (const line of shown) expect(printed).toContain(line);
  });
});
