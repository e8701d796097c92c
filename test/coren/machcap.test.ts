import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { Diagnostic } from '../../src/diagnostics.js';
import { CACHE_FILE, CACHE_VERSION } from '../../src/coren/cache.js';
import { MachCap } from '../../src/coren/machcap.js';
import { FAKE_FINGERPRINT, FAKE_SYSTEM, fakeProbes, tempDir } from './fakes.js';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

async function errorCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'no error';
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
}

describe('MachCap.read and its cache', () => {
  it('measures once, then reads the cache without measuring again', async () => {
    const probes = fakeProbes();
    const first = await MachCap.read(dir, { probes });
    expect(first.fromCache).toBe(false);
    expect(probes.calls).toEqual({ system: 1, compute: 1, disk: 1, kernels: 1 });
    expect(readdirSync(dir)).toEqual([CACHE_FILE]);

    const second = await MachCap.read(dir, { probes });
    expect(second.fromCache).toBe(true);
    expect(probes.measured).toBe(4);
    expect(second.figures).toEqual(first.figures);
    expect(second.warnings).toEqual([]);
    // Fresh figures on the cached path come from the fast probes.
    expect(second.ramAvailable).toBe(11 * 1024 ** 3);
    expect(first.ramAvailable).toBe(FAKE_SYSTEM.ramAvailable);
  });

  it('keeps the measured figures, the link and the kernel constants', async () => {
    const cap = await MachCap.read(dir, { probes: fakeProbes() });
    const j = cap.toJSON();
    expect(j.deviceClass).toBe('desktop');
    expect(j.machine).toMatchObject({ cores: 4, physicalCores: 2, ramTotal: 16 * 1024 ** 3, battery: false, llcBytes: 8 << 20 });
    expect(j.roofline).toMatchObject({ opsPerSec: 9e9, memBytesPerSec1: 7e9, memBytesPerSecAll: 2e10, diskWriteBytesPerSec: 4e8, diskReadBytesPerSec: 1.2e9 });
    expect(j.roofline.ridge).toBeCloseTo(9 / 7, 12);
    expect(j.network).toMatchObject({ present: true, interface: 'eth0', linkMbps: 1000, bytesPerSec: 1000 * 131_072, assumed: false, source: 'link' });
    expect(j.kernels).toEqual({ scan: 6.5, sort: 4.3, hash: 0.3, matmul: 7.6, etl: 1.5 });
    expect(cap.kernelFactor('sort')).toBe(4.3);
  });

  it('--refresh measures again', async () => {
    const probes = fakeProbes();
    await MachCap.read(dir, { probes });
    const again = await MachCap.read(dir, { probes, refresh: true });
    expect(again.fromCache).toBe(false);
    expect(probes.calls.compute).toBe(2);
  });

  it.each([
    ['not JSON', '{"format": "coren-machcap", '],
    ['another format', JSON.stringify({ format: 'something-else', version: CACHE_VERSION, figures: {} })],
    ['another version', JSON.stringify({ format: 'coren-machcap', version: 999, figures: {} })],
    ['a missing figure', JSON.stringify({ format: 'coren-machcap', version: CACHE_VERSION, figures: { fingerprint: FAKE_FINGERPRINT } })],
  ])('a corrupt cache (%s) warns with MRG4040 and is measured again', async (_what, text) => {
    writeFileSync(join(dir, CACHE_FILE), text);
    const probes = fakeProbes();
    const seen: Diagnostic[] = [];
    const cap = await MachCap.read(dir, { probes, onWarning: (d) => seen.push(d) });
    expect(cap.fromCache).toBe(false);
    expect(probes.calls.compute).toBe(1);
    expect(seen.map((d) => d.code)).toEqual(['MRG4040']);
    expect(cap.warnings).toEqual(seen);
    // The re-measured figures replaced the bad file.
    expect((await MachCap.read(dir, { probes })).fromCache).toBe(true);
  });

  it('a cache with a bad figure (negative rate, unknown kernel) is corrupt', async () => {
    const probes = fakeProbes();
    await MachCap.read(dir, { probes });
    const path = join(dir, CACHE_FILE);
    const good = JSON.parse(readFileSync(path, 'utf8'));
    for (const bad of [{ opsPerSec: -1 }, { kernels: { scan: 1, fft: 2 } }, { kernels: { scan: 1 } }, { link: { name: 'eth0', speedMbps: -1 } }, { cores: 2.5 }]) {
      writeFileSync(path, JSON.stringify({ ...good, figures: { ...good.figures, ...bad } }));
      const cap = await MachCap.read(dir, { probes });
      expect(cap.fromCache).toBe(false);
      expect(cap.warnings[0]?.code).toBe('MRG4040');
    }
  });

  it('a cache from another host fingerprint is measured again', async () => {
    await MachCap.read(dir, { probes: fakeProbes() });
    for (const other of [{ cpuModel: 'Other CPU' }, { cores: 8 }, { ramTotal: 1 }, { runtime: 'node v22.0.0' }]) {
      const probes = fakeProbes({ fingerprint: () => ({ ...FAKE_FINGERPRINT, ...other }) });
      const cap = await MachCap.read(dir, { probes });
      expect(cap.fromCache).toBe(false);
      expect(probes.calls.compute).toBe(1);
      expect(cap.warnings.map((d) => d.code)).toEqual(['MRG4040']);
      expect(cap.warnings[0]?.message).toMatch(/another host/);
    }
  });

  it('warns MRG4044 and still answers when the cache cannot be written', async () => {
    mkdirSync(join(dir, CACHE_FILE)); // a folder where the file should go
    const cap = await MachCap.read(dir, { probes: fakeProbes() });
    expect(cap.warnings.map((d) => d.code)).toEqual(['MRG4040', 'MRG4044']);
    expect(cap.figures.opsPerSec).toBe(9e9);
    expect(readdirSync(dir)).toEqual([CACHE_FILE]); // no temp file left behind
  });

  it('refuses a folder that does not exist or is a file (MRG4042)', async () => {
    expect(await errorCode(MachCap.read(join(dir, 'missing'), { probes: fakeProbes() }))).toBe('MRG4042');
    writeFileSync(join(dir, 'file'), '');
    expect(await errorCode(MachCap.read(join(dir, 'file'), { probes: fakeProbes() }))).toBe('MRG4042');
  });

  it('turns a failing probe into MRG4045 and writes no cache', async () => {
    const probes = fakeProbes({
      disk: async () => {
        throw new Error('ENOSPC: no space left on device');
      },
    });
    expect(await errorCode(MachCap.read(dir, { probes }))).toBe('MRG4045');
    await expect(MachCap.read(dir, { probes })).rejects.toThrow(/measuring the disk in .* failed: ENOSPC/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('reports each measuring phase to onProgress, and none from the cache', async () => {
    const phases: string[] = [];
    await MachCap.read(dir, { probes: fakeProbes(), onProgress: (p) => phases.push(p) });
    expect(phases).toEqual(['asking the OS', 'fake compute']);
    phases.length = 0;
    await MachCap.read(dir, { probes: fakeProbes(), onProgress: (p) => phases.push(p) });
    expect(phases).toEqual([]);
  });
});

describe('MachCap network', () => {
  it('uses the assumed 100 Mbit/s (13,107,200 B/s) when the link speed is unknown, and says so', async () => {
    const probes = fakeProbes({ system: async () => ({ ...FAKE_SYSTEM, interfaces: [{ name: 'eth0', up: true, internal: false, speedMbps: -1, isDefault: true }] }) });
    const cap = await MachCap.read(dir, { probes });
    expect(cap.network).toMatchObject({ present: true, assumed: true, bytesPerSec: 13_107_200, source: 'assumed', linkMbps: null });
    expect((await MachCap.read(dir, { probes })).network.assumed).toBe(true);
  });

  it('has no network when no non-loopback interface is up: verdicts are -inf', async () => {
    const probes = fakeProbes({
      upInterfaces: () => [],
      system: async () => ({ ...FAKE_SYSTEM, interfaces: [{ name: 'lo', up: true, internal: true, speedMbps: null, isDefault: false }, { name: 'eth0', up: false, internal: false, speedMbps: 1000, isDefault: true }] }),
    });
    const measured = await MachCap.read(dir, { probes });
    expect(measured.network).toMatchObject({ present: false, source: 'none', bytesPerSec: 0 });
    const cached = await MachCap.read(dir, { probes });
    expect(cached.fromCache).toBe(true);
    expect(cached.network.present).toBe(false);
  });

  it('re-checks presence on the cached path', async () => {
    await MachCap.read(dir, { probes: fakeProbes() });
    const offline = await MachCap.read(dir, { probes: fakeProbes({ upInterfaces: () => [] }) });
    expect(offline.fromCache).toBe(true);
    expect(offline.network.present).toBe(false);
  });

  it('applies user overrides for speed and latency', async () => {
    const probes = fakeProbes();
    const cap = await MachCap.read(dir, { probes, netMbps: 50, netLatencyMs: 20 });
    expect(cap.network).toMatchObject({ present: true, bytesPerSec: 50 * 131_072, latencySec: 0.02, source: 'override', assumed: false });
    const none = await MachCap.read(dir, { probes, netMbps: 0 });
    expect(none.network.present).toBe(false);
    expect(await errorCode(MachCap.read(dir, { probes, netMbps: -5 }))).toBe('MRG4043');
    expect(await errorCode(MachCap.read(dir, { probes, netLatencyMs: Number.NaN }))).toBe('MRG4043');
  });
});
