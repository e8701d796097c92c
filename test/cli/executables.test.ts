// The built executables as a user runs them: with their run bit, as the interpreter of a script's
// `#!/usr/bin/env merg-e` line, reading a pipe, and colouring each stream as that stream asks.
// They run from dist/: `npm run build` (which `npm ci` runs) must come first, as in CI.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import module from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { CODES, diagnostic, formatDiagnostic } from '../../src/diagnostics.js';
import { expectBlock } from '../examples.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: Record<string, string>; version: string };
const bin = (name: string) => join(root, pkg.bin[name]!);

function run(file: string, args: string[], opts: SpawnSyncOptions = {}) {
  const r = spawnSync(file, args, { encoding: 'utf8', cwd: root, timeout: 60_000, ...opts });
  return { status: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

describe.skipIf(process.platform === 'win32')('the executables', () => {
  it('are built, and have their run bit', () => {
    for (const name of Object.keys(pkg.bin)) {
      expect(existsSync(bin(name)), `${bin(name)} is missing: run npm run build`).toBe(true);
      expect(statSync(bin(name)).mode & 0o111, name).not.toBe(0);
      expect(readFileSync(bin(name), 'utf8').startsWith('#!/usr/bin/env node\n'), name).toBe(true);
    }
  });

  it('run an example through its #!/usr/bin/env merg-e line', () => {
    const path = mkdtempSync(join(tmpdir(), 'merg-e-path-'));
    symlinkSync(bin('merg-e'), join(path, 'merg-e'));
    const example = join(root, 'examples', 'seed-part17.merge');
    expect(readFileSync(example, 'utf8').startsWith('#!/usr/bin/env merg-e\n')).toBe(true);
    expect(statSync(example).mode & 0o111).not.toBe(0);
    const r = run(example, [], { env: { ...process.env, PATH: `${path}:${process.env['PATH'] ?? ''}` } });
    expect(r.stderr).not.toMatch(/ error: /); // the seed's snippet has MRG1011 warnings on purpose
    expect(r.status).toBe(0);
    const expected = expectBlock(readFileSync(example, 'utf8'));
    expect(r.stdout).toBe(expected!.lines.map((l) => l + '\n').join(''));
  });

  it('read a program from a pipe with -', () => {
    const r = run(bin('merg-e'), ['-'], { input: 'cout "piped" endl;\n' });
    expect([r.status, r.stdout, r.stderr]).toEqual([0, 'piped\n', '']);
  });

  it("keep a compile cache in the user's cache folder, and run the same with it, without it and with a broken one", () => {
    const cache = mkdtempSync(join(tmpdir(), 'merg-e-cache-'));
    const env = { ...process.env, MERG_E_CACHE_DIR: cache };
    const example = join(root, 'examples', 'grafts.merge');
    const first = run(bin('merg-e'), ['run', example], { env });
    const files = () => readdirSync(join(cache, 'compile'), { recursive: true }).map(String);
    expect(files().length).toBeGreaterThan(0);
    // Writing it ran the examples in-process first (src/cli/warm-up.ts): nothing else was written.
    expect(readdirSync(cache)).toEqual(['compile']);
    const second = run(bin('merg-e'), ['run', example], { env });
    expect(second).toEqual(first);
    if (typeof (module as { enableCompileCache?: unknown }).enableCompileCache !== 'function') {
      // Node 20: our own V8 code cache, one file per bundle; a broken one is replaced, not trusted.
      const [file] = files().filter((f) => f.startsWith('merg-e.cjs-'));
      // Named merg-e.cjs-PLACE-SIZE-MTIME-V8TAG.v8: an older build here is deleted when a new cache is
      // written, another install's cache (another place) is kept.
      const place = file!.split('-').slice(0, 3).join('-');
      writeFileSync(join(cache, 'compile', `${place}-1-2-3.v8`), 'an older build');
      writeFileSync(join(cache, 'compile', 'merg-e.cjs-0123456789ab-1-2-3.v8'), 'another install');
      writeFileSync(join(cache, 'compile', file!), 'not a code cache');
      expect(run(bin('merg-e'), ['run', example], { env })).toEqual(first);
      expect(statSync(join(cache, 'compile', file!)).size).toBeGreaterThan(1000);
      expect(files().filter((f) => f.startsWith('merg-e.cjs-')).sort()).toEqual([file!, 'merg-e.cjs-0123456789ab-1-2-3.v8'].sort());
    }
    expect(first.status).toBe(0);
  });

  it('in a checkout that was never built, say so (MRG4070, exit 70) instead of a stack trace', () => {
    const checkout = mkdtempSync(join(tmpdir(), 'merg-e-unbuilt-'));
    cpSync(join(root, 'bin'), join(checkout, 'bin'), { recursive: true });
    writeFileSync(join(checkout, 'package.json'), JSON.stringify({ type: 'module' }));
    for (const name of Object.keys(pkg.bin)) {
      const d = diagnostic('MRG4070', `${name}: merg-e-sim is not built (dist/bin/launch.js is missing)`, undefined, CODES.MRG4070.hint);
      expect(run(join(checkout, pkg.bin[name]!), ['--version'])).toEqual({ status: 70, stdout: '', stderr: formatDiagnostic(d) + '\n' });
    }
  });

  it('print the version', () => {
    for (const name of Object.keys(pkg.bin)) expect(run(bin(name), ['--version']).stdout).toContain(`${name} ${pkg.version} `);
  });

  it('colour stderr when FORCE_COLOR asks, and never with NO_COLOR or TERM=dumb on a pipe', () => {
    const env = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, TERM: 'xterm' };
    const forced = run(bin('merg-e'), ['run', 'nope.merge'], { env: { ...env, FORCE_COLOR: '1' } });
    expect(forced.status).toBe(2);
    expect(forced.stderr).toContain('\x1b[');
    for (const extra of [{ NO_COLOR: '1' }, { TERM: 'dumb' }, {}]) {
      expect(run(bin('merg-e'), ['run', 'nope.merge'], { env: { ...env, ...extra } }).stderr).not.toContain('\x1b[');
    }
  });
});

describe('package imports in the bundles', () => {
  // The bundles run as a vm.Script on Node 20 (src/cli/launch.ts), where an import() of a package
  // written in them prints Node's ExperimentalWarning to the user: they go through importPackage.
  it('every import() of a package in src goes through src/package-import.ts', () => {
    // The Redis connection's code runs in its own worker thread (dist/bin/redis-worker.js), not a vm.Script.
    const own = new Set(['package-import.ts', join('runtime', 'vectorize', 'memo', 'redis-serve.ts')]);
    const files = (readdirSync(join(root, 'src'), { recursive: true }) as string[]).filter((f) => f.endsWith('.ts') && !own.has(f));
    const bare = /(?<!typeof )\bimport\(\s*'(?![./]|node:)[^']+'\s*\)/;
    for (const f of files) expect(readFileSync(join(root, 'src', f), 'utf8'), f).not.toMatch(bare);
  });
});
