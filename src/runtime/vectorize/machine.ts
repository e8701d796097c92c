// Which machine model vectorize consults. The CLI measures this machine once with coren (cached in
// the user's cache folder); the library falls back to a nominal model (this host's cores and RAM, fixed
// rates) so runProgram stays synchronous and side-effect free.
import { availableParallelism, freemem, totalmem } from 'node:os';

import { fail, type Span } from '../../diagnostics.js';
import { KERNEL_NAMES, MachCap, type FixedSpec } from '../../coren/index.js';
import { isKernelName } from '../../coren/kernels.js';
import { readFailure, readTextFile } from '../../read-file.js';
import { jsonSyntaxProblem, lineColumn } from '../../json-syntax.js';

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

/** A machine spec is a few hundred bytes; the limit keeps `--machine /dev/zero` from reading forever. */
const MAX_MACHINE_SPEC_BYTES = 2 ** 20;

/**
 * Each field's plausible range: far beyond any machine, yet small enough that the verdict's and the
 * budget's arithmetic stays exact (`opsPerSec: 1e300` made every vectorize fail inside FnCost).
 */
const SPEC_FIELDS: ReadonlyMap<string, { min: number; max: number; zero?: boolean; whole?: boolean }> = new Map([
  ['opsPerSec', { min: 1, max: 1e15 }],
  ['opsPerSecAll', { min: 1, max: 1e18 }],
  ['memBytesPerSec', { min: 1, max: 1e15 }],
  ['memBytesPerSecAll', { min: 1, max: 1e18 }],
  ['netBytesPerSec', { min: 1, max: 1e15, zero: true }],
  ['latencySec', { min: 0, max: 3600 }],
  ['diskWriteBytesPerSec', { min: 1, max: 1e15 }],
  ['diskReadBytesPerSec', { min: 1, max: 1e15 }],
  ['cores', { min: 1, max: 1 << 20, whole: true }],
  ['ramTotal', { min: 1, max: 2 ** 52, whole: true }],
  ['ramAvailable', { min: 1, max: 2 ** 52, whole: true }],
  ['workerStartSec', { min: 0, max: 60 }],
]);
const REQUIRED = ['opsPerSec', 'memBytesPerSec', 'netBytesPerSec'];
/** A kernel constant is a ratio of measured to roofline time. */
const KERNEL_RANGE = { min: 1e-6, max: 1e6 };

/**
 * Where `"key"` last appears in the spec's text, so the diagnostic points at it: JSON.parse keeps the
 * last of duplicate keys, so that is the value being complained about.
 */
function keySpan(file: string, text: string, key: string): Span {
  const at = text.lastIndexOf(JSON.stringify(key));
  const span = spanAt(file, text, Math.max(0, at));
  return at < 0 ? span : { ...span, endColumn: span.column + JSON.stringify(key).length - 1 };
}

/** The 1-based line and column of a character offset. */
function spanAt(file: string, text: string, offset: number): Span {
  const { line, column } = lineColumn(text, offset);
  return { file, line, column, endLine: line, endColumn: column };
}

/** A name read from the file, safe to show: a key name, clipped and escaped (never a value). */
function shownKey(k: string): string {
  const s = JSON.stringify(k.length > 40 ? `${k.slice(0, 40)}…` : k);
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

function plainNumber(n: number): string {
  return Math.abs(n) >= 1e9 ? n.toExponential() : String(n);
}

/**
 * `--machine FILE`: a JSON FixedSpec (opsPerSec, memBytesPerSec, netBytesPerSec, …) instead of
 * measuring. Every complaint is MRG4033 at the offending key. The file may be anything the user
 * named (`/proc/self/environ`), so no message repeats its content: only positions, key names of a
 * JSON object, and the numbers of known fields.
 */
export function machineFromFile(path: string): MachCap {
  let text: string;
  try {
    text = readTextFile(path, MAX_MACHINE_SPEC_BYTES);
  } catch (e) {
    return fail('MRG4033', `cannot read the machine spec ${path}: ${readFailure(e)}`);
  }
  let spec: unknown;
  try {
    spec = JSON.parse(text);
  } catch (e) {
    // Located, and said without quoting the file (V8's message would: /proc/self/environ).
    const { offset, why } = jsonSyntaxProblem(text, e);
    return fail('MRG4033', `the machine spec ${path} is not valid JSON: ${why}`, spanAt(path, text, offset));
  }
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) return fail('MRG4033', `the machine spec ${path} is not a JSON object`);
  const o = spec as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!SPEC_FIELDS.has(k) && k !== 'battery' && k !== 'kernels') fail('MRG4033', `the machine spec ${path} has an unknown field ${shownKey(k)}`, keySpan(path, text, k));
  }
  for (const k of REQUIRED) if (!(k in o)) fail('MRG4033', `the machine spec ${path} needs a number '${k}'`);
  const where = (k: string) => keySpan(path, text, k);
  const inRange = (k: string, v: unknown, r: { min: number; max: number; zero?: boolean; whole?: boolean }, span: Span) => {
    if (typeof v !== 'number') fail('MRG4033', `the machine spec ${path}: '${k}' must be a number`, span);
    const ok = Number.isFinite(v) && ((r.zero === true && v === 0) || (v >= r.min && v <= r.max)) && (r.whole !== true || Number.isInteger(v));
    if (!ok) {
      const range = `${r.zero && r.min > 0 ? '0 or ' : ''}${r.whole ? 'a whole number ' : ''}from ${plainNumber(r.min)} to ${plainNumber(r.max)}`;
      fail('MRG4033', `the machine spec ${path}: '${k}' is ${plainNumber(v)}; it must be ${range}`, span);
    }
  };
  for (const [k, r] of SPEC_FIELDS) if (k in o) inRange(k, o[k], r, where(k));
  if ('battery' in o && typeof o['battery'] !== 'boolean') fail('MRG4033', `the machine spec ${path}: 'battery' must be true or false`, where('battery'));
  if ('kernels' in o) {
    const kernels = o['kernels'];
    if (kernels === null || typeof kernels !== 'object' || Array.isArray(kernels)) fail('MRG4033', `the machine spec ${path}: 'kernels' must be an object of kernel name -> factor`, where('kernels'));
    for (const [k, v] of Object.entries(kernels as Record<string, unknown>)) {
      if (!isKernelName(k)) fail('MRG4033', `the machine spec ${path}: 'kernels' has an unknown kernel ${shownKey(k)} (known: ${KERNEL_NAMES.join(', ')})`, where(k));
      inRange(`kernels.${k}`, v, KERNEL_RANGE, where(k));
    }
  }
  return MachCap.fixed(o as unknown as FixedSpec);
}
