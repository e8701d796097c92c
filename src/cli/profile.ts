// merg-e profile measure: writes the v8-measured runtime profile (this interpreter's own entity sizes).
import { accessSync, constants, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

import { fail, MergeError } from '../diagnostics.js';
import { defaultRuntimesDir } from '../model/index.js';
import { heapProfileText, measureV8Profile, V8_PROFILE } from '../runtime/heap-profile.js';
import { parseCommandArgs } from './args.js';
import { EXIT_OK } from './guard.js';
import type { Io } from './io.js';

export const PROFILE_HELP = `usage: merg-e profile measure [options]

Measures this interpreter's own entity sizes on the V8 heap: for every entity
kind it allocates many entities through the real model, forces garbage
collection, and divides the heap's growth by the count. Writes the result as
the runtime profile '${V8_PROFILE}' (quota.md section 3), by default to
baskets/runtimes/${V8_PROFILE}.json, where run, compare and basket find it.
Takes about 15 seconds.

options:
  --out FILE      write the profile here instead
  --count N       entities per sample (default 10000; at least 100)
  --samples N     samples per kind, the median is kept (default 3)
  -h, --help      show this help

examples:
  merg-e profile measure
  merg-e profile measure --out /tmp/v8-measured.json --count 5000
`;

function whole(name: string, v: string | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < min) fail('MRG4002', `merg-e profile: --${name} needs a whole number of at least ${min}, got '${v}'`);
  return n;
}

export async function profile(argv: string[], io: Io): Promise<number> {
  const parsed = parseCommandArgs('profile', argv, { out: { type: 'string' }, count: { type: 'string' }, samples: { type: 'string' } });
  const v = parsed.values;
  if (v.help) {
    io.out(PROFILE_HELP);
    return EXIT_OK;
  }
  const [action, ...rest] = parsed.positionals;
  if (action !== 'measure' || rest.length > 0) fail('MRG4002', `merg-e profile: the only action is 'measure' (merg-e profile measure [--out FILE]), got '${parsed.positionals.join(' ')}'`);
  const out = v.out === undefined ? join(defaultRuntimesDir(), `${V8_PROFILE}.json`) : resolve(io.cwd, v.out);
  // Refuse an unwritable destination before spending seconds on the measurement.
  try {
    accessSync(dirname(out), constants.W_OK);
    if (statSync(out, { throwIfNoEntry: false })?.isDirectory()) fail('MRG4025', `cannot write ${v.out ?? out}: it is a folder; name the profile file to write`);
  } catch (e) {
    if (e instanceof MergeError) throw e;
    fail('MRG4025', `cannot write ${v.out ?? out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const count = whole('count', v.count, 100);
  const samples = whole('samples', v.samples, 1);
  const m = measureV8Profile({
    count,
    samples,
    onProgress: io.errIsTTY ? (what) => io.err(`\rmeasuring ${what}...`.padEnd(60)) : undefined,
  });
  if (io.errIsTTY) io.err('\r'.padEnd(61) + '\r');
  try {
    writeFileSync(out, heapProfileText(m));
  } catch (e) {
    fail('MRG4025', `cannot write ${v.out ?? out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const b = m.profile.bytes;
  io.out(`wrote ${v.out ?? out}: dag_node ${b.get('dag_node')} B, scalar:int32 ${b.get('scalar:int32')} B, string ${b.get('string')} B + ${b.get('string_byte')} B/byte, row ${b.get('row')} B, scope ${b.get('scope')} B\n`);
  return EXIT_OK;
}
