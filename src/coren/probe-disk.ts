// Sequential disk write (fsync after every chunk) and read in the folder given to MachCap.read.
// The probe file is removed whatever happens. Reads bypass the page cache with O_DIRECT where the
// OS allows it; otherwise the figure may be the page cache's and the result says so.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export interface DiskRates {
  writeBytesPerSec: number;
  readBytesPerSec: number;
  /** The read went around the page cache (O_DIRECT); false means it may have been served from RAM. */
  readUncached: boolean;
}

export interface DiskOptions {
  /** Bytes written per chunk (default 8 MiB). */
  chunkBytes?: number;
  /** Stop writing after this many bytes (default 64 MiB)… */
  maxBytes?: number;
  /** …or after this many seconds, whichever comes first (default 0.3 s); at least one chunk. */
  maxSec?: number;
}

/**
 * What the probe asks of the host: file operations, a clock and the O_DIRECT flag. Tests pass fakes
 * (in-memory files, a clock that moves by fixed steps) or wrap the real ones to inject failures.
 */
export interface DiskOps {
  open(path: string, flags: string | number): Promise<FileHandle>;
  unlink(path: string): Promise<void>;
  /** Milliseconds on a monotonic clock. */
  now(): number;
  /** The OS's O_DIRECT flag; undefined where it has none. */
  directFlag: number | undefined;
}

export const nodeDiskOps: DiskOps = {
  open: (p, f) => open(p, f, 0o600),
  unlink,
  now: () => performance.now(),
  directFlag: (constants as Record<string, number | undefined>)['O_DIRECT'],
};

/** Probe files are named like this, so a leftover one is recognisable. */
export const PROBE_PREFIX = '.coren-probe-';

const ALIGN = 4096;

export async function measureDisk(dir: string, opts: DiskOptions = {}, ops: DiskOps = nodeDiskOps): Promise<DiskRates> {
  const chunkBytes = opts.chunkBytes ?? 8 << 20;
  const maxBytes = opts.maxBytes ?? 64 << 20;
  const maxSec = opts.maxSec ?? 0.3;
  const path = join(dir, `${PROBE_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  let created = false;
  try {
    // Random content: a compressing or deduplicating filesystem must not shortcut the write.
    const chunk = randomBytes(chunkBytes);
    const out = await ops.open(path, 'wx');
    created = true;
    let written = 0;
    const t0 = ops.now();
    try {
      do {
        await out.write(chunk, 0, chunk.length, written);
        await out.sync();
        written += chunk.length;
      } while (written < maxBytes && (ops.now() - t0) / 1000 < maxSec);
    } finally {
      await out.close();
    }
    const writeSec = (ops.now() - t0) / 1000;
    const read = await readBack(path, written, chunkBytes, ops);
    return { writeBytesPerSec: written / writeSec, readBytesPerSec: written / read.sec, readUncached: read.direct };
  } finally {
    if (created) await ops.unlink(path).catch(() => {});
  }
}

async function readBack(path: string, size: number, chunkBytes: number, ops: DiskOps): Promise<{ sec: number; direct: boolean }> {
  const direct = chunkBytes % ALIGN === 0 ? await openDirect(path, chunkBytes, ops) : null;
  const handle = direct?.handle ?? (await ops.open(path, 'r'));
  const buf = direct?.buf ?? Buffer.allocUnsafeSlow(chunkBytes);
  const at = direct?.offset ?? 0;
  try {
    const t0 = ops.now();
    let pos = 0;
    while (pos < size) {
      const { bytesRead } = await handle.read(buf, at, chunkBytes, pos);
      if (bytesRead === 0) break;
      pos += bytesRead;
    }
    return { sec: Math.max((ops.now() - t0) / 1000, 1e-9), direct: direct !== null };
  } finally {
    await handle.close();
  }
}

/**
 * O_DIRECT needs a buffer aligned to the block size, and JavaScript cannot ask for one: allocate
 * one block extra and find the offset the kernel accepts (EINVAL for a misaligned one).
 */
async function openDirect(path: string, chunkBytes: number, ops: DiskOps): Promise<{ handle: FileHandle; buf: Buffer; offset: number } | null> {
  const flag = ops.directFlag;
  if (flag === undefined) return null;
  let handle: FileHandle;
  try {
    handle = await ops.open(path, constants.O_RDONLY | flag);
  } catch {
    return null;
  }
  const buf = Buffer.allocUnsafeSlow(chunkBytes + ALIGN);
  for (let offset = 0; offset < ALIGN; offset += 16) {
    try {
      await handle.read(buf, offset, ALIGN, 0);
      return { handle, buf, offset };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EINVAL') break;
    }
  }
  await handle.close();
  return null;
}
