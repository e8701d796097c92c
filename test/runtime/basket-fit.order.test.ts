// corpusFiles sorts what a folder lists. This machine's file system lists names sorted whatever order
// they were made in, so here the listing is handed over reversed, as another file system may give it.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { expect, it, vi } from 'vitest';

import { corpusFiles } from '../../src/runtime/basket-fit.js';

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const reversed = (...args: Parameters<typeof fs.readdirSync>) => [...(fs.readdirSync(...args) as unknown as string[])].reverse();
  return { ...fs, readdirSync: reversed, default: { ...fs, readdirSync: reversed } };
});

it('lists a corpus folder in name order, whatever order the file system gives', () => {
  const dir = mkdtempSync(join(tmpdir(), 'merg-e-corpus-'));
  const cf = join(dir, 'cf');
  mkdirSync(cf);
  for (const name of ['a.merge', 'b.mrg', 'c.merge']) writeFileSync(join(cf, name), 'cout 1 endl;\n');
  expect(corpusFiles(['cf'], dir)).toEqual([join(cf, 'a.merge'), join(cf, 'b.mrg'), join(cf, 'c.merge')]);
});
