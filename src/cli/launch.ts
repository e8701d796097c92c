// How the executables start (bin/merg-e.js, bin/coren.js → dist/bin/launch.js): they load the
// bundled command line (dist/bin/NAME.cjs, one file made by esbuild) with a compile cache in the
// user's cache folder, so a command does not compile the same JavaScript on every start.
// - Node 22.1+ has one: module.enableCompileCache(dir), then the bundle is required as usual.
// - Older Node (20): the same idea by hand, as v8-compile-cache does it: the bundle runs as a
//   vm.Script given the V8 code cache of the previous start, and when there was none (or V8
//   rejected it) a new one is written once the command is done, functions compiled during the run
//   included. A cache that cannot be read or written only costs start-up time, never a command.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import module, { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';

import { writeFileAtomic } from '../atomic-write.js';
import { PACKAGE_IMPORT } from '../package-import.js';
import { compileCacheDir } from '../user-folders.js';

/** What each bundle exports. */
interface Bundle {
  main(argv: string[]): Promise<number>;
  /** Runs typical work, so that a new code cache holds what later commands compile (src/cli/warm-up.ts). */
  warm?: () => void;
}

type WithCompileCache = typeof module & { enableCompileCache?: (dir: string) => unknown };

function loadWithNodeCache(file: string, enable: (dir: string) => unknown): unknown {
  try {
    enable(compileCacheDir());
  } catch {
    // No cache: the bundle still loads.
  }
  return createRequire(file)(file);
}

/**
 * A CommonJS bundle run as a vm.Script with V8's code cache; `save` writes a new cache when one is due,
 * after running the bundle's `warm` if it has one (V8 caches only the functions compiled so far).
 */
function loadWithCodeCache(file: string): { exports: unknown; save: () => void } {
  const source = readFileSync(file, 'utf8');
  const st = statSync(file);
  // The cache belongs to this bundle (size and time) under this V8 and its flags (the version tag).
  // Its name holds the bundle's path, so two installs (a global one and a project's) do not delete
  // each other's caches.
  const dir = compileCacheDir();
  const place = createHash('sha256').update(file).digest('hex').slice(0, 12);
  const prefix = `${basename(file)}-${place}-`;
  const cacheFile = join(dir, `${prefix}${st.size}-${Math.round(st.mtimeMs)}-${v8.cachedDataVersionTag()}.v8`);
  let cached: Buffer | undefined;
  try {
    cached = readFileSync(cacheFile);
  } catch {
    cached = undefined;
  }
  const script = new vm.Script(module.wrap(source), { filename: file, cachedData: cached, importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER });
  const exports = {};
  const wrapper = script.runInThisContext() as (e: object, r: NodeJS.Require, m: object, f: string, d: string) => void;
  const mod = { exports };
  wrapper.call(exports, exports, createRequire(file), mod, file, dirname(file));
  const save = () => {
    if (cached !== undefined && !script.cachedDataRejected) return;
    try {
      (mod.exports as Partial<Bundle>).warm?.();
    } catch {
      // A cache of what did compile is still worth writing.
    }
    try {
      writeFileAtomic(cacheFile, script.createCachedData(), { mkdir: true });
      // Caches of older builds of this bundle are never read again.
      for (const f of readdirSync(dir)) if (f.startsWith(prefix) && f.endsWith('.v8') && join(dir, f) !== cacheFile) rmSync(join(dir, f), { force: true });
    } catch {
      // Not writable: the next start compiles again.
    }
  };
  return { exports: mod.exports, save };
}

/** The chart libraries' bundle (dist/bin/charts.cjs): what it exports under each package's name. */
const CHART_PACKAGES = new Map([
  ['vega', 'vega'],
  ['vega-lite', 'vl'],
]);

/**
 * Runs the bundled command `name` (dist/bin/NAME.cjs beside this file) with this process's arguments.
 * Packages loaded late are handed to it by this module (src/package-import.ts): vega and vega-lite
 * from their own bundle, loaded the same way on first use; anything else imported here, outside the
 * vm.Script (an import() inside it goes through USE_MAIN_CONTEXT_DEFAULT_LOADER, which prints an
 * ExperimentalWarning).
 */
export async function launch(name: 'merg-e' | 'coren'): Promise<void> {
  const here = dirname(fileURLToPath(import.meta.url));
  const file = join(here, `${name}.cjs`);
  const argv = process.argv.slice(2);
  const enable = (module as WithCompileCache).enableCompileCache;
  const load = typeof enable === 'function' ? (f: string) => ({ exports: loadWithNodeCache(f, enable), save: () => {} }) : loadWithCodeCache;
  const saves: (() => void)[] = [];
  let charts: Record<string, unknown> | undefined;
  (globalThis as { [PACKAGE_IMPORT]?: (s: string) => Promise<unknown> })[PACKAGE_IMPORT] = async (specifier) => {
    const key = CHART_PACKAGES.get(specifier);
    if (key === undefined) return import(specifier);
    if (charts === undefined) {
      const loaded = load(join(here, 'charts.cjs'));
      saves.push(loaded.save);
      charts = loaded.exports as Record<string, unknown>;
    }
    return charts[key];
  };
  const { exports, save } = load(file);
  saves.unshift(save);
  process.exitCode = await (exports as Bundle).main(argv);
  for (const s of saves) s();
}
