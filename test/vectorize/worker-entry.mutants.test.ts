// Where a worker thread's code comes from, with hand-checked paths: from a compiled module the `.js`
// beside it (a missing one is a clear error, not a thread that never starts); from TypeScript sources
// the file bundled with esbuild into the project's node_modules/.cache/merg-e-sim, named after the
// first 16 hex digits of the bundle's sha256; each entry worked out once per caller and name.
// The projects here are folders under this checkout's node_modules/.cache (esbuild must resolve from
// them), removed again at the end.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

import { workerEntry } from '../../src/runtime/vectorize/worker-entry.js';

const CACHE = fileURLToPath(new URL('../../node_modules/.cache/', import.meta.url));
mkdirSync(CACHE, { recursive: true });
const made: string[] = [];

/** A fresh folder: a project with a package.json at its top. */
function project(): string {
  const dir = mkdtempSync(join(CACHE, 'worker-entry-test-'));
  made.push(dir);
  writeFileSync(join(dir, 'package.json'), '{"name":"p","type":"module"}\n');
  return dir;
}

afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

describe('workerEntry from a compiled module', () => {
  it('is the .js file of that name beside the caller', () => {
    const dir = project();
    writeFileSync(join(dir, 'w.js'), 'export {};\n');
    const from = pathToFileURL(join(dir, 'caller.js')).href;
    const url = workerEntry(from, './w');
    expect(url.href).toBe(pathToFileURL(join(dir, 'w.js')).href);
    // Worked out once: asked again it is the same URL, even with the file gone.
    unlinkSync(join(dir, 'w.js'));
    expect(workerEntry(from, './w')).toBe(url);
  });

  it('a missing file is an error that says what to do', () => {
    const dir = project();
    const from = pathToFileURL(join(dir, 'caller.js')).href;
    expect(() => workerEntry(from, './nope')).toThrow(new Error(`the worker code ${join(dir, 'nope.js')} is missing: rebuild with npm run build`));
  });

  it('each name of one caller is its own entry', () => {
    const dir = project();
    writeFileSync(join(dir, 'a.js'), 'export {};\n');
    writeFileSync(join(dir, 'b.js'), 'export {};\n');
    const from = pathToFileURL(join(dir, 'caller.js')).href;
    expect(workerEntry(from, './a').href).toBe(pathToFileURL(join(dir, 'a.js')).href);
    expect(workerEntry(from, './b').href).toBe(pathToFileURL(join(dir, 'b.js')).href);
  });
});

describe('workerEntry from TypeScript sources', () => {
  it('bundles the .ts file (its relative imports inlined, packages and built-ins left as imports) into the project\'s cache folder', () => {
    const dir = project();
    const src = join(dir, 'src', 'deep');
    mkdirSync(src, { recursive: true });
    writeFileSync(join(src, 'helper.ts'), 'export const answer: number = 6 * 7;\n');
    writeFileSync(join(src, 'w.ts'), "import { existsSync } from 'node:fs';\nimport { EOF } from 'chevrotain';\nimport { answer } from './helper.js';\nexport const seen: boolean = existsSync('/') && answer === 42 && EOF !== undefined;\n");
    const url = workerEntry(pathToFileURL(join(src, 'caller.ts')).href, './w');
    const file = fileURLToPath(url);
    const code = readFileSync(file, 'utf8');
    const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
    // The project's top is the folder with package.json, two levels above the source.
    expect(file).toBe(join(dir, 'node_modules', '.cache', 'merg-e-sim', `vectorize-w-${hash}.mjs`));
    expect(code).toMatch(/import \{ existsSync \} from "node:fs";/);
    expect(code).toMatch(/import \{ EOF \} from "chevrotain";/);
    expect(code).toContain('6 * 7');
    expect(code).not.toContain('./helper');
    expect(code).not.toContain(': number');
    expect(code).toMatch(/^export \{\n {2}seen\n\};$/m);
  });

  it('a name with folders is filed under its last part', () => {
    const dir = project();
    mkdirSync(join(dir, 'src', 'sub'), { recursive: true });
    writeFileSync(join(dir, 'src', 'sub', 'job.ts'), 'export const one = 1;\n');
    const file = fileURLToPath(workerEntry(pathToFileURL(join(dir, 'src', 'caller.ts')).href, './sub/job'));
    expect(file.startsWith(join(dir, 'node_modules', '.cache', 'merg-e-sim', 'vectorize-job-'))).toBe(true);
    expect(file).toMatch(/vectorize-job-[0-9a-f]{16}\.mjs$/);
    expect(existsSync(file)).toBe(true);
  });
});
