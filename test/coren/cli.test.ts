import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { corenMain, parseCorenArgs } from '../../src/cli/coren-main.js';
import { captureIo } from '../../src/cli/io.js';
import { CACHE_FILE } from '../../src/coren/cache.js';
import { quickProbes } from '../../src/coren/probes.js';
import { fakeProbes, tempDir } from './fakes.js';

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  process.env['MERG_E_CACHE_DIR'] = dir; // the user's cache folder, where coren keeps the machine
});
afterEach(() => cleanup());

async function coren(args: string[], opts: { tty?: boolean; probes?: ReturnType<typeof fakeProbes> } = {}) {
  const io = captureIo(dir);
  const probes = opts.probes ?? fakeProbes();
  const status = await corenMain(args, { ...io, errIsTTY: opts.tty ?? false }, { probes, calibrate: { tiny: true, trials: 1 } });
  return { status, out: io.stdout, err: io.stderr, probes };
}

describe('coren', () => {
  it('prints the machine, the roofline and the verdict table in the seed layout', async () => {
    const { status, out, err } = await coren([]);
    expect(status).toBe(0);
    expect(err).toBe('');
    const lines = out.split('\n');
    expect(lines[0]).toBe('coren  [desktop]');
    expect(out).toMatch(/^ {2}machine {3}4 cores \(2 physical\), RAM 16\.0GB total, 12\.0GB available, no battery/m);
    expect(out).toMatch(/^ {2}network {3}eth0: link 1000 Mbit\/s \(125\.0MB\/s\); latency 0 ms$/m);
    expect(out).toMatch(/^ {2}roofline {2}9\.0G ops\/s \(1 thread\), 36\.0G ops\/s \(all\); memory 6\.5GB\/s \(1 thread\), 18\.6GB\/s \(all\)$/m);
    expect(out).toMatch(/disk write 381\.5MB\/s, read 1\.1GB\/s; ridge 1\.29 ops\/byte/);
    expect(out).toContain('  verdicts (what should this machine do?)\n    task                           W         Q         R    score       neck action\n');
    expect(out).toMatch(/^ {4}sort 1M x 64B {13}200\.0M {5}1\.2GB {4}10\.0MB +-?\d+\.\d{3} +(memory|compute) (compute|fetch)$/m);
    expect(out).toMatch(/^ {4}matmul 64k\^3 .* +\+inf +compute fetch$/m);
    expect(readdirSync(dir)).toEqual([CACHE_FILE]);
  });

  it('--json has the documented shape, decimal-string costs and +inf/-inf scores', async () => {
    const { status, out } = await coren(['--json', '--net-mbps', '100']);
    expect(status).toBe(0);
    const j = JSON.parse(out);
    expect(j.deviceClass).toBe('desktop');
    expect(j.machine).toMatchObject({ cores: 4, ramTotal: 16 * 1024 ** 3, ramAvailable: 12 * 1024 ** 3, battery: false }); // measured: from systeminformation
    expect(j.network).toMatchObject({ present: true, bytesPerSec: 13_107_200, latencySec: 0, assumed: false });
    for (const k of ['opsPerSec', 'memBytesPerSec1', 'memBytesPerSecAll', 'diskWriteBytesPerSec', 'diskReadBytesPerSec', 'ridge']) expect(typeof j.roofline[k]).toBe('number');
    const sort = j.verdicts[0];
    expect(sort).toMatchObject({ task: 'sort 1M x 64B', ops: '200000000', memBytes: '1280000000', peakMem: '128000000', resultBytes: '10485760' });
    for (const k of ['score', 'bottleneck', 'action']) expect(sort).toHaveProperty(k);
    expect(j.verdicts.find((v: { task: string }) => v.task === 'matmul 64k^3').score).toBe('+inf');
    const offline = JSON.parse((await coren(['--json', '--net-mbps=0'])).out);
    expect(offline.network.present).toBe(false);
    expect(new Set(offline.verdicts.map((v: { score: unknown }) => v.score))).toEqual(new Set(['-inf']));
  });

  it('measures once; later runs read the cache; --refresh measures again', async () => {
    const probes = fakeProbes();
    await coren([], { probes });
    await coren(['--json'], { probes });
    expect(probes.calls.compute).toBe(1);
    await coren(['--refresh'], { probes });
    expect(probes.calls.compute).toBe(2);
  });

  it('--dir is resolved against the working folder, and only the disk is probed there', async () => {
    const { status, err } = await coren(['--dir', 'nope']);
    expect(status).toBe(1);
    expect(err).toMatch(/MRG4042 error: cannot use .*nope to measure the machine: it does not exist/);
    mkdirSync(join(dir, 'data'));
    const probes = fakeProbes();
    expect((await coren(['--dir', 'data'], { probes })).status).toBe(0);
    expect(probes.diskDirs).toEqual([join(dir, 'data')]);
    expect(readdirSync(join(dir, 'data'))).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual([CACHE_FILE, 'data']);
  });

  it('keeps the machine in the user cache folder that merg-e run reads ($MERG_E_CACHE_DIR), never in the working folder', async () => {
    const cwd = join(dir, 'work');
    const cache = join(dir, 'cache');
    mkdirSync(cwd);
    process.env['MERG_E_CACHE_DIR'] = cache; // not created yet: coren creates it
    const io = captureIo(cwd);
    expect(await corenMain(['--json'], io, { probes: fakeProbes() })).toBe(0);
    expect(readdirSync(cwd)).toEqual([]);
    expect(readdirSync(cache)).toEqual([CACHE_FILE]);
    expect(JSON.parse(io.stdout).measured.cacheFile).toBe(join(cache, CACHE_FILE));
  });

  it('shows progress on a terminal only, and never with --json', async () => {
    const tty = await coren([], { tty: true });
    expect(tty.err).toContain('coren: measuring this machine: asking the OS…');
    expect(tty.err.endsWith('\r\x1b[K')).toBe(true);
    expect(tty.out).not.toContain('measuring');
    const json = await coren(['--json', '--refresh'], { tty: true });
    expect(json.err).toBe('');
    expect(() => JSON.parse(json.out)).not.toThrow();
  });

  it('prints cache warnings on stderr', async () => {
    await coren([]);
    await import('node:fs').then((fs) => fs.writeFileSync(`${dir}/${CACHE_FILE}`, 'garbage'));
    const { status, err, out } = await coren(['--json']);
    expect(status).toBe(0);
    expect(err).toMatch(/MRG4040 warning: machine cache .* is not valid JSON; measuring again/);
    expect(() => JSON.parse(out)).not.toThrow();
  });

  it('--help explains the options with examples', async () => {
    const { status, out } = await coren(['--help']);
    expect(status).toBe(0);
    expect(out).toMatch(/^usage: coren \[options\]\n/);
    for (const o of ['--json', '--refresh', '--dir D', '--net-mbps N', '--net-latency-ms N', '--version']) expect(out).toContain(o);
    expect(out).toContain('coren calibrate');
    expect(out).toContain('exit status:\n  0 ');
    expect(out).toContain('examples:');
  });

  it.each([
    [['--bogus'], 2, /MRG4002 error: coren: unknown option '--bogus'/],
    [['--refrsh'], 2, /MRG4002 error: coren: unknown option '--refrsh' \(did you mean --refresh\?\)/],
    [['extra'], 2, /MRG4002 error: coren: unexpected argument 'extra'/],
    [['--dir'], 2, /MRG4002 error: coren: --dir needs a value \(nothing follows it\)/],
    [['--dir', '--refresh'], 2, /MRG4002 error: coren: --dir needs a value \('--refresh' follows it; write --dir=--refresh if that is the value\)/],
    [['--json=yes'], 2, /MRG4002 error: coren: --json takes no value/],
    [['--net-mbps', 'fast'], 2, /MRG4002 error: coren: --net-mbps needs a decimal number of at least 0, got 'fast'/],
    [['--net-mbps', '0x10'], 2, /MRG4002 error: coren: --net-mbps needs a decimal number of at least 0, got '0x10'/],
    [['--net-mbps', 'Infinity'], 2, /MRG4002/],
    [['--net-latency-ms', '-1'], 2, /MRG4002/],
    [['calibrate', '--net-mbps', '5'], 2, /coren calibrate: does not take --net-mbps/],
  ])('refuses %j with a coded diagnostic', async (args, status, message) => {
    const r = await coren(args);
    expect(r.status).toBe(status);
    expect(r.err).toMatch(message);
    expect(r.err).toContain('help: ');
    expect(r.out).toBe('');
    expect(r.probes.measured).toBe(0);
  });

  it('parses --opt=value and --opt value alike', () => {
    expect(parseCorenArgs(['--net-mbps=5', '--net-latency-ms', '7', '--dir=x'])).toMatchObject({ netMbps: 5, netLatencyMs: 7, dir: 'x', command: 'report' });
    expect(parseCorenArgs(['--net-mbps', '2.5e2'])).toMatchObject({ netMbps: 250 });
  });

  it('--version prints the package version on stdout', async () => {
    const { status, out, err } = await coren(['--version']);
    expect(status).toBe(0);
    expect(out).toMatch(/^coren \d+\.\d+\.\d+ \(merg-e-sim, node v\d+/);
    expect(err).toBe('');
  });
});

describe('coren end to end', () => {
  it('measures this machine for real with the quick probes, and cleans up', async () => {
    const io = captureIo(dir);
    const status = await corenMain(['--json'], io, { probes: quickProbes() });
    expect(status).toBe(0);
    const j = JSON.parse(io.stdout);
    for (const k of ['opsPerSec', 'opsPerSecAll', 'memBytesPerSec1', 'memBytesPerSecAll', 'diskWriteBytesPerSec', 'diskReadBytesPerSec', 'ridge']) {
      expect(Number.isFinite(j.roofline[k]) && j.roofline[k] > 0).toBe(true);
    }
    expect(j.machine.cores).toBeGreaterThan(0);
    expect(Object.keys(j.kernels)).toEqual(['scan', 'sort', 'hash', 'matmul', 'etl']);
    expect(j.measured.fromCache).toBe(false);
    expect(readdirSync(dir)).toEqual([CACHE_FILE]);
    const again = captureIo(dir);
    await corenMain(['--json'], again, { probes: quickProbes() });
    expect(JSON.parse(again.stdout).measured.fromCache).toBe(true);
  });
});

describe('coren calibrate', () => {
  it('prints the kernel table with median and worst', async () => {
    const { status, out } = await coren(['calibrate']);
    expect(status).toBe(0);
    expect(out).toMatch(/^coren calibrate: real kernels in this runtime/);
    expect(out).toMatch(/median \d+\.\d\dx, worst \d+\.\d\dx off/);
  });

  it('--json gives kernels with name, size, predictedSec, measuredSec, ratio, and median and worst', async () => {
    const { status, out } = await coren(['calibrate', '--json']);
    expect(status).toBe(0);
    const j = JSON.parse(out);
    expect(j.kernels).toHaveLength(10);
    for (const k of j.kernels) {
      expect(k).toMatchObject({ name: expect.any(String), size: expect.any(Number), predictedSec: expect.any(Number), measuredSec: expect.any(Number), ratio: expect.any(Number) });
      expect(k.ratio).toBeCloseTo(k.predictedSec / k.measuredSec, 12);
    }
    expect(j.worst).toBeGreaterThanOrEqual(j.median);
    expect(j.median).toBeGreaterThanOrEqual(1);
  });
});
