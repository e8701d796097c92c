// MachCap.read's refusals and failures, with their whole diagnostic texts: unusable folders
// (MRG4042), failing probes (MRG4045), a cache that cannot be written (MRG4044), and what it records.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { fail } from '../../src/diagnostics.js';
import { CACHE_FILE } from '../../src/coren/cache.js';
import { MachCap } from '../../src/coren/machcap.js';
import { fakeProbes, tempDir } from './fakes.js';
import { rejection as refusal } from './refusal.js';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

/**
 * Runs `fn` while `access(path, W_OK)` fails with EROFS for the folders in `readOnly`, as on a
 * read-only mount (the tests run as root, who may write anywhere a real mode would forbid).
 */
async function withReadOnly<T>(readOnly: string[], fn: () => Promise<T>): Promise<T> {
  const fsp = createRequire(import.meta.url)('node:fs/promises') as typeof import('node:fs/promises');
  const access = fsp.access;
  fsp.access = async (path, mode) => {
    if (readOnly.includes(String(path))) throw Object.assign(new Error(`EROFS: read-only file system, access '${String(path)}'`), { code: 'EROFS' });
    return access(path, mode);
  };
  syncBuiltinESMExports();
  try {
    return await fn();
  } finally {
    fsp.access = access;
    syncBuiltinESMExports();
  }
}

describe('MachCap.read refuses a folder it cannot use (MRG4042)', () => {
  it('one that does not exist', async () => {
    const missing = join(dir, 'missing');
    expect(await refusal(MachCap.read(missing, { probes: fakeProbes() }))).toBe(`MRG4042: cannot use ${missing} to measure the machine: it does not exist`);
  });

  it('a file', async () => {
    const file = join(dir, 'file');
    writeFileSync(file, '');
    expect(await refusal(MachCap.read(file, { probes: fakeProbes() }))).toBe(`MRG4042: cannot use ${file} to measure the machine: it is not a folder`);
  });

  it('a path through a file: the system error', async () => {
    writeFileSync(join(dir, 'file'), '');
    const under = join(dir, 'file', 'sub');
    expect(await refusal(MachCap.read(under, { probes: fakeProbes() }))).toBe(`MRG4042: cannot use ${under} to measure the machine: ENOTDIR: not a directory, stat '${under}'`);
  });

  it('a read-only folder, saying what coren writes there', async () => {
    const probes = fakeProbes();
    const probeDir = join(dir, 'probe');
    mkdirSync(probeDir);
    await withReadOnly([dir], async () => {
      expect(await refusal(MachCap.read(dir, { probes }))).toBe(`MRG4042: cannot use ${dir} to measure the machine: it is not writable (coren writes its disk probe and cache there)`);
      expect(await refusal(MachCap.read(dir, { probes, probeDir }))).toBe(`MRG4042: cannot use ${dir} to measure the machine: it is not writable (coren writes its cache there)`);
    });
    await withReadOnly([probeDir], async () => {
      expect(await refusal(MachCap.read(dir, { probes, probeDir }))).toBe(`MRG4042: cannot use ${probeDir} to measure the machine: it is not writable (coren writes its disk probe there)`);
    });
    expect(probes.measured).toBe(0);
    expect(readdirSync(dir)).toEqual(['probe']);
  });

  it('checks the probe folder only when it is another folder', async () => {
    const missing = join(dir, 'gone');
    expect(await refusal(MachCap.read(dir, { probes: fakeProbes(), probeDir: missing }))).toBe(`MRG4042: cannot use ${missing} to measure the machine: it does not exist`);
    const probes = fakeProbes();
    await withReadOnly([join(dir, 'elsewhere')], () => MachCap.read(dir, { probes, probeDir: dir }));
    expect(probes.diskDirs).toEqual([dir]);
  });
});

describe('MachCap warnings', () => {
  it('are kept by withStore, as a copy', async () => {
    writeFileSync(join(dir, CACHE_FILE), 'garbage');
    const cap = await MachCap.read(dir, { probes: fakeProbes() });
    const expected = [{ code: 'MRG4040', severity: 'warning', message: `machine cache ${join(dir, CACHE_FILE)} is not valid JSON; measuring again` }];
    expect(cap.warnings).toStrictEqual(expected);
    const store = cap.withStore('redis://cache:6379', 0.001, 1e6);
    expect(store.warnings).toStrictEqual(expected);
    expect(store.warnings).not.toBe(cap.warnings);
    expect(store.fromCache).toBe(false);
    expect(store.cacheFile).toBe(join(dir, CACHE_FILE));
  });
});

describe('MachCap.read measuring', () => {
  it('names the phase whose probe failed (MRG4045), and writes no cache', async () => {
    const boom = async (): Promise<never> => {
      throw new Error('boom');
    };
    expect(await refusal(MachCap.read(dir, { probes: fakeProbes({ system: boom }) }))).toBe('MRG4045: measuring the system (systeminformation) failed: boom');
    expect(await refusal(MachCap.read(dir, { probes: fakeProbes({ compute: boom }) }))).toBe('MRG4045: measuring compute and memory failed: boom');
    expect(await refusal(MachCap.read(dir, { probes: fakeProbes({ disk: boom }) }))).toBe(`MRG4045: measuring the disk in ${dir} failed: boom`);
    expect(await refusal(MachCap.read(dir, { probes: fakeProbes({ kernels: boom }) }))).toBe('MRG4045: measuring kernel constants failed: boom');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('passes a probe diagnostic on as it is', async () => {
    const probes = fakeProbes({ disk: async () => fail('MRG4042', 'the disk probe cannot write here') });
    expect(await refusal(MachCap.read(dir, { probes }))).toBe('MRG4042: the disk probe cannot write here');
  });

  it('probes the disk of probeDir and caches in the folder given', async () => {
    const probeDir = join(dir, 'probe');
    mkdirSync(probeDir);
    const probes = fakeProbes();
    await MachCap.read(dir, { probes, probeDir });
    expect(probes.diskDirs).toEqual([probeDir]);
    expect(readdirSync(dir).sort()).toEqual([CACHE_FILE, 'probe']);
  });

  it('records when it measured and how long it took', async () => {
    // The wall clock and performance.now() (the same object as node:perf_hooks' performance) are
    // both fixed; the disk probe takes 2.5 s of the latter.
    vi.useFakeTimers({ toFake: ['Date'] });
    let now = 1000;
    const clock = vi.spyOn(performance, 'now').mockImplementation(() => now);
    try {
      vi.setSystemTime(new Date('2026-12-07T01:02:03.456Z'));
      const probes = fakeProbes({
        disk: async () => {
          now += 2500;
          return { writeBytesPerSec: 4e8, readBytesPerSec: 1.2e9, readUncached: true };
        },
      });
      const cap = await MachCap.read(dir, { probes });
      expect(cap.figures.measuredAt).toBe('2026-12-07T01:02:03.456Z');
      expect(cap.figures.measureSec).toBe(2.5);
    } finally {
      clock.mockRestore();
      vi.useRealTimers();
    }
  });

  it('warns MRG4044 with the reason when the cache cannot be written', async () => {
    mkdirSync(join(dir, CACHE_FILE));
    const file = join(dir, CACHE_FILE);
    const seen: string[] = [];
    const cap = await MachCap.read(dir, { probes: fakeProbes(), onWarning: (d) => seen.push(`${d.code}: ${d.message}`) });
    expect(seen[0]).toBe(`MRG4040: machine cache ${file} cannot be read (it is a directory); measuring again`);
    expect(seen[1]).toMatch(new RegExp(`^MRG4044: could not write the machine cache ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: EISDIR: illegal operation on a directory, rename '`));
    expect(cap.warnings.map((d) => `${d.code}: ${d.message}`)).toEqual(seen);
  });
});
