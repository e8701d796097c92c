import { readdirSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { measureCompute, triadElements, triadOffsets } from '../../src/coren/probe-compute.js';
import { WASM_TRIAD_MODULE, wasmApi } from '../../src/coren/wasm-triad.js';
import { measureDisk, nodeDiskOps, PROBE_PREFIX, type DiskOps } from '../../src/coren/probe-disk.js';
import { fastRamAvailable, fastUpInterfaces, hostFingerprint } from '../../src/coren/probe-system.js';
import { quickProbes } from '../../src/coren/probes.js';
import { tempDir } from './fakes.js';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

const small = { chunkBytes: 64 * 1024, maxBytes: 256 * 1024, maxSec: 10 };

/** Wraps the real file operations so that `write` or `read` fails after `after` calls. */
function failingOps(kind: 'write' | 'read', after: number): DiskOps {
  let calls = 0;
  const trip = () => {
    if (calls++ >= after) throw Object.assign(new Error(`EIO: injected ${kind} failure`), { code: 'EIO' });
  };
  return {
    ...nodeDiskOps,
    open: async (path, flags) => {
      const h = await nodeDiskOps.open(path, flags);
      return new Proxy(h, {
        get(target, prop) {
          const v = Reflect.get(target, prop, target) as unknown;
          if (prop === kind && typeof v === 'function') {
            return async (...args: unknown[]) => {
              trip();
              return (v as (...a: unknown[]) => unknown).apply(target, args);
            };
          }
          return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
        },
      }) as FileHandle;
    },
  };
}

describe('disk probe', () => {
  it('writes and reads in the folder and leaves nothing behind', async () => {
    const r = await measureDisk(dir, small);
    expect(r.writeBytesPerSec).toBeGreaterThan(0);
    expect(r.readBytesPerSec).toBeGreaterThan(0);
    expect(Number.isFinite(r.writeBytesPerSec) && Number.isFinite(r.readBytesPerSec)).toBe(true);
    expect(typeof r.readUncached).toBe('boolean');
    expect(readdirSync(dir)).toEqual([]);
  });

  it.each([
    ['write', 0],
    ['write', 2],
    ['read', 1],
  ] as const)('removes its file after an injected %s failure (after %i calls)', async (kind, after) => {
    await expect(measureDisk(dir, small, failingOps(kind, after))).rejects.toThrow(/injected/);
    expect(readdirSync(dir).filter((f) => f.startsWith(PROBE_PREFIX))).toEqual([]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('fails cleanly in a folder that does not exist', async () => {
    await expect(measureDisk(`${dir}/missing`, small)).rejects.toThrow(/ENOENT/);
  });
});

describe('compute probe', () => {
  it('sizes triad arrays at >= 4x the LLC and >= 1 Mi elements, within the memory allowed', () => {
    expect(triadElements(32 << 20, 1e12)).toBe(16 << 20); // 4 × 32 MiB / 8 bytes
    expect(triadElements(256 << 10, 1e12)).toBe(1 << 20);
    expect(triadElements(32 << 20, 24 * 1000 * 1000)).toBe(1_000_000);
  });

  it('lays the three triad arrays out 0, 1 KiB and 3 KiB into their pages (no 4K aliasing between the streams)', () => {
    // 16 Mi doubles = 128 MiB: b at 128 MiB + 1 KiB; c after b's end (256 MiB + 1 KiB), rounded up to a page, + 3 KiB.
    expect(triadOffsets(16 << 20)).toEqual([0, 134_218_752, 268_442_624]);
    // 1000 doubles = 8000 bytes: b at 8192 + 1024; c at round_up(9216 + 8000 = 17216) = 20480, + 3072.
    expect(triadOffsets(1000)).toEqual([0, 9216, 23_552]);
  });

  it('runs the FMA loop and the triad in worker threads (tiny sizes)', async () => {
    const phases: string[] = [];
    const r = await measureCompute(0, 1e9, { minElements: 1 << 14, llcMultiple: 0, trials: 1, fmaIterations: 10_000, workers: 2 }, (p) => phases.push(p));
    for (const v of [r.opsPerSec, r.opsPerSecAll, r.memBytesPerSec1, r.memBytesPerSecAll, r.memBytesPerSecSimd ?? NaN, r.workerStartSec]) {
      expect(Number.isFinite(v) && v > 0).toBe(true);
    }
    expect(r).toMatchObject({ triadElements: 1 << 14, workers: 2 });
    expect(phases).toEqual(['starting worker threads', 'FMA loop, one thread', 'FMA loop, all cores', 'memory bandwidth, one thread', 'memory bandwidth, WebAssembly SIMD', 'memory bandwidth, all cores']);
  });
});

describe('fast system probes', () => {
  it('fingerprint the host and read RAM and interfaces without systeminformation', () => {
    const fp = hostFingerprint();
    expect(fp.cores).toBeGreaterThan(0);
    expect(fp.ramTotal).toBeGreaterThan(0);
    expect(fp.runtime).toBe(`node ${process.version}`);
    expect(fastRamAvailable()).toBeGreaterThan(0);
    expect(fastUpInterfaces()).not.toContain('lo');
  });
});

describe('the WebAssembly SIMD triad', () => {
  it('is a valid module computing a[i] = b[i] + q·c[i] over arrays in a shared memory', () => {
    const api = wasmApi();
    expect(api).not.toBeNull();
    const memory = new api!.Memory({ initial: 1, maximum: 1, shared: true });
    const triad = new api!.Instance(new api!.Module(WASM_TRIAD_MODULE), { env: { mem: memory } }).exports['triad'] as (a: number, b: number, c: number, n: number, q: number) => void;
    const f = new Float64Array(memory.buffer);
    // Six doubles each: a at 0, b at byte 64, c at byte 128 (element 16).
    for (let i = 0; i < 6; i++) {
      f[8 + i] = i;
      f[16 + i] = 10 * i;
    }
    f[6] = -1; // just past a: must stay as it is
    triad(0, 64, 128, 6, 0.5);
    expect([...f.subarray(0, 7)]).toEqual([0, 6, 12, 18, 24, 30, -1]); // i + 0.5 · 10i
  });
});

describe('quickProbes', () => {
  it('measures for real at small sizes: 16384 triad elements, 100000 FMA iterations, two workers; the disk in the folder', async () => {
    const p = quickProbes();
    const phases: string[] = [];
    const c = await p.compute(0, 1e9, (phase) => phases.push(phase));
    expect(c).toMatchObject({ triadElements: 16_384, fmaIterations: 100_000, workers: 2 });
    const d = await p.disk(dir, (phase) => phases.push(phase));
    expect(d.writeBytesPerSec).toBeGreaterThan(0);
    expect(phases.at(0)).toBe('starting worker threads');
    expect(phases.at(-1)).toBe('disk write and read');
    expect(readdirSync(dir)).toEqual([]);
  });
});
