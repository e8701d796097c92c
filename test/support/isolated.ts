// Running a piece of the project in a child process with a deadline. For code that may block the
// thread it runs on (an open() of a FIFO, a read that never ends): in-process, no test timeout could
// interrupt it, and the whole test file would hang instead of failing.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface Isolated {
  /** Exit status, or null when the deadline killed it. */
  status: number | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * Bundles `code` (an ES module; imports relative to the repository root, e.g. `./src/read-file.ts`)
 * with esbuild and runs it with node (and `nodeArgs`) in `cwd`, killing it after `timeoutMs`.
 */
export function runIsolated(code: string, opts: { timeoutMs?: number; cwd?: string; args?: string[]; nodeArgs?: string[] } = {}): Isolated {
  const js = bundleIsolated(code);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [...(opts.nodeArgs ?? []), '--input-type=module', '-', ...(opts.args ?? [])], {
    input: js,
    cwd: opts.cwd ?? ROOT,
    timeout: opts.timeoutMs ?? 20_000,
    killSignal: 'SIGKILL',
    encoding: 'utf8',
    env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules') },
  });
  const ms = performance.now() - t0;
  return { status: r.status, timedOut: r.error !== undefined || r.signal === 'SIGKILL', stdout: r.stdout ?? '', stderr: r.stderr ?? '', ms };
}

/** `code` (an ES module importing `./src/…` from the repository root) bundled into one ES module for node. */
export function bundleIsolated(code: string): string {
  const require = createRequire(import.meta.url);
  const esbuild = require('esbuild') as typeof import('esbuild');
  const out = esbuild.buildSync({
    stdin: { contents: code, resolveDir: ROOT, sourcefile: 'isolated.ts', loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0]?.text ?? '';
}

/** The repository root (children started with `--input-type=module -` resolve packages from here). */
export const REPO_ROOT = ROOT;
