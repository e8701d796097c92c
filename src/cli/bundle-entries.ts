// The entry points esbuild bundles into dist/bin/merg-e.cjs and dist/bin/coren.cjs (see launch.ts):
// each exports `main`, which runs the command on the process's streams and returns its exit status,
// and may export `warm`, which the launcher runs before it writes a new code cache of the bundle.
import { corenMain } from './coren-main.js';
import { processIo } from './io.js';
import { mergeMain } from './merge-main.js';

export { warmUp } from './warm-up.js';

export function mergE(argv: string[]): Promise<number> {
  return mergeMain(argv, processIo());
}

export function coren(argv: string[]): Promise<number> {
  return corenMain(argv, processIo());
}
