// The disk probe over an in-memory fake of the host: files that record every call, a clock that
// moves by fixed steps on each sync and each read, and an O_DIRECT flag that may or may not exist.
// Every rate below is bytes / (steps × step length), worked out by hand.
import { constants } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

import { measureDisk, nodeDiskOps, PROBE_PREFIX, type DiskOps } from '../../src/coren/probe-disk.js';

const MiB = 1 << 20;
const O_DIRECT = 0o40000;

interface FakeHost {
  /** Milliseconds each sync() takes. */
  syncMs?: number;
  /** Milliseconds each read() takes. */
  readMs?: number;
  directFlag?: number;
  /** Opening with O_DIRECT fails. */
  directOpenFails?: boolean;
  /** The error code of a read through the O_DIRECT handle into the buffer at this offset, or null. */
  directReadError?: (bufferOffset: number) => string | null;
  /** The reader sees at most this many bytes of the file. */
  readableBytes?: number;
  /** Creating the file fails. */
  createFails?: boolean;
}

function fakeHost(h: FakeHost = {}): DiskOps & { calls: string[]; paths: string[] } {
  let clock = 1000;
  const calls: string[] = [];
  const paths: string[] = [];
  let size = 0;
  const err = (code: string) => Object.assign(new Error(`${code}: fake`), { code });
  const handle = (direct: boolean): FileHandle =>
    ({
      write: async (buf: Buffer, offset: number, length: number, position: number) => {
        calls.push(`write ${offset} ${length} @${position}`);
        size = Math.max(size, position + length);
        return { bytesWritten: length, buffer: buf };
      },
      sync: async () => {
        calls.push('sync');
        clock += h.syncMs ?? 0;
      },
      read: async (buf: Buffer, offset: number, length: number, position: number) => {
        calls.push(`read ${offset} ${length} @${position}`);
        if (offset + length > buf.length) throw new RangeError('out of the buffer');
        const code = direct ? (h.directReadError?.(offset) ?? null) : null;
        if (code !== null) throw err(code);
        clock += h.readMs ?? 0;
        const bytesRead = Math.max(0, Math.min(length, Math.min(size, h.readableBytes ?? size) - position));
        return { bytesRead, buffer: buf };
      },
      close: async () => {
        calls.push('close');
      },
    }) as unknown as FileHandle;
  return {
    calls,
    paths,
    now: () => clock,
    directFlag: h.directFlag,
    open: async (path, flags) => {
      paths.push(path);
      const direct = flags === (constants.O_RDONLY | O_DIRECT);
      calls.push(`open ${direct ? 'direct' : flags}`);
      if (flags === 'wx' && h.createFails) throw err('EACCES');
      if (direct && h.directOpenFails) throw err('EINVAL');
      return handle(direct);
    },
    unlink: async (path) => {
      paths.push(path);
      calls.push('unlink');
    },
  };
}

const writes = (chunk: number, count: number) => Array.from({ length: count }, (_, i) => [`write 0 ${chunk} @${i * chunk}`, 'sync']).flat();
const reads = (offset: number, chunk: number, count: number) => Array.from({ length: count }, (_, i) => `read ${offset} ${chunk} @${i * chunk}`);

describe('measureDisk over a fake host', () => {
  it('by default writes 8 MiB chunks until 64 MiB, then reads them back; a read taking no time counts as 1 ns', async () => {
    const host = fakeHost({ syncMs: 1 });
    const r = await measureDisk('/d', {}, host);
    // 64 MiB in 8 syncs of 1 ms: 67108864 / 0.008 s. Reading took 0 ms, counted as 1e-9 s.
    expect(r.writeBytesPerSec).toBeCloseTo(8_388_608_000, -1);
    expect(r.readBytesPerSec).toBeCloseTo(6.7108864e16, -6);
    expect(r.readUncached).toBe(false);
    expect(host.calls).toEqual(['open wx', ...writes(8 * MiB, 8), 'close', 'open r', ...reads(0, 8 * MiB, 8), 'close', 'unlink']);
  });

  it('by default stops writing once 0.3 s have passed (at least one chunk)', async () => {
    const host = fakeHost({ syncMs: 100, readMs: 62.5 });
    const r = await measureDisk('/d', { chunkBytes: 4096, maxBytes: 1 << 30 }, host);
    // Three chunks (0.1, 0.2, then 0.3 s: not below 0.3): 12288 bytes in 0.3 s; read in 3 × 62.5 ms.
    expect(r.writeBytesPerSec).toBeCloseTo(40_960, 6);
    expect(r.readBytesPerSec).toBe(65_536);
    expect(host.calls.filter((c) => c.startsWith('write'))).toEqual(['write 0 4096 @0', 'write 0 4096 @4096', 'write 0 4096 @8192']);
  });

  it('stops at maxSec exactly and at maxBytes exactly', async () => {
    const timed = fakeHost({ syncMs: 125, readMs: 125 });
    const r = await measureDisk('/d', { chunkBytes: 8192, maxBytes: MiB, maxSec: 0.25 }, timed);
    expect(r).toEqual({ writeBytesPerSec: 65_536, readBytesPerSec: 65_536, readUncached: false }); // 16384 B / 0.25 s
    const sized = fakeHost({ syncMs: 1, readMs: 1 });
    await measureDisk('/d', { chunkBytes: 8192, maxBytes: 16_384, maxSec: 10 }, sized);
    expect(sized.calls.filter((c) => c.startsWith('write'))).toEqual(['write 0 8192 @0', 'write 0 8192 @8192']);
  });

  it('writes at least one chunk even when maxBytes and maxSec allow none', async () => {
    const host = fakeHost({ syncMs: 500, readMs: 250 });
    const r = await measureDisk('/d', { chunkBytes: 4096, maxBytes: 0, maxSec: 0 }, host);
    expect(r).toEqual({ writeBytesPerSec: 8192, readBytesPerSec: 16_384, readUncached: false });
  });

  it('reads around the page cache with O_DIRECT, into the first buffer offset the OS accepts', async () => {
    const host = fakeHost({ syncMs: 125, readMs: 62.5, directFlag: O_DIRECT, directReadError: (at) => (at < 48 ? 'EINVAL' : null) });
    const r = await measureDisk('/d', { chunkBytes: 8192, maxBytes: 16_384, maxSec: 10 }, host);
    // Probing reads at buffer offsets 0, 16, 32 are refused, 48 is taken: one 4 KiB read (62.5 ms,
    // before the timed part), then the file in two chunk reads (125 ms): 16384 / 0.125 s.
    expect(r).toEqual({ writeBytesPerSec: 65_536, readBytesPerSec: 131_072, readUncached: true });
    expect(host.calls.slice(host.calls.indexOf('open direct'))).toEqual([
      'open direct',
      'read 0 4096 @0',
      'read 16 4096 @0',
      'read 32 4096 @0',
      'read 48 4096 @0',
      ...reads(48, 8192, 2),
      'close',
      'unlink',
    ]);
  });

  it('falls back to a plain read when O_DIRECT is refused, fails otherwise, never fits, or the chunk is not block-aligned', async () => {
    const opts = { chunkBytes: 8192, maxBytes: 8192, maxSec: 10 };
    const refused = fakeHost({ directFlag: O_DIRECT, directOpenFails: true });
    expect((await measureDisk('/d', opts, refused)).readUncached).toBe(false);
    expect(refused.calls.slice(refused.calls.indexOf('open direct'))).toEqual(['open direct', 'open r', 'read 0 8192 @0', 'close', 'unlink']);

    const io = fakeHost({ directFlag: O_DIRECT, directReadError: () => 'EIO' });
    expect((await measureDisk('/d', opts, io)).readUncached).toBe(false);
    expect(io.calls.slice(io.calls.indexOf('open direct'))).toEqual(['open direct', 'read 0 4096 @0', 'close', 'open r', 'read 0 8192 @0', 'close', 'unlink']);

    const never = fakeHost({ directFlag: O_DIRECT, directReadError: () => 'EINVAL' });
    expect((await measureDisk('/d', opts, never)).readUncached).toBe(false);
    const probes = never.calls.filter((c) => c.endsWith(' 4096 @0'));
    expect(probes).toHaveLength(256); // every 16-byte offset below 4096
    expect(probes.at(-1)).toBe('read 4080 4096 @0');
    expect(never.calls.slice(-5)).toEqual(['close', 'open r', 'read 0 8192 @0', 'close', 'unlink']);

    const unaligned = fakeHost({ directFlag: O_DIRECT });
    expect((await measureDisk('/d', { chunkBytes: 6000, maxBytes: 6000, maxSec: 10 }, unaligned)).readUncached).toBe(false);
    expect(unaligned.calls).not.toContain('open direct');
  });

  it('stops reading at the end of what the file holds', async () => {
    const host = fakeHost({ syncMs: 1, readMs: 1, readableBytes: 10_000 });
    await measureDisk('/d', { chunkBytes: 4096, maxBytes: 16_384, maxSec: 10 }, host);
    // 4096 + 4096 + 1808 bytes, then a read at 10000 gets 0 bytes and ends it before the 16384 written.
    expect(host.calls.filter((c) => c.startsWith('read'))).toEqual(['read 0 4096 @0', 'read 0 4096 @4096', 'read 0 4096 @8192', 'read 0 4096 @10000']);
  });

  it('names its file in the folder with the probe prefix and removes that file', async () => {
    const host = fakeHost({ syncMs: 1 });
    await measureDisk('/some/dir', { chunkBytes: 4096, maxBytes: 4096 }, host);
    expect(host.paths).toHaveLength(3); // create, reopen for reading, unlink
    expect(new Set(host.paths).size).toBe(1);
    expect(host.paths[0]).toMatch(new RegExp(`^/some/dir/\\${PROBE_PREFIX}${process.pid}-[0-9a-f]{8}\\.tmp$`));
  });

  it('removes nothing when it could not create its file', async () => {
    const host = fakeHost({ createFails: true });
    await expect(measureDisk('/d', {}, host)).rejects.toThrow(/EACCES/);
    expect(host.calls).toEqual(['open wx']);
  });
});

describe('nodeDiskOps', () => {
  it('reads the monotonic clock in milliseconds', () => {
    const t0 = performance.now();
    const now = nodeDiskOps.now();
    expect(now).toBeGreaterThanOrEqual(t0);
    expect(now).toBeLessThanOrEqual(performance.now());
  });
});
