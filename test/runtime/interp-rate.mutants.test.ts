// Mutation survivors of src/runtime/interp-rate.ts. Real timings are never asserted: the engine and
// runProgram are replaced by fakes whose reports give scripted seconds and a W of rows·(10·loop+5),
// so the probes' sizes, the medians and the two-equation solve are checked exactly.
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { MachCap } from '../../src/coren/index.js';

const fake = vi.hoisted(() => ({
  /** Seconds of the n-th run (0-based, warm-up runs included) of a probe of `rows` rows of `loop` steps. */
  seconds: (_rows: number, _loop: number, _n: number): number => 0,
  error: null as { message: string } | null,
  noCost: false,
  engines: [] as unknown[],
  programs: [] as { file: string; rows: number; loop: number }[],
}));

vi.mock('../../src/runtime/vectorize/engine.js', () => ({
  VectorizeEngine: class {
    reports: unknown[] = [];
    hook = this;
    constructor(opts: unknown) {
      fake.engines.push(opts);
    }
  },
}));

vi.mock('../../src/runtime/run.js', () => ({
  runProgram: (input: { file: string; source: string }, opts: { vectorize: { reports: unknown[] } }) => {
    const rows = Number(/while i < (\d+)/.exec(input.source)![1]);
    const loop = Number(/while j < (\d+)/.exec(input.source)![1]);
    const n = fake.programs.filter((p) => p.rows === rows && p.loop === loop).length;
    fake.programs.push({ file: input.file, rows, loop });
    if (!fake.noCost) opts.vectorize.reports.push({ cost: { ops: BigInt(rows * (10 * loop + 5)) }, seconds: fake.seconds(rows, loop, n) });
    return { error: fake.error };
  },
}));

const { measureInterpreter } = await import('../../src/runtime/interp-rate.js');

/** |x/want − 1| is below 1e-9. */
function near(x: number, want: number): void {
  expect(Math.abs(x / want - 1), `${x} vs ${want}`).toBeLessThan(1e-9);
}

beforeEach(() => {
  fake.error = null;
  fake.noCost = false;
  fake.engines.length = 0;
  fake.programs.length = 0;
});

// Default scale: probe A 2000 rows x 1 step (W = 30000), probe B 20 rows x 3000 steps (W = 600100).
describe('measureInterpreter', () => {
  it('runs each probe once untimed and 3 times timed, and solves t = rows·secPerRow + W·secPerOp from the medians', () => {
    // True costs 1e-5 s per row and 1e-7 s per op: A takes 0.023 s, B 0.06021 s. The warm-up run is
    // 100x slower and the timed ones x1.2, x0.8, x1 (median x1); a fourth would be x1.1.
    const scaleOf = [100, 1.2, 0.8, 1, 1.1];
    fake.seconds = (rows, loop, n) => (rows * 1e-5 + rows * (10 * loop + 5) * 1e-7) * scaleOf[n]!;
    const r = measureInterpreter();
    near(r.opsPerSec, 1e7);
    near(r.secPerRow, 1e-5);
    expect(r.seconds).toBeGreaterThanOrEqual(0);
    expect(fake.programs).toEqual([
      ...Array(4).fill({ file: 'interpreter-rate.merge', rows: 2000, loop: 1 }),
      ...Array(4).fill({ file: 'interpreter-rate.merge', rows: 20, loop: 3000 }),
    ]);
    const machine = MachCap.fixed({ opsPerSec: 1e9, memBytesPerSec: 1e9, netBytesPerSec: 0, cores: 1 });
    for (const e of fake.engines) expect(e).toEqual({ machine, memo: null, threads: 'never', workers: 1 });
  });

  it('scales both probes and takes the number of trials', () => {
    fake.seconds = (rows, loop) => rows * 1e-5 + rows * (10 * loop + 5) * 1e-7;
    const r = measureInterpreter({ scale: 0.5, trials: 1 });
    near(r.opsPerSec, 1e7);
    near(r.secPerRow, 1e-5);
    expect(fake.programs.map((p) => `${p.rows}x${p.loop}`)).toEqual(['1000x1', '1000x1', '10x3000', '10x3000']);
    fake.programs.length = 0;
    measureInterpreter({ scale: 0.0001, trials: 1 });
    expect(fake.programs.map((p) => p.rows)).toEqual([2, 2, 2, 2]);
  });

  it('the median of an even number of trials is the upper middle one', () => {
    // Timed runs x1 and x1.5 of the true costs: the median is x1.5, so ops run 1.5x slower and rows cost 1.5e-5 s.
    const scaleOf = [100, 1, 1.5];
    fake.seconds = (rows, loop, n) => (rows * 1e-5 + rows * (10 * loop + 5) * 1e-7) * scaleOf[n]!;
    const r = measureInterpreter({ trials: 2 });
    near(r.opsPerSec, 1e7 / 1.5);
    near(r.secPerRow, 1.5e-5);
  });

  it('when noise makes secPerOp 0, B alone says it (s/W), and secPerRow keeps its solved value', () => {
    // A 50 s, B 0.5 s: 2000·0.5 − 20·50 = 0, so secPerOp = 0.5/600100; secPerRow = (50·600100 − 0.5·30000) / (2000·600100 − 20·30000) = 0.025.
    fake.seconds = (rows) => (rows === 2000 ? 50 : 0.5);
    const r = measureInterpreter({ trials: 1 });
    near(r.opsPerSec, 600100 / 0.5);
    near(r.secPerRow, 0.025);
  });

  it('when noise makes secPerRow negative, it is 0 (A less its ops is below zero)', () => {
    // A 0.001 s, B 1 s: secPerRow = (0.001·600100 − 30000) / det < 0; secPerOp = (2000 − 0.02) / 1199600000; A − 30000·secPerOp < 0.
    fake.seconds = (rows) => (rows === 2000 ? 0.001 : 1);
    const r = measureInterpreter({ trials: 1 });
    near(r.opsPerSec, 1199600000 / 1999.98);
    expect(r.secPerRow).toBe(0);
  });

  it('a probe that fails or reports no cost throws, saying why', () => {
    fake.seconds = () => 1;
    fake.error = { message: 'boom' };
    expect(() => measureInterpreter({ trials: 1 })).toThrow(/^the measuring vectorize failed: boom$/);
    fake.error = null;
    fake.noCost = true;
    expect(() => measureInterpreter({ trials: 1 })).toThrow(/^the measuring vectorize failed$/);
  });
});
