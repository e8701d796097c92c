// What the launcher runs before it writes a new code cache (src/cli/warm-up.ts): the shipped examples,
// in-process, silently, on the calling thread.
import { afterEach, describe, expect, it, vi } from 'vitest';

import { warmUp } from '../../src/cli/warm-up.js';
import { workerCount } from '../../src/runtime/vectorize/threads.js';

describe('warm-up before a code cache is written', () => {
  afterEach(() => vi.restoreAllMocks());

  it('runs the examples without printing anything or starting a worker thread', () => {
    const out = vi.spyOn(process.stdout, 'write');
    const err = vi.spyOn(process.stderr, 'write');
    const threads = workerCount();
    warmUp();
    expect(out).not.toHaveBeenCalled();
    expect(err).not.toHaveBeenCalled();
    expect(workerCount()).toBe(threads);
  });
});
