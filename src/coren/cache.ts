// The measured figures, cached in `<dir>/.coren-cache.json` and keyed by the host fingerprint.
// Reading is strict: anything malformed is "corrupt", another host's file is "foreign"; both are
// measured again by the caller.
import { join } from 'node:path';

import { writeFileAtomic } from '../atomic-write.js';
import { MAX_JSON_BYTES, readFailure, readTextFile } from '../read-file.js';
import { isKernelName, KERNEL_NAMES, type KernelName } from './kernels.js';
import type { Link } from './network.js';
import type { ComputeRates } from './probe-compute.js';
import type { HostFingerprint } from './probe-system.js';

export const CACHE_FILE = '.coren-cache.json';
const FORMAT = 'coren-machcap';
/** Bumped whenever the figures change meaning; an older file is re-measured. */
export const CACHE_VERSION = 3;

/** What a measurement finds; `ramAvailable` and network presence are read fresh each time. */
export interface MachCapFigures extends ComputeRates {
  fingerprint: HostFingerprint;
  measuredAt: string;
  /** Seconds the measurement took. */
  measureSec: number;
  cores: number;
  physicalCores: number;
  ramTotal: number;
  battery: boolean;
  llcBytes: number;
  diskWriteBytesPerSec: number;
  diskReadBytesPerSec: number;
  diskReadUncached: boolean;
  link: Link | null;
  /** Per-kernel constants (measured / roofline time), fitted with the machine. */
  kernels: Map<KernelName, number>;
}

export type CacheRead = { kind: 'hit'; figures: MachCapFigures } | { kind: 'missing' } | { kind: 'corrupt' | 'foreign'; why: string };

export function cachePath(dir: string): string {
  return join(dir, CACHE_FILE);
}

export function serializeFigures(f: MachCapFigures): string {
  const figures = { ...f, kernels: Object.fromEntries(f.kernels) };
  return JSON.stringify({ format: FORMAT, version: CACHE_VERSION, figures }, null, 2) + '\n';
}

/** Writes atomically (src/atomic-write.ts), so a reader never sees half a file; creates `dir`. */
export async function writeCache(dir: string, f: MachCapFigures): Promise<void> {
  writeFileAtomic(cachePath(dir), serializeFigures(f), { mkdir: true });
}

export async function readCache(dir: string, expected: HostFingerprint): Promise<CacheRead> {
  let text: string;
  try {
    // Bounded and non-blocking: the cache path may name a FIFO or a device (src/read-file.ts).
    text = readTextFile(cachePath(dir), MAX_JSON_BYTES);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'corrupt', why: `cannot be read (${readFailure(e)})` };
  }
  return parseCache(text, expected);
}

class Corrupt extends Error {}

export function parseCache(text: string, expected: HostFingerprint): CacheRead {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { kind: 'corrupt', why: 'is not valid JSON' };
  }
  try {
    const top = record(doc, 'the file');
    if (top['format'] !== FORMAT) throw new Corrupt(`is not a coren machine cache (format ${JSON.stringify(top['format'])})`);
    if (top['version'] !== CACHE_VERSION) throw new Corrupt(`has version ${JSON.stringify(top['version'])}, this coren writes ${CACHE_VERSION}`);
    const figures = readFigures(record(top['figures'], 'figures'));
    const diff = fingerprintDiff(figures.fingerprint, expected);
    if (diff) return { kind: 'foreign', why: `was measured on another host (${diff})` };
    return { kind: 'hit', figures };
  } catch (e) {
    if (e instanceof Corrupt) return { kind: 'corrupt', why: e.message };
    throw e;
  }
}

function fingerprintDiff(got: HostFingerprint, want: HostFingerprint): string | null {
  for (const k of ['cpuModel', 'cores', 'ramTotal', 'runtime'] as const) {
    if (got[k] !== want[k]) return `${k} ${JSON.stringify(got[k])}, this host ${JSON.stringify(want[k])}`;
  }
  return null;
}

function record(v: unknown, where: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Corrupt(`${where} is not an object`);
  return v as Record<string, unknown>;
}

function field(o: Record<string, unknown>, key: string): unknown {
  if (!Object.hasOwn(o, key)) throw new Corrupt(`lacks ${key}`);
  return o[key];
}

/** Number.isFinite is false for anything that is not a number; this says so to the type checker. */
function isFiniteNumber(v: unknown): v is number {
  return Number.isFinite(v);
}

function checked(o: Record<string, unknown>, key: string, ok: (v: number) => boolean): number {
  const v = field(o, key);
  if (!(isFiniteNumber(v) && ok(v))) throw new Corrupt(`has an invalid ${key} (${JSON.stringify(v)})`);
  return v;
}

/** A rate or size: a finite number > 0. */
function positive(o: Record<string, unknown>, key: string): number {
  return checked(o, key, (v) => v > 0);
}

/** A count: a whole number > 0 (and exact, so at most 2^53 − 1). */
function count(o: Record<string, unknown>, key: string): number {
  return checked(o, key, (v) => Number.isSafeInteger(v) && v > 0);
}

/** A duration: a finite number >= 0. */
function seconds(o: Record<string, unknown>, key: string): number {
  return checked(o, key, (v) => v >= 0);
}

function str(o: Record<string, unknown>, key: string): string {
  const v = field(o, key);
  if (typeof v !== 'string') throw new Corrupt(`has an invalid ${key}`);
  return v;
}

function bool(o: Record<string, unknown>, key: string): boolean {
  const v = field(o, key);
  if (typeof v !== 'boolean') throw new Corrupt(`has an invalid ${key}`);
  return v;
}

function readFigures(o: Record<string, unknown>): MachCapFigures {
  const fp = record(field(o, 'fingerprint'), 'fingerprint');
  const linkRaw = field(o, 'link');
  let link: Link | null = null;
  if (linkRaw !== null) {
    const l = record(linkRaw, 'link');
    const speed = field(l, 'speedMbps');
    if (speed !== null && !(isFiniteNumber(speed) && speed > 0)) throw new Corrupt('has an invalid link speed');
    link = { name: str(l, 'name'), speedMbps: speed };
  }
  const kernels = new Map<KernelName, number>();
  for (const [name, factor] of Object.entries(record(field(o, 'kernels'), 'kernels'))) {
    if (!isKernelName(name)) throw new Corrupt(`names an unknown kernel ${JSON.stringify(name)}`);
    if (!(isFiniteNumber(factor) && factor > 0)) throw new Corrupt(`has an invalid constant for kernel ${name}`);
    kernels.set(name, factor);
  }
  if (kernels.size !== KERNEL_NAMES.length) throw new Corrupt(`lacks kernel constants (has ${kernels.size} of ${KERNEL_NAMES.length})`);
  return {
    fingerprint: { cpuModel: str(fp, 'cpuModel'), cores: count(fp, 'cores'), ramTotal: count(fp, 'ramTotal'), runtime: str(fp, 'runtime') },
    measuredAt: str(o, 'measuredAt'),
    measureSec: seconds(o, 'measureSec'),
    cores: count(o, 'cores'),
    physicalCores: count(o, 'physicalCores'),
    ramTotal: count(o, 'ramTotal'),
    battery: bool(o, 'battery'),
    llcBytes: count(o, 'llcBytes'),
    opsPerSec: positive(o, 'opsPerSec'),
    opsPerSecAll: positive(o, 'opsPerSecAll'),
    memBytesPerSec1: positive(o, 'memBytesPerSec1'),
    memBytesPerSecAll: positive(o, 'memBytesPerSecAll'),
    memBytesPerSecSimd: field(o, 'memBytesPerSecSimd') === null ? null : positive(o, 'memBytesPerSecSimd'),
    triadElements: count(o, 'triadElements'),
    fmaIterations: count(o, 'fmaIterations'),
    workers: count(o, 'workers'),
    workerStartSec: seconds(o, 'workerStartSec'),
    diskWriteBytesPerSec: positive(o, 'diskWriteBytesPerSec'),
    diskReadBytesPerSec: positive(o, 'diskReadBytesPerSec'),
    diskReadUncached: bool(o, 'diskReadUncached'),
    link,
    kernels,
  };
}
