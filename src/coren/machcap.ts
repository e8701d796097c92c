// MachCap: what this machine can do, measured once per host and cached in the folder given to
// `read`. Rates are "attainable by this runtime" (JavaScript on Node), not hardware peaks.
import { access, constants, stat } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { resolve } from 'node:path';

import { diagnostic, fail, MergeError, type Diagnostic } from '../diagnostics.js';
import { computeBudget, etlBufferBytes, suggestTtl, type BudgetMachine, type BudgetOptions, type ComputeBudget, type DeviceClass } from './budget.js';
import { cachePath, readCache, writeCache, type MachCapFigures } from './cache.js';
import type { FnCost, U64Input } from './fncost.js';
import { KERNEL_NAMES, type KernelName } from './kernels.js';
import { chooseLink, checkOverrides, resolveNetwork, type NetworkInfo, type NetworkOverrides } from './network.js';
import type { HostFingerprint } from './probe-system.js';
import { realProbes, type Probes, type Progress } from './probes.js';
import { Verdict, type VerdictRates } from './verdict.js';

const GiB = 1024 ** 3;

/** `laptop` when a battery is present, `server` at ≥ 16 cores or ≥ 64 GiB, else `desktop`. */
export function deviceClassOf(battery: boolean, cores: number, ramTotal: number): DeviceClass {
  if (battery) return 'laptop';
  return cores >= 16 || ramTotal >= 64 * GiB ? 'server' : 'desktop';
}

export interface ReadOptions extends NetworkOverrides {
  /** Measure again even if a valid cache exists. */
  refresh?: boolean;
  /** The folder whose disk is probed (default: the cache folder given to `read`). */
  probeDir?: string;
  /** Defaults to `realProbes()`. */
  probes?: Probes;
  /** Called with each phase while measuring (the CLI shows it on a terminal). */
  onProgress?: Progress;
  /** Called for each warning (also kept in `cap.warnings`). */
  onWarning?: (d: Diagnostic) => void;
}

export interface VerdictOptions {
  /** Use the kernel's calibrated constant (if this MachCap has one). */
  kernel?: KernelName;
  /** Rates of one thread (default) or of all cores. */
  threads?: 'one' | 'all';
  /**
   * The measured rate of the caller's own operations (e.g. an interpreter's steps), in place of the
   * roofline's: W is then counted in those operations.
   */
  opsPerSec?: number;
}

/** The figures `MachCap.fixed` needs; the optional ones have neutral defaults. */
export interface FixedSpec {
  opsPerSec: number;
  memBytesPerSec: number;
  /** 0 means no network. */
  netBytesPerSec: number;
  latencySec?: number;
  /** Default: opsPerSec × cores. */
  opsPerSecAll?: number;
  /** Default: memBytesPerSec. */
  memBytesPerSecAll?: number;
  /** Default 500 MB/s each. */
  diskWriteBytesPerSec?: number;
  diskReadBytesPerSec?: number;
  /** Default 1. */
  cores?: number;
  /** Default 16 GiB each. */
  ramTotal?: number;
  ramAvailable?: number;
  battery?: boolean;
  /** Default none: the plain roofline for every kernel. */
  kernels?: Partial<Record<KernelName, number>>;
  /** Default 0.03 s. */
  workerStartSec?: number;
}

export interface MachCapJson {
  deviceClass: DeviceClass;
  machine: { cpuModel: string; runtime: string; cores: number; physicalCores: number; ramTotal: number; ramAvailable: number; battery: boolean; llcBytes: number };
  network: NetworkInfo;
  roofline: {
    opsPerSec: number;
    opsPerSecAll: number;
    memBytesPerSec1: number;
    memBytesPerSecAll: number;
    /** The triad as WebAssembly SIMD, one thread (null: not available); verdicts do not use it. */
    memBytesPerSecSimd: number | null;
    diskWriteBytesPerSec: number;
    diskReadBytesPerSec: number;
    diskReadUncached: boolean;
    ridge: number;
  };
  kernels: Record<string, number>;
  measured: { at: string; seconds: number; fromCache: boolean; cacheFile: string | null; workerStartSec: number; triadElements: number; fmaIterations: number };
}

export class MachCap {
  readonly deviceClass: DeviceClass;
  readonly warnings: readonly Diagnostic[];

  private constructor(
    readonly figures: Readonly<MachCapFigures>,
    readonly ramAvailable: number,
    readonly network: Readonly<NetworkInfo>,
    readonly fromCache: boolean,
    readonly cacheFile: string | null,
    warnings: Diagnostic[],
  ) {
    this.deviceClass = deviceClassOf(figures.battery, figures.cores, figures.ramTotal);
    this.warnings = warnings;
    Object.freeze(this);
  }

  /**
   * The machine's figures: from `<dir>/.coren-cache.json` when it was measured on this host, else
   * measured now (about 2–3 s) and cached. A corrupt or foreign cache is reported as a warning
   * (MRG4040) and measured again.
   */
  static async read(dir = '.', opts: ReadOptions = {}): Promise<MachCap> {
    checkOverrides(opts);
    const probes = opts.probes ?? realProbes();
    const folder = resolve(dir);
    const probeFolder = opts.probeDir === undefined ? folder : resolve(opts.probeDir);
    if (probeFolder !== folder) await checkFolder(probeFolder, 'writes its disk probe there');
    await checkFolder(folder, probeFolder === folder ? 'writes its disk probe and cache there' : 'writes its cache there');
    const warnings: Diagnostic[] = [];
    const warn = (d: Diagnostic) => {
      warnings.push(d);
      opts.onWarning?.(d);
    };
    const fingerprint = probes.fingerprint();
    const file = cachePath(folder);
    if (!opts.refresh) {
      const cached = await readCache(folder, fingerprint);
      if (cached.kind === 'hit') {
        const network = resolveNetwork(probes.upInterfaces(), cached.figures.link, opts);
        return new MachCap(cached.figures, probes.ramAvailable(), network, true, file, warnings);
      }
      if (cached.kind !== 'missing') warn(diagnostic('MRG4040', `machine cache ${file} ${cached.why}; measuring again`));
    }
    const { figures, ramAvailable, upNames } = await measure(probeFolder, probes, fingerprint, opts.onProgress ?? (() => {}));
    try {
      await writeCache(folder, figures);
    } catch (e) {
      warn(diagnostic('MRG4044', `could not write the machine cache ${file}: ${(e as Error).message}`));
    }
    return new MachCap(figures, ramAvailable, resolveNetwork(upNames, figures.link, opts), false, file, warnings);
  }

  /** A MachCap with given figures: deterministic, for tests, examples and shipping to workers. */
  static fixed(spec: FixedSpec): MachCap {
    const cores = spec.cores ?? 1;
    const positive = (v: number | undefined, name: string, allowZero = false) => {
      if (v !== undefined && !(Number.isFinite(v) && (allowZero ? v >= 0 : v > 0))) fail('MRG4046', `MachCap.fixed: ${name} must be a finite number ${allowZero ? '>= 0' : '> 0'}, got ${v}`);
    };
    for (const k of ['opsPerSec', 'memBytesPerSec', 'opsPerSecAll', 'memBytesPerSecAll', 'diskWriteBytesPerSec', 'diskReadBytesPerSec', 'ramTotal', 'ramAvailable'] as const) positive(spec[k], k);
    for (const k of ['netBytesPerSec', 'latencySec', 'workerStartSec'] as const) positive(spec[k], k, true);
    if (!(Number.isSafeInteger(cores) && cores > 0)) fail('MRG4046', `MachCap.fixed: cores must be a whole number > 0, got ${cores}`);
    const kernels = new Map<KernelName, number>();
    for (const name of KERNEL_NAMES) {
      const f = spec.kernels?.[name];
      positive(f, `kernels.${name}`);
      if (f !== undefined) kernels.set(name, f);
    }
    const ramTotal = spec.ramTotal ?? 16 * GiB;
    const figures: MachCapFigures = {
      fingerprint: { cpuModel: 'fixed', cores, ramTotal, runtime: 'fixed' },
      measuredAt: 'fixed',
      measureSec: 0,
      cores,
      physicalCores: cores,
      ramTotal,
      battery: spec.battery ?? false,
      llcBytes: 32 << 20,
      opsPerSec: spec.opsPerSec,
      opsPerSecAll: spec.opsPerSecAll ?? spec.opsPerSec * cores,
      memBytesPerSec1: spec.memBytesPerSec,
      memBytesPerSecAll: spec.memBytesPerSecAll ?? spec.memBytesPerSec,
      memBytesPerSecSimd: null,
      triadElements: 0,
      fmaIterations: 0,
      workers: cores,
      workerStartSec: spec.workerStartSec ?? 0.03,
      diskWriteBytesPerSec: spec.diskWriteBytesPerSec ?? 500e6,
      diskReadBytesPerSec: spec.diskReadBytesPerSec ?? 500e6,
      diskReadUncached: true,
      link: null,
      kernels,
    };
    const present = spec.netBytesPerSec > 0;
    const network: NetworkInfo = { present, interface: null, linkMbps: null, bytesPerSec: spec.netBytesPerSec, latencySec: spec.latencySec ?? 0, assumed: false, source: present ? 'fixed' : 'none' };
    return new MachCap(figures, spec.ramAvailable ?? ramTotal, network, false, null, []);
  }

  /**
   * This machine fetching from a store whose network it measured (a memo store on Redis, or a
   * folder): the verdicts' network is the store — `latencySec` and `bytesPerSec` — instead of the
   * link. `bytesPerSec` 0 means the store cannot be reached: every verdict then computes.
   */
  withStore(name: string, latencySec: number, bytesPerSec: number): MachCap {
    for (const [what, v] of [['latencySec', latencySec], ['bytesPerSec', bytesPerSec]] as const) {
      if (!(Number.isFinite(v) && v >= 0)) fail('MRG4046', `MachCap.withStore: ${what} must be a finite number >= 0, got ${v}`);
    }
    const present = bytesPerSec > 0;
    const network: NetworkInfo = { present, interface: name, linkMbps: null, bytesPerSec: present ? bytesPerSec : 0, latencySec, assumed: false, source: 'store' };
    return new MachCap(this.figures, this.ramAvailable, network, this.fromCache, this.cacheFile, [...this.warnings]);
  }

  /** The spec that rebuilds this MachCap with `fixed` (e.g. to hand it to a worker thread). */
  toFixedSpec(): FixedSpec {
    const f = this.figures;
    return {
      opsPerSec: f.opsPerSec,
      memBytesPerSec: f.memBytesPerSec1,
      netBytesPerSec: this.network.present ? this.network.bytesPerSec : 0,
      latencySec: this.network.latencySec,
      opsPerSecAll: f.opsPerSecAll,
      memBytesPerSecAll: f.memBytesPerSecAll,
      diskWriteBytesPerSec: f.diskWriteBytesPerSec,
      diskReadBytesPerSec: f.diskReadBytesPerSec,
      cores: f.cores,
      ramTotal: f.ramTotal,
      ramAvailable: this.ramAvailable,
      battery: f.battery,
      kernels: Object.fromEntries(f.kernels),
      workerStartSec: f.workerStartSec,
    };
  }

  get cores(): number {
    return this.figures.cores;
  }

  /** Operations per byte where the roofline turns from memory-bound to compute-bound (one thread). */
  get ridge(): number {
    return this.figures.opsPerSec / this.figures.memBytesPerSec1;
  }

  /** The calibrated constant of a kernel, or 1 (the plain roofline). */
  kernelFactor(kernel: KernelName | undefined): number {
    return kernel === undefined ? 1 : (this.figures.kernels.get(kernel) ?? 1);
  }

  /** One thread's rates unless `threads` is 'all'. */
  rates(threads?: 'one' | 'all'): VerdictRates {
    const f = this.figures;
    return {
      opsPerSec: threads === 'all' ? f.opsPerSecAll : f.opsPerSec,
      memBytesPerSec: threads === 'all' ? f.memBytesPerSecAll : f.memBytesPerSec1,
      networkPresent: this.network.present,
      netBytesPerSec: this.network.bytesPerSec,
      latencySec: this.network.latencySec,
      diskWriteBytesPerSec: f.diskWriteBytesPerSec,
      ramAvailable: this.ramAvailable,
    };
  }

  /** Compute here or fetch? See Verdict. */
  verdict(cost: FnCost, opts: VerdictOptions = {}): Verdict {
    const rates = this.rates(opts.threads);
    const ops = opts.opsPerSec;
    if (ops === undefined) return new Verdict(cost, rates, this.kernelFactor(opts.kernel));
    if (!(Number.isFinite(ops) && ops > 0)) fail('MRG4046', `MachCap.verdict: opsPerSec must be a finite number > 0, got ${ops}`);
    return new Verdict(cost, { ...rates, opsPerSec: ops }, this.kernelFactor(opts.kernel));
  }

  private budgetMachine(): BudgetMachine {
    const f = this.figures;
    return { deviceClass: this.deviceClass, cores: f.cores, ramAvailable: this.ramAvailable, opsPerSec: f.opsPerSec, memBytesPerSec1: f.memBytesPerSec1, diskReadBytesPerSec: f.diskReadBytesPerSec, workerStartSec: f.workerStartSec, rates: this.rates() };
  }

  /** Bytes to buffer before flushing to disk: a device-class share of available RAM, whole rows. */
  etlBufferBytes(rowBytes: U64Input): number {
    return etlBufferBytes(this.budgetMachine(), rowBytes);
  }

  /** `baseTtl` (seconds) scaled by tCompute / tFetch, clamped to [base/10, base·100]. */
  suggestTtl(cost: FnCost, baseTtl: number): number {
    return suggestTtl(this.budgetMachine(), cost, baseTtl);
  }

  /** Worker count and batch size for a job of `items` items costing `perItem` each. */
  computeBudget(perItem?: FnCost, opts?: BudgetOptions): ComputeBudget {
    return computeBudget(this.budgetMachine(), perItem, opts);
  }

  toJSON(): MachCapJson {
    const f = this.figures;
    return {
      deviceClass: this.deviceClass,
      machine: { cpuModel: f.fingerprint.cpuModel, runtime: f.fingerprint.runtime, cores: f.cores, physicalCores: f.physicalCores, ramTotal: f.ramTotal, ramAvailable: this.ramAvailable, battery: f.battery, llcBytes: f.llcBytes },
      network: { ...this.network },
      roofline: {
        opsPerSec: f.opsPerSec,
        opsPerSecAll: f.opsPerSecAll,
        memBytesPerSec1: f.memBytesPerSec1,
        memBytesPerSecAll: f.memBytesPerSecAll,
        memBytesPerSecSimd: f.memBytesPerSecSimd,
        diskWriteBytesPerSec: f.diskWriteBytesPerSec,
        diskReadBytesPerSec: f.diskReadBytesPerSec,
        diskReadUncached: f.diskReadUncached,
        ridge: this.ridge,
      },
      kernels: Object.fromEntries(f.kernels),
      measured: { at: f.measuredAt, seconds: f.measureSec, fromCache: this.fromCache, cacheFile: this.cacheFile, workerStartSec: f.workerStartSec, triadElements: f.triadElements, fmaIterations: f.fmaIterations },
    };
  }
}

async function checkFolder(folder: string, why: string): Promise<void> {
  let isDir: boolean;
  try {
    isDir = (await stat(folder)).isDirectory();
  } catch (e) {
    fail('MRG4042', `cannot use ${folder} to measure the machine: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (e as Error).message}`);
  }
  if (!isDir) fail('MRG4042', `cannot use ${folder} to measure the machine: it is not a folder`);
  try {
    await access(folder, constants.W_OK);
  } catch {
    fail('MRG4042', `cannot use ${folder} to measure the machine: it is not writable (coren ${why})`);
  }
}

/** Runs one probe; anything it throws that is not already a diagnostic becomes MRG4045. */
async function phase<T>(name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof MergeError) throw e;
    return fail('MRG4045', `measuring ${name} failed: ${(e as Error).message ?? String(e)}`);
  }
}

async function measure(folder: string, probes: Probes, fingerprint: HostFingerprint, progress: Progress) {
  const t0 = performance.now();
  progress('asking the OS');
  const sys = await phase('the system (systeminformation)', () => probes.system());
  const compute = await phase('compute and memory', () => probes.compute(sys.llcBytes, sys.ramAvailable, progress));
  const disk = await phase(`the disk in ${folder}`, () => probes.disk(folder, progress));
  const kernels = await phase('kernel constants', () => probes.kernels({ opsPerSec: compute.opsPerSec, memBytesPerSec: compute.memBytesPerSec1 }, progress));
  const figures: MachCapFigures = {
    fingerprint,
    measuredAt: new Date().toISOString(),
    measureSec: (performance.now() - t0) / 1000,
    cores: sys.cores,
    physicalCores: sys.physicalCores,
    ramTotal: sys.ramTotal,
    battery: sys.battery,
    llcBytes: sys.llcBytes,
    ...compute,
    diskWriteBytesPerSec: disk.writeBytesPerSec,
    diskReadBytesPerSec: disk.readBytesPerSec,
    diskReadUncached: disk.readUncached,
    link: chooseLink(sys.interfaces),
    kernels,
  };
  const upNames = sys.interfaces.filter((i) => i.up && !i.internal).map((i) => i.name);
  return { figures, ramAvailable: sys.ramAvailable, upNames };
}
