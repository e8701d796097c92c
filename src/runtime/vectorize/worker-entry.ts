// Where a worker thread's code is. From dist/ it is the compiled `.js` beside the module that starts
// it (beside the bundled command line in dist/bin, its own bundle: scripts/build.mjs). From TypeScript sources (tests under vitest) it is the `.ts` file bundled once with esbuild (a dev
// dependency) into node_modules/.cache, so the worker runs the same sources the tests do; packages
// stay imports, resolved from there as from the project.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { writeFileAtomic } from '../../atomic-write.js';

const entries = new Map<string, URL>();

/** The entry of worker `name` (a path without extension, relative to `from`, the caller's import.meta.url). */
export function workerEntry(from: string, name: string): URL {
  const known = entries.get(`${from} ${name}`);
  if (known) return known;
  let entry: URL;
  if (!from.endsWith('.ts')) {
    entry = new URL(`${name}.js`, from);
    // A missing file would only be reported by the worker's 'error' event, which a blocked thread never sees.
    if (!existsSync(fileURLToPath(entry))) throw new Error(`the worker code ${fileURLToPath(entry)} is missing: rebuild with npm run build`);
  } else {
    const source = fileURLToPath(new URL(`${name}.ts`, from));
    const require = createRequire(from);
    const esbuild = require('esbuild') as typeof import('esbuild');
    const out = esbuild.buildSync({ entryPoints: [source], bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', write: false, logLevel: 'silent' });
    const code = out.outputFiles[0]?.text ?? '';
    let root = dirname(source);
    while (!existsSync(join(root, 'package.json')) && dirname(root) !== root) root = dirname(root);
    const base = name.split('/').pop() as string;
    const file = join(root, 'node_modules', '.cache', 'merg-e-sim', `vectorize-${base}-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`);
    if (!existsSync(file)) writeFileAtomic(file, code, { mkdir: true });
    entry = pathToFileURL(file);
  }
  entries.set(`${from} ${name}`, entry);
  return entry;
}
