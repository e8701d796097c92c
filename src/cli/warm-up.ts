// What the launcher runs once, when it writes a new code cache for the merg-e bundle (src/cli/launch.ts):
// the shipped examples, in this process, their output discarded. V8's code cache holds the functions
// compiled so far, and a command compiles only what it runs: a cache written after `merg-e run` on a
// one-line script left the checks, most of the interpreter and vectorize to be compiled again by every
// later start that used them. Nothing is written and no thread is started (vectorize runs inline, with no
// memo store); a failing example is skipped, and the whole stops after about a second.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { formatDiagnostic } from '../diagnostics.js';
import { defaultBasketsDir } from '../runtime/basket.js';
import { runProgram } from '../runtime/run.js';
import { VectorizeEngine } from '../runtime/vectorize/engine.js';
import { formatRunError, formatRunReport } from './run-report.js';

const WARM_UP_MS = 1000;

/** Runs the examples beside the package's baskets (none when they are not there). */
export function warmUp(): void {
  const dir = join(dirname(defaultBasketsDir()), 'examples');
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => /\.(merge|mrg)$/.test(f))
      .sort();
  } catch {
    return;
  }
  const start = performance.now();
  for (const f of files) {
    if (performance.now() - start > WARM_UP_MS) return;
    const file = join(dir, f);
    try {
      const source = readFileSync(file, 'utf8');
      const r = runProgram({ file, source }, { vectorize: new VectorizeEngine({ threads: 'never' }).hook, timeoutMs: WARM_UP_MS });
      // What `run` prints besides the program's output: warnings, the error, --report.
      for (const d of r.diagnostics) formatDiagnostic(d, { source });
      if (r.error) formatRunError(r);
      formatRunReport(r);
    } catch {
      // Only compiling matters here.
    }
  }
}
