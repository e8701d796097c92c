// The interpreter: statements/s on a loop-heavy script, calls/s, and `merg-e run` startup on a
// one-line script vs `node -e 0` (target <= 4x).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

import { runProgram } from '../src/runtime/run.js';
import { bestOf, fmt, table, type Bench } from './timing.js';

const TARGET_STARTUP = 4;
const N = 300_000;

/** Per iteration: `i += 1`, `sum += …`, the `if`, and `hits += 1` when it holds. */
const LOOP = `mutable int i = 0;
mutable int sum = 0;
mutable int hits = 0;
while i < ${N} {
  i += 1;
  sum += i * 2;
  if sum % 7 == 0 {
    hits += 1;
  };
};
cout hits endl;
`;

const CALLS = 20_000;
const CALL_LOOP = `inert function sq(x int)::{}{ return x * x; };
mutable int i = 0;
mutable int sum = 0;
while i < ${CALLS} {
  i += 1;
  sum += sq(i);
};
cout sum endl;
`;

function timed(source: string): { ms: number; steps: number; stdout: string } {
  let last = { steps: 0, stdout: '' };
  const ms = bestOf(3, () => {
    const r = runProgram({ file: 'bench.merge', source });
    if (r.error) throw new Error(`bench program failed: ${r.error.message}`);
    last = { steps: r.steps, stdout: r.stdout };
  });
  return { ms, ...last };
}

/** Best wall time in ms of each command, measured alternately so both see the same machine load. */
function bestSpawnPair(trials: number, a: string[], b: string[]): [number, number] {
  const best: [number, number] = [Infinity, Infinity];
  for (let i = 0; i < trials; i++) {
    [a, b].forEach((cmd, k) => {
      const t0 = performance.now();
      const r = spawnSync(cmd[0] as string, cmd.slice(1), { stdio: 'ignore' });
      const ms = performance.now() - t0;
      if (r.status !== 0) throw new Error(`${cmd.join(' ')} exited ${r.status}`);
      best[k] = Math.min(best[k] as number, ms);
    });
  }
  return best;
}

const bench: Bench = {
  name: 'interp',
  title: 'Interpreter: statements/s, calls/s and `merg-e run` startup',
  async run() {
    const loop = timed(LOOP);
    const hits = Number(loop.stdout.trim());
    const statements = 3 + 3 * N + hits + 1;
    const calls = timed(CALL_LOOP);
    const dir = mkdtempSync(join(tmpdir(), 'merg-e-bench-'));
    const one = join(dir, 'one.merge');
    writeFileSync(one, 'cout "hi" endl;\n');
    const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'cli', 'merg-e.js');
    const [node, run] = bestSpawnPair(7, [process.execPath, '-e', '0'], [process.execPath, cli, 'run', one]);
    const startup = run / node;
    return [
      `Loop-heavy script: ${N.toLocaleString('en-US')} iterations of three to four statements; steps are the interpreter's operation count (statements plus expression nodes).`,
      '',
      table(
        ['program', 'time (ms)', 'statements/s', 'steps/s'],
        [
          ['loop', fmt(loop.ms, 1), fmt(statements / loop.ms / 1000, 2) + ' M', fmt(loop.steps / loop.ms / 1000, 2) + ' M'],
          [`${CALLS.toLocaleString('en-US')} calls`, fmt(calls.ms, 1), `${fmt(CALLS / calls.ms, 1)} k calls/s`, fmt(calls.steps / calls.ms / 1000, 2) + ' M'],
        ],
      ),
      '',
      'Each call constructs nothing new (its scope is built once) but allocates its parameter as a node of the world DAG and releases it on return.',
      '',
      table(
        ['command', 'best of 7 (ms)'],
        [
          ['`node -e 0`', fmt(node, 1)],
          ['`merg-e run one.merge`', fmt(run, 1)],
        ],
      ),
      '',
      table(['target', 'measured', 'verdict'], [[`run startup <= ${TARGET_STARTUP}x node -e 0`, `${fmt(startup, 2)}x`, startup <= TARGET_STARTUP ? 'met' : '**missed**']]),
    ].join('\n');
  },
};

export default bench;
