// Deep recursions that end in a JavaScript stack overflow (MRG3012), each in a fresh Node process at a
// range of stack sizes: where the stack runs out moves with the size, and a fresh process runs the
// release code cold, as a first run does. A run is whole when it ends MRG3012, the model's invariants
// hold and no call's slot is still paid (the programs' main has no locals of its own).
//   npm run build && node dist/scripts/stack-sweep.js [FROM TO STEP]   (--stack-size in KiB; 400 2000 7)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { checkInvariants } from '../src/model/index.js';
import { runProgram } from '../src/runtime/run.js';

const PROGRAMS: readonly [string, string][] = [
  ['small', 'inert function down(n int)::{}{ if n == 0 { return 0; }; return down(n - 1) + 1; };'],
  ['locals', 'inert function down(n int)::{}{ mutable int x = n; mutable string s = "ab"; if n == 0 { return 0; }; if n > 0 { mutable int y = 1; x = down(n - 1) + y; }; return x; };'],
  [
    'nested',
    'inert function down(n int)::{}{ mutable int x = n; if n == 0 { return 0; }; if n > 0 { mutable int y = 1; if y > 0 { mutable int z = 2; while z > 1 { mutable int w = 3; if w > 2 { x = (((down(n - 1) + y) * 1) + z) - 2; }; z = z - 1; }; }; }; return x; };',
  ],
];

/** In the child: runs each program and prints what was not whole, one line each. */
function child(): void {
  for (const [name, fn] of PROGRAMS) {
    const r = runProgram({ file: `${name}.merge`, source: `${fn}\ncout down(200000) endl;\n` }, { maxCallDepth: 1_000_000 });
    const broken = r.memory ? checkInvariants(r.memory) : ['no model'];
    const live = r.memory ? r.memory.loosePayments().length : 0;
    if (r.error?.code !== 'MRG3012' || broken.length > 0 || live > 0) console.log(`${name}: ${r.error?.code ?? 'no error'}, ${live} slots still paid${broken.length > 0 ? `, ${broken[0]}` : ''}`);
  }
}

function sweep(from: number, to: number, step: number): void {
  const self = fileURLToPath(import.meta.url);
  let sizes = 0;
  let broken = 0;
  for (let kib = from; kib <= to; kib += step) {
    sizes++;
    const r = spawnSync(process.execPath, [`--stack-size=${kib}`, self, '--child'], { encoding: 'utf8', timeout: 120_000 });
    const out = (r.stdout + (r.status === 0 ? '' : `exit ${r.status ?? r.signal}: ${r.stderr.slice(0, 300)}`)).trim();
    if (out !== '') {
      broken++;
      console.log(`--stack-size=${kib}: ${out.replaceAll('\n', '; ')}`);
    }
  }
  console.log(`${broken} of ${sizes} stack sizes left a run not whole (${PROGRAMS.length} programs each)`);
  process.exitCode = broken > 0 ? 1 : 0;
}

const { values, positionals } = parseArgs({ options: { child: { type: 'boolean' } }, allowPositionals: true });
if (values.child) child();
else {
  const [from = 400, to = 2000, step = 7] = positionals.map(Number);
  if (![from, to, step].every((n) => Number.isInteger(n) && n > 0) || from > to) {
    console.error('usage: node dist/scripts/stack-sweep.js [FROM TO STEP]  (whole KiB, FROM ≤ TO)');
    process.exitCode = 2;
  } else sweep(from, to, step);
}
