// Everything MachCap asks the machine, behind one interface: tests pass fakes (counting calls,
// fixed figures, injected failures); `realProbes` measures.
import { measureCompute, type ComputeOptions, type ComputeRates } from './probe-compute.js';
import { measureDisk, type DiskOptions, type DiskRates } from './probe-disk.js';
import { fastRamAvailable, fastUpInterfaces, hostFingerprint, querySystem, type HostFingerprint, type SystemInfo } from './probe-system.js';
import { fitKernelFactors, type FitOptions, type KernelName, type Roofline1 } from './kernels.js';

export type Progress = (phase: string) => void;

export interface Probes {
  /** Fast: identifies the host (CPU model, cores, total RAM, runtime). */
  fingerprint(): HostFingerprint;
  /** Fast: RAM available now. */
  ramAvailable(): number;
  /** Fast: names of the non-loopback interfaces up now. */
  upInterfaces(): string[];
  /** Slow: the OS queries (systeminformation). */
  system(): Promise<SystemInfo>;
  /** Slow: FMA loop and triad bandwidth, one thread and all cores. */
  compute(llcBytes: number, ramAvailable: number, progress: Progress): Promise<ComputeRates>;
  /** Slow: sequential write and read in `dir`. */
  disk(dir: string, progress: Progress): Promise<DiskRates>;
  /** Slow: per-kernel constants against the one-thread roofline. */
  kernels(roof: Roofline1, progress: Progress): Promise<Map<KernelName, number>>;
}

export interface RealProbeOptions {
  compute?: ComputeOptions;
  disk?: DiskOptions;
  kernels?: FitOptions;
}

export function realProbes(opts: RealProbeOptions = {}): Probes {
  return {
    fingerprint: hostFingerprint,
    ramAvailable: fastRamAvailable,
    upInterfaces: fastUpInterfaces,
    system: querySystem,
    compute: (llc, ram, progress) => measureCompute(llc, ram, opts.compute, progress),
    disk: (dir, progress) => {
      progress('disk write and read');
      return measureDisk(dir, opts.disk);
    },
    kernels: async (roof, progress) => fitKernelFactors(roof, opts.kernels, progress),
  };
}

/** Small sizes and few trials: a real measurement in well under a second, for tests and demos. */
export const QUICK_PROBE_OPTIONS: RealProbeOptions = {
  compute: { minElements: 1 << 14, llcMultiple: 0, trials: 1, fmaIterations: 100_000, workers: 2 },
  disk: { chunkBytes: 64 * 1024, maxBytes: 256 * 1024, maxSec: 0.05 },
  kernels: { tiny: true, trials: 1 },
};

export function quickProbes(): Probes {
  return realProbes(QUICK_PROBE_OPTIONS);
}
