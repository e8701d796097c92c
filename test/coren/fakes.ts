// Fake probes for MachCap tests: fixed figures, and a count of every slow call.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { HostFingerprint, SystemInfo } from '../../src/coren/probe-system.js';
import type { Probes } from '../../src/coren/probes.js';

export interface CountingProbes extends Probes {
  calls: { system: number; compute: number; disk: number; kernels: number };
  /** The folders the disk probe was given, in order. */
  diskDirs: string[];
  /** Slow calls in all. */
  readonly measured: number;
}

export const FAKE_FINGERPRINT: HostFingerprint = { cpuModel: 'Fake CPU 3000', cores: 4, ramTotal: 16 * 1024 ** 3, runtime: 'node v20.0.0' };

export const FAKE_SYSTEM: SystemInfo = {
  cpuModel: 'Fake CPU 3000',
  cores: 4,
  physicalCores: 2,
  ramTotal: 16 * 1024 ** 3,
  ramAvailable: 12 * 1024 ** 3,
  battery: false,
  llcBytes: 8 << 20,
  interfaces: [
    { name: 'lo', up: true, internal: true, speedMbps: null, isDefault: false },
    { name: 'eth0', up: true, internal: false, speedMbps: 1000, isDefault: true },
  ],
};

export function fakeProbes(over: Partial<Probes> & { fingerprint?: () => HostFingerprint; system?: () => Promise<SystemInfo> } = {}): CountingProbes {
  const calls = { system: 0, compute: 0, disk: 0, kernels: 0 };
  const diskDirs: string[] = [];
  const probes: CountingProbes = {
    calls,
    diskDirs,
    get measured() {
      return calls.system + calls.compute + calls.disk + calls.kernels;
    },
    fingerprint: over.fingerprint ?? (() => FAKE_FINGERPRINT),
    ramAvailable: over.ramAvailable ?? (() => 11 * 1024 ** 3),
    upInterfaces: over.upInterfaces ?? (() => ['eth0']),
    system: async () => {
      calls.system++;
      return over.system ? over.system() : FAKE_SYSTEM;
    },
    compute: async (llc, ram, progress) => {
      calls.compute++;
      if (over.compute) return over.compute(llc, ram, progress);
      progress('fake compute');
      return { opsPerSec: 9e9, opsPerSecAll: 3.6e10, memBytesPerSec1: 7e9, memBytesPerSecAll: 2e10, memBytesPerSecSimd: 1.8e10, triadElements: 1 << 20, fmaIterations: 6_000_000, workers: 4, workerStartSec: 0.02 };
    },
    disk: async (dir, progress) => {
      calls.disk++;
      diskDirs.push(dir);
      if (over.disk) return over.disk(dir, progress);
      return { writeBytesPerSec: 4e8, readBytesPerSec: 1.2e9, readUncached: true };
    },
    kernels: async (roof, progress) => {
      calls.kernels++;
      if (over.kernels) return over.kernels(roof, progress);
      return new Map([
        ['scan', 6.5],
        ['sort', 4.3],
        ['hash', 0.3],
        ['matmul', 7.6],
        ['etl', 1.5],
      ] as const);
    },
  };
  return probes;
}

/** A fresh temporary folder and its removal. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'coren-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
