// Which machine model vectorize consults. The CLI measures this machine once with coren (cached in
// the user's cache folder); the library falls back to a nominal model (this host's cores and RAM, fixed
// rates) so runProgram stays synchronous and side-effect free.
import { availableParallelism, freemem, homedir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';

import { fail } from '../../diagnostics.js';
import { MachCap, type FixedSpec } from '../../coren/index.js';
import { readSourceText } from '../../source-file.js';

/** A stand-in when nothing was measured: this host's cores and RAM, middle-of-the-road rates. */
export function nominalMachine(): MachCap {
  return MachCap.fixed({
    opsPerSec: 1e9,
    memBytesPerSec: 5e9,
    netBytesPerSec: 12.5e6,
    diskReadBytesPerSec: 500e6,
    cores: availableParallelism(),
    ramTotal: totalmem(),
    ramAvailable: freemem(),
    workerStartSec: 0.05,
  });
}

/**
 * The machine as seen by the embedded (local folder) memo store: a fetch is a disk read, so the
 * verdict's fetch bandwidth is the disk's read rate and there is no network latency. A shared store
 * on a real distributed engine would use the machine's network figures unchanged.
 */
export function localStoreMachine(cap: MachCap): MachCap {
  return MachCap.fixed({ ...cap.toFixedSpec(), netBytesPerSec: cap.figures.diskReadBytesPerSec, latencySec: 0 });
}

/**
 * Where `merg-e run` caches the measured machine: $MERG_E_CACHE_DIR, else $XDG_CACHE_HOME/merg-e,
 * else ~/.cache/merg-e.
 */
export function machineCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const own = env['MERG_E_CACHE_DIR'];
  if (own) return resolve(own);
  const xdg = env['XDG_CACHE_HOME'];
  return join(xdg ? resolve(xdg) : join(homedir(), '.cache'), 'merg-e');
}

/** A machine spec is a few hundred bytes; the limit keeps `--machine /dev/zero` from reading forever. */
const MAX_MACHINE_SPEC_BYTES = 2 ** 20;

/** `--machine FILE`: a JSON FixedSpec (opsPerSec, memBytesPerSec, netBytesPerSec, …) instead of measuring. */
export function machineFromFile(path: string): MachCap {
  let spec: unknown;
  try {
    spec = JSON.parse(readSourceText(path, MAX_MACHINE_SPEC_BYTES));
  } catch (e) {
    return fail('MRG4033', `cannot read the machine spec ${path}: ${(e as Error).message}`);
  }
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) return fail('MRG4033', `the machine spec ${path} is not a JSON object`);
  const o = spec as Record<string, unknown>;
  const known = new Set(['opsPerSec', 'memBytesPerSec', 'netBytesPerSec', 'latencySec', 'opsPerSecAll', 'memBytesPerSecAll', 'diskWriteBytesPerSec', 'diskReadBytesPerSec', 'cores', 'ramTotal', 'ramAvailable', 'battery', 'kernels', 'workerStartSec']);
  for (const k of Object.keys(o)) if (!known.has(k)) fail('MRG4033', `the machine spec ${path} has an unknown field '${k}'`);
  for (const k of ['opsPerSec', 'memBytesPerSec', 'netBytesPerSec']) {
    if (typeof o[k] !== 'number') fail('MRG4033', `the machine spec ${path} needs a number '${k}'`);
  }
  return MachCap.fixed(o as unknown as FixedSpec);
}
