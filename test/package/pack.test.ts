// The package as a user gets it: `npm pack`, installed into a fresh project without the network (the
// tarball, and its dependencies from npm's cache by the versions and hashes in our lockfile), then a
// strict TypeScript consumer type-checks and an ESM consumer runs. Needs dist/ (npm run build).
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, unknown>;
  bin: Record<string, string>;
  engines: Record<string, string>;
  files: string[];
};
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function sh(cmd: string, args: string[], cwd: string) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 120_000, env: { ...process.env, npm_config_update_notifier: 'false' } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

type LockEntry = { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>; dev?: boolean; peer?: boolean; devOptional?: boolean };

/**
 * A lockfile for the consumer: the tarball, fast-check, and every package they need, copied from our
 * own lockfile (same versions, URLs and hashes), so `npm ci --offline` takes them from npm's cache.
 */
function consumerLock(tarball: string): object {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const find = (from: string, name: string): string | null => {
    for (let base = from; ; ) {
      const key = `${base ? `${base}/` : ''}node_modules/${name}`;
      if (lock.packages[key]) return key;
      if (!base) return null;
      const i = base.lastIndexOf('/node_modules/');
      base = i < 0 ? '' : base.slice(0, i);
    }
  };
  const dependencies = { [pkg.name]: `file:${tarball}`, 'fast-check': pkg.devDependencies['fast-check']! };
  const packages: Record<string, unknown> = { '': { name: 'consumer', dependencies } };
  const queue = [...Object.keys(pkg.dependencies), 'fast-check'].map((n) => find('', n));
  while (queue.length > 0) {
    const key = queue.shift();
    if (key === null || key === undefined || packages[key]) continue;
    const { dev: _dev, peer: _peer, devOptional: _devOptional, ...entry } = lock.packages[key]!;
    packages[key] = entry;
    for (const d of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) queue.push(find(key, d));
  }
  const { dependencies: deps, peerDependencies, peerDependenciesMeta, bin, engines, version } = pkg;
  packages[`node_modules/${pkg.name}`] = { version, resolved: `file:${tarball}`, license: 'MIT', dependencies: deps, peerDependencies, peerDependenciesMeta, bin, engines };
  return { name: 'consumer', lockfileVersion: 3, requires: true, packages };
}

/**
 * The library samples of the README and docs/: every ```ts block that imports merg-e-sim (and not a
 * test runner: docs/testing.md's example has its own test), as a file name and its text.
 */
function librarySamples(): { name: string; text: string }[] {
  const docs = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
  const samples: { name: string; text: string }[] = [];
  for (const doc of docs) {
    const blocks = readFileSync(join(root, doc), 'utf8').split('\n```ts\n').slice(1).map((b) => b.slice(0, b.indexOf('\n```')));
    blocks.forEach((text, i) => {
      if (/from 'merg-e-sim(\/\w+)?'/.test(text) && !/from 'vitest'/.test(text)) samples.push({ name: `${doc.replace(/\W/g, '_')}_${i + 1}`, text: `${text}\n` });
    });
  }
  return samples;
}

let project: string;
let files: string[];

beforeAll(() => {
  expect(existsSync(join(root, 'dist', 'src', 'index.js')), 'dist/ is missing: run npm run build').toBe(true);
  project = mkdtempSync(join(tmpdir(), 'merg-e-consumer-'));
  // --ignore-scripts: dist/ is built already; pack must not rebuild it under the test.
  const packed = JSON.parse(sh(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', project], root)) as { filename: string; files: { path: string }[] }[];
  const tarball = packed[0]!.filename;
  files = packed[0]!.files.map((f) => f.path);
  const lock = consumerLock(tarball) as { packages: { '': { dependencies: Record<string, string> } } };
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies: lock.packages[''].dependencies }, null, 2));
  writeFileSync(join(project, 'package-lock.json'), JSON.stringify(lock, null, 2));
  sh(npm, ['ci', '--offline', '--no-audit', '--no-fund'], project);
  copyFileSync(join(here, 'consumer.ts'), join(project, 'consumer.ts'));
  copyFileSync(join(here, 'consumer.mjs'), join(project, 'consumer.mjs'));
  // The samples name example programs as a checkout does (examples/…).
  cpSync(join(project, 'node_modules', pkg.name, 'examples'), join(project, 'examples'), { recursive: true });
}, 240_000);

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('holds the library, its declarations, the baskets, the examples, the grammar artifacts, README and LICENSE, and nothing else', () => {
    for (const f of ['package.json', 'README.md', 'LICENSE', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/model/index.d.ts', 'dist/src/coren/index.d.ts', 'dist/src/testing/index.d.ts', 'baskets/runtimes/cpython-dev.json', 'baskets/standard/basket.json', 'examples/grafts.merge', 'grammar/merg-e.html', 'grammar/merg-e.grammar.json']) {
      expect(files, f).toContain(f);
    }
    for (const f of pkg.files) expect(files.some((p) => p === f || p.startsWith(`${f}/`)), f).toBe(true);
    expect(files.filter((f) => /^(test|bench|scripts|src|node_modules)\//.test(f) || f.startsWith('dist/test') || f.startsWith('dist/bench') || (f.endsWith('.ts') && !f.endsWith('.d.ts')))).toEqual([]);
  });

  const strictOptions = {
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: false,
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    target: 'ES2022',
    lib: ['ES2023'],
    types: ['node'],
    typeRoots: [join(root, 'node_modules', '@types')],
  };
  const tsc = (config: string) => spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', config], { cwd: project, encoding: 'utf8' });

  it('type-checks and runs every library sample of the README and docs/ as written', () => {
    const samples = librarySamples();
    expect(samples.length).toBeGreaterThan(2);
    for (const { name, text } of samples) writeFileSync(join(project, `${name}.ts`), text);
    writeFileSync(join(project, 'samples.tsconfig.json'), JSON.stringify({ compilerOptions: { ...strictOptions, outDir: 'samples-out' }, files: samples.map((x) => `${x.name}.ts`) }));
    const r = tsc('samples.tsconfig.json');
    expect(r.stdout + r.stderr).toBe('');
    for (const { name } of samples) {
      const ran = spawnSync(process.execPath, [join('samples-out', `${name}.js`)], { cwd: project, encoding: 'utf8', env: { ...process.env, MERG_E_CACHE_DIR: join(project, 'cache') } });
      expect({ name, status: ran.status, stderr: ran.stderr }).toEqual({ name, status: 0, stderr: '' });
    }
  });

  it('type-checks a strict TypeScript consumer against every entry point', () => {
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...strictOptions, noEmit: true }, files: ['consumer.ts'] }));
    const r = tsc('tsconfig.json');
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('runs an ESM consumer: parse, run, a membrane\'s usage, an FnCost priced, a Verdict, MergeError from either entry', () => {
    const r = spawnSync(process.execPath, ['consumer.mjs'], { cwd: project, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      statements: 5,
      parseDiagnostics: 0,
      ok: true,
      stdout: '7\n',
      profile: 'jvm',
      boxDirectUsed: expect.stringMatching(/^\d+(\.\d{1,3})?$/),
      boxTotal: '40',
      ops: '200000000',
      verdict: expect.stringMatching(/^(compute|fetch) \(saves \d+\.\d{3}s\)$/),
      fetch: false,
      refused: 'MRG4041',
    });
  });

  it('installs working executables that write nothing into the package', () => {
    const bin = join(project, 'node_modules', '.bin', process.platform === 'win32' ? 'merg-e.cmd' : 'merg-e');
    const installed = join(project, 'node_modules', pkg.name);
    const before = readdirSync(installed, { recursive: true }).length;
    const r = spawnSync(bin, ['run', join(installed, 'examples', 'grafts.merge')], { cwd: project, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(0);
    // vectorize with its memo store: the store lives in the user's cache folder, not beside the program.
    const memo = spawnSync(bin, ['run', join(installed, 'examples', 'vectorize-memo.merge')], { cwd: project, encoding: 'utf8' });
    expect(memo.stderr).not.toMatch(/ error: /);
    expect(spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout).toContain(`merg-e ${pkg.version}`);
    expect(readdirSync(installed, { recursive: true }).length).toBe(before);
  });
});
