// The thread cap (README, scheduling): one vectorize starts at most four threads per core the OS gives
// this process, and no more threads than rows. The OS is made to report one core, so the cap is 4
// whatever machine runs the test (on the real 2-core machine it would be 8).
import { afterAll, describe, expect, it, vi } from 'vitest';

// vi.doMock and fresh module copies rather than a hoisted vi.mock: mutation runs share one module
// registry between test files (isolate: false), where the engine may already be loaded unmocked.
vi.resetModules();
vi.doMock('node:os', async (importOriginal) => {
  const os = await importOriginal<typeof import('node:os')>();
  return { ...os, default: { ...os, availableParallelism: () => 1 }, availableParallelism: () => 1 };
});

const { shutdownWorkers } = await import('../../src/runtime/vectorize/index.js');
const { runVec, SQUARES } = await import('./helpers.js');

afterAll(async () => {
  await shutdownWorkers();
  vi.doUnmock('node:os');
  vi.resetModules();
});

describe('the thread cap', () => {
  it('--workers 1000 on one core starts 4 threads for 12 rows', () => {
    const { r, engine } = runVec(SQUARES(12), { workers: 1000, threads: 'always', batchSize: 1 });
    expect(r.stdout).toBe('12\n');
    expect(engine.reports[0]?.mode).toBe('threads');
    expect(engine.reports[0]?.workers).toBe(4);
  });

  it('and no more threads than rows: 3 rows, 3 threads', () => {
    const { r, engine } = runVec(SQUARES(3), { workers: 1000, threads: 'always', batchSize: 1 });
    expect(r.stdout).toBe('3\n');
    expect(engine.reports[0]?.workers).toBe(3);
  });
});
