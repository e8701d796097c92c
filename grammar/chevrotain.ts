// Chevrotain at runtime, loaded from the single-file bundle the package ships (lib/chevrotain.min.mjs).
// Why: the package's `exports` entry loads ~200 small ES modules (lodash-es), which costs ~250 ms of
// startup; the bundle is the same 11.2.0 code in one file and loads in ~20 ms. Types still come from
// the package. Falls back to the normal entry if the bundle is ever missing.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

type Chevrotain = typeof import('chevrotain');

async function load(): Promise<Chevrotain> {
  const entry = createRequire(import.meta.url).resolve('chevrotain'); // …/chevrotain/lib/src/api.js
  const bundle = join(dirname(entry), '..', 'chevrotain.min.mjs');
  if (existsSync(bundle)) return (await import(pathToFileURL(bundle).href)) as Chevrotain;
  return import('chevrotain');
}

export const chevrotain: Chevrotain = await load();
