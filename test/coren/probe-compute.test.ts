// measureCompute over a fake host: workers that log every request and answer each timed trial with
// fixed spans (wall and CPU milliseconds), a clock that moves 250 ms a reading, and a process CPU
// clock that moves by the workers' CPU time plus 4 ms of messaging per request. Every rate below is
// work / best trial, worked out by hand.
import { describe, expect, it } from 'vitest';

import { FMA_OPS_PER_ITERATION, measureCompute, nodeComputeHost, ProbeWorker, slices, trialSec, triadArrays, type ComputeHost, type ComputeWorker, type Span, type TriadArrays } from '../../src/coren/probe-compute.js';
import { wasmApi } from '../../src/coren/wasm-triad.js';

interface Reply {
  wall: number;
  cpu: number;
  ok?: boolean;
}

/** Per phase (as named by progress), per trial, per worker: the reply. Requests outside the table get 0 ms. */
type Table = Record<string, Reply[][]>;

function fakeHost(table: Table, opts: { parallelism?: number; simd?: boolean; readyFails?: boolean } = {}) {
  let clock = 0;
  let cpu = 0;
  let phase = '';
  const logs: string[][] = [];
  const closed: number[] = [];
  /** Requests each worker received in the current phase. */
  const inPhase: number[] = [];
  const progress = (p: string) => {
    phase = p;
    inPhase.fill(0);
  };
  const host: ComputeHost = {
    now: () => (clock += 250),
    cpuMs: () => cpu,
    parallelism: () => opts.parallelism ?? 1,
    spawn: (): ComputeWorker => {
      const i = logs.length;
      const log: string[] = [];
      logs.push(log);
      inPhase.push(0);
      return {
        ready: opts.readyFails ? Promise.reject(new Error('no threads here')) : Promise.resolve(),
        simd: opts.simd ?? true,
        request: async (msg): Promise<Span> => {
          log.push(Object.values(msg).join(' '));
          // The SIMD phase starts with one untimed pass: its trials are the requests after it.
          const k = inPhase[i]!++ - (phase === 'memory bandwidth, WebAssembly SIMD' ? 1 : 0);
          const r = table[phase]?.[k]?.[i] ?? { wall: 0, cpu: 0 };
          cpu += r.cpu + 4;
          const start = 1000 + 10 * i;
          return { start, end: start + r.wall, cpuMs: r.cpu, ok: r.ok ?? true };
        },
        close: async () => {
          closed.push(i);
        },
      };
    },
  };
  return { host, progress, logs, closed };
}

const PHASES = ['starting worker threads', 'FMA loop, one thread', 'FMA loop, all cores', 'memory bandwidth, one thread', 'memory bandwidth, WebAssembly SIMD', 'memory bandwidth, all cores'];

// Two trials of each phase; the best is marked. Worker i's spans start at 1000 + 10·i ms.
const TABLE: Table = {
  // min(wall, own CPU): 62.5 and 31.25 (best) ms.
  'FMA loop, one thread': [[{ wall: 100, cpu: 62.5 }], [{ wall: 100, cpu: 31.25 }]],
  // Wall: latest end − earliest start; CPU: the process's (both workers + 8 ms of messages) / 2.
  // Trial 1: wall 1110 − 1000 = 110, CPU (200 + 8) / 2 = 104 → 104. Trial 2: wall 1062.5 − 1000, CPU 64 → 62.5 (best).
  'FMA loop, all cores': [
    [
      { wall: 100, cpu: 100 },
      { wall: 100, cpu: 100 },
    ],
    [
      { wall: 40, cpu: 60 },
      { wall: 52.5, cpu: 60 },
    ],
  ],
  'memory bandwidth, one thread': [[{ wall: 20, cpu: 25 }], [{ wall: 30, cpu: 15.625 }]], // 20 and 15.625 (best)
  'memory bandwidth, WebAssembly SIMD': [[{ wall: 7.8125, cpu: 10 }], [{ wall: 12, cpu: 12 }]], // 7.8125 (best) and 12
  // Trial 1: wall 1030 − 1000 = 30, CPU (24 + 8) / 2 = 16 → 16 (best). Trial 2: wall 50, CPU 24 → 24.
  'memory bandwidth, all cores': [
    [
      { wall: 20, cpu: 10 },
      { wall: 20, cpu: 14 },
    ],
    [
      { wall: 40, cpu: 20 },
      { wall: 40, cpu: 20 },
    ],
  ],
};

// 2001 elements: a quarter of 192096 bytes of RAM, 24 bytes an element (fewer than the 16384 asked).
const RAM = 2001 * 24 * 4;
const OPTS = { minElements: 16_384, llcMultiple: 0, trials: 2, fmaIterations: 1000, workers: 2 };

describe('measureCompute over a fake host', () => {
  it('computes each rate from the best trial of each phase', async () => {
    const f = fakeHost(TABLE);
    const phases: string[] = [];
    const r = await measureCompute(0, RAM, OPTS, (p) => (f.progress(p), phases.push(p)), f.host);
    // FMA: 1000 iterations × 16 = 16000 operations in 31.25 ms, and 2 × 16000 in 62.5 ms.
    // Triad: 2001 × 24 = 48024 bytes in 15.625 ms (one thread) and 16 ms (all); SIMD does the even
    // 2000 elements: 48000 bytes in 7.8125 ms. Workers started in one 250 ms clock step.
    expect(r).toEqual({
      opsPerSec: 512_000,
      opsPerSecAll: 512_000,
      memBytesPerSec1: 3_073_536,
      memBytesPerSecAll: expect.closeTo(3_001_500, 6),
      memBytesPerSecSimd: 6_144_000,
      triadElements: 2001,
      fmaIterations: 1000,
      workers: 2,
      workerStartSec: 0.25,
    });
    expect(phases).toEqual(PHASES);
    expect(FMA_OPS_PER_ITERATION).toBe(16);
  });

  it('fills each worker its own slice, warms up three rounds, passes once over the arrays, then runs the trials', async () => {
    const f = fakeHost(TABLE);
    await measureCompute(0, RAM, OPTS, f.progress, f.host);
    const warmUp = ['triad 0 2001', 'fma 100000', 'triad 0 2001', 'fma 100000', 'triad 0 2001', 'fma 100000'];
    expect(f.logs).toEqual([
      ['fill 0 1000', ...warmUp, 'triad 0 2001', 'fma 1000', 'fma 1000', 'fma 1000', 'fma 1000', 'triad 0 2001', 'triad 0 2001', 'simd', 'simd', 'simd', 'triad 0 1000', 'triad 0 1000'],
      ['fill 1000 2001', ...warmUp, 'fma 1000', 'fma 1000', 'triad 1000 2001', 'triad 1000 2001'],
    ]);
    expect(f.closed).toEqual([0, 1]);
  });

  it('warms up on at most 65536 elements', async () => {
    const f = fakeHost({});
    await measureCompute(0, 1e9, { ...OPTS, minElements: 100_000, workers: 1, trials: 1 }, f.progress, f.host);
    expect(f.logs[0]!.slice(0, 3)).toEqual(['fill 0 100000', 'triad 0 65536', 'fma 100000']);
  });

  it('leaves the SIMD figure out where the worker has no WebAssembly SIMD', async () => {
    const f = fakeHost(TABLE, { simd: false });
    const phases: string[] = [];
    const r = await measureCompute(0, RAM, OPTS, (p) => (f.progress(p), phases.push(p)), f.host);
    expect(r.memBytesPerSecSimd).toBeNull();
    expect(r.memBytesPerSec1).toBe(3_073_536);
    expect(phases).toEqual(PHASES.filter((p) => !p.includes('SIMD')));
    expect(f.logs[0]).not.toContain('simd');
  });

  it('by default uses every core, 5 trials and 6 M iterations; a trial of no time counts as 1 ns', async () => {
    const f = fakeHost({}, { parallelism: 3 });
    // 1024 elements (the least): 1024 × 24 × 4 bytes of RAM.
    const r = await measureCompute(0, 98_304, {}, f.progress, f.host);
    expect(f.logs).toHaveLength(3);
    expect(f.logs[0]!.filter((m) => m === 'fma 6000000')).toHaveLength(10); // 5 one-thread + 5 all-core trials
    expect(f.logs[2]!.filter((m) => m === 'triad 682 1024')).toHaveLength(5);
    // One thread: 96 M operations and 1024 × 24 bytes in 0 ms, counted as 1e-9 s. All three: the
    // spans start 10 ms apart (wall 20 ms), the process spent 3 × 4 ms on messages: 4 ms a worker.
    expect(r).toMatchObject({ opsPerSec: 9.6e16, opsPerSecAll: 7.2e10, memBytesPerSec1: 2.4576e13, memBytesPerSecAll: 6_144_000, memBytesPerSecSimd: 2.4576e13, triadElements: 1024, fmaIterations: 6_000_000, workers: 3 });
  });

  it('runs at least one worker and one trial', async () => {
    const f = fakeHost({}, { parallelism: 4 });
    const r = await measureCompute(0, 98_304, { workers: 0, trials: 0, fmaIterations: 10 }, f.progress, f.host);
    expect(r.workers).toBe(1);
    expect(f.logs).toHaveLength(1);
    expect(f.logs[0]!.filter((m) => m === 'fma 10')).toHaveLength(2); // one trial each, one thread and all
  });

  it('fails with MRG4045 when a worker reports a wrong result, and closes every worker', async () => {
    const bad: Table = { 'FMA loop, all cores': [[{ wall: 1, cpu: 1 }, { wall: 1, cpu: 1, ok: false }]] };
    const f = fakeHost(bad);
    await expect(measureCompute(0, RAM, OPTS, f.progress, f.host)).rejects.toMatchObject({ diagnostic: { code: 'MRG4045', message: 'a compute probe produced a wrong result' } });
    expect(f.closed).toEqual([0, 1]);
  });

  it('fails and closes every worker when one never gets ready', async () => {
    const f = fakeHost({}, { readyFails: true });
    await expect(measureCompute(0, RAM, OPTS, f.progress, f.host)).rejects.toThrow('no threads here');
    expect(f.logs).toEqual([[], []]);
    expect(f.closed).toEqual([0, 1]);
  });
});

describe('trialSec', () => {
  const span = (start: number, end: number, cpuMs: number): Span => ({ start, end, cpuMs, ok: true });
  it('takes the smaller of wall time and CPU time, one worker by its own reading, several by the process share', () => {
    expect(trialSec([span(10, 60, 20)], 999)).toBe(0.02);
    expect(trialSec([span(10, 30, 80)], 1)).toBe(0.02);
    expect(trialSec([span(10, 60, 0)], 1)).toBe(0.05); // no CPU reading: the wall time
    // Wall 5 → 130 = 125 ms; CPU 100 / 2 = 50 ms.
    expect(trialSec([span(5, 100, 1), span(20, 130, 1)], 100)).toBe(0.05);
    expect(trialSec([span(5, 100, 1), span(20, 130, 1)], 300)).toBe(0.125);
  });
});

describe('slices', () => {
  it('splits [0, n) into contiguous parts as even as whole elements allow', () => {
    expect(slices(10, 3)).toEqual([
      [0, 3],
      [3, 6],
      [6, 10],
    ]);
    expect(slices(7, 1)).toEqual([[0, 7]]);
  });
});

describe('triadArrays', () => {
  // 1000 doubles: a at 0, b at 9216, c at 23552 (see triadOffsets): 31552 bytes.
  it('puts the arrays in a shared WebAssembly memory of whole pages where there is one', () => {
    const t = triadArrays(1000);
    expect(t.memory).not.toBeNull();
    expect(t.buffer.byteLength).toBe(65_536);
    expect(t.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect({ n: t.n, at: t.at }).toEqual({ n: 1000, at: [0, 9216, 23_552] });
    expect(triadArrays(10_000).buffer.byteLength).toBe(262_144); // 3 × 80000 + padding = 242688 → 4 pages
  });

  it('falls back to a plain shared buffer of the exact size without WebAssembly or shared memory', () => {
    const none = triadArrays(1000, null);
    expect(none.memory).toBeNull();
    expect(none.buffer.byteLength).toBe(31_552);
    const refusing = { ...wasmApi()!, Memory: class { constructor() { throw new RangeError('no shared memory'); } } } as unknown as Parameters<typeof triadArrays>[1];
    const t = triadArrays(1000, refusing);
    expect(t.memory).toBeNull();
    expect(t.buffer.byteLength).toBe(31_552);
  });
});

describe('ProbeWorker', () => {
  const shared: TriadArrays = triadArrays(1024, null);
  const echo = `const { parentPort } = require('node:worker_threads');
    parentPort.on('message', (m) => {
      if (m.cmd === 'stray') parentPort.postMessage({ id: 99, start: 0, end: 0, cpuMs: 0, ok: true });
      if (m.cmd === 'exit') process.exit(3);
      if (m.cmd !== 'hang') parentPort.postMessage({ id: m.id, start: 1, end: 2, cpuMs: 0.5, ok: m.cmd === 'ok' });
    });
    parentPort.postMessage({ ready: true, simd: false });`;

  it('answers requests by id and reports whether SIMD runs in it', async () => {
    const w = new ProbeWorker(shared, echo);
    await w.ready;
    expect(w.simd).toBe(false);
    expect(await w.request({ cmd: 'ok' })).toEqual({ id: 0, start: 1, end: 2, cpuMs: 0.5, ok: true });
    expect(await w.request({ cmd: 'stray' })).toEqual({ id: 1, start: 1, end: 2, cpuMs: 0.5, ok: false }); // a reply for no request is dropped
    await w.close();
  });

  it('rejects pending requests when the worker exits, and its start when the worker throws', async () => {
    const w = new ProbeWorker(shared, echo);
    await w.ready;
    await expect(w.request({ cmd: 'exit' })).rejects.toThrow('probe worker exited with code 3');
    await w.close();
    const broken = new ProbeWorker(shared, `throw new Error('no such probe')`);
    await expect(broken.ready).rejects.toThrow('no such probe');
    await broken.close();
  });

  it('leaves a request pending at close unsettled (no stray rejection)', async () => {
    const w = new ProbeWorker(shared, echo);
    await w.ready;
    let settled = 'pending';
    w.request({ cmd: 'hang' }).then(
      () => (settled = 'resolved'),
      () => (settled = 'rejected'),
    );
    await w.close();
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe('pending');
  });

  it('runs the real probe source: SIMD here, and checked results', async () => {
    const w = new ProbeWorker(triadArrays(1024));
    await w.ready;
    expect(w.simd).toBe(true);
    await w.request({ cmd: 'fill', lo: 0, hi: 1024 });
    const s = await w.request({ cmd: 'triad', lo: 0, hi: 1024 });
    expect(s.ok).toBe(true);
    expect(s.end).toBeGreaterThanOrEqual(s.start);
    await w.close();
  });
});

describe('nodeComputeHost', () => {
  it('reads the process CPU time in milliseconds and the monotonic clock', () => {
    const u0 = process.cpuUsage();
    const t0 = performance.now();
    const cpu = nodeComputeHost.cpuMs();
    const now = nodeComputeHost.now();
    const u1 = process.cpuUsage();
    const t1 = performance.now();
    // process.cpuUsage() counts microseconds, user and system.
    expect(cpu).toBeGreaterThanOrEqual((u0.user + u0.system) / 1000);
    expect(cpu).toBeLessThanOrEqual((u1.user + u1.system) / 1000);
    expect(now).toBeGreaterThanOrEqual(t0);
    expect(now).toBeLessThanOrEqual(t1);
  });
});
