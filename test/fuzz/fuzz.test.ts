// The fuzzer in CI: a fixed seed and about 2,000 cases (generated programs, vectorize programs, token
// and byte mutations of the examples), each checked by every oracle of harness.ts. `npm run fuzz`
// runs the long campaign (main.ts). A watchdog thread ends the process, naming the case, if one case
// ever blocks longer than its limits allow (no in-process timeout could interrupt it).
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';

import { shutdownWorkers } from '../../src/runtime/vectorize/index.js';
import { FIXED_SEED, runs } from '../support/properties.js';
import { caseText, DEFAULT_FUZZ_LIMITS, examples, fuzzCases, runCase } from './harness.js';
import { Watchdog } from './watchdog.js';

afterAll(() => shutdownWorkers());

describe('fuzz (fixed seed)', () => {
  it('about 2,000 cases: no escaped exception, no MRG3099, spans inside, I1–I4, the same result on every schedule, time within --timeout + 1 s', () => {
    const { seeds, modules } = examples();
    const dog = new Watchdog({ afterMs: DEFAULT_FUZZ_LIMITS.timeoutMs * 3 + 10_000, save: null });
    const endings = new Map<string, number>();
    try {
      fc.assert(
        fc.property(fuzzCases(seeds), (c) => {
          dog.watch(caseText(c));
          const out = runCase(c, modules);
          endings.set(out.ending, (endings.get(out.ending) ?? 0) + 1);
          expect(out.violations, caseText(c)).toEqual([]);
        }),
        { seed: FIXED_SEED, numRuns: runs(2_000) },
      );
    } finally {
      dog.stop();
    }
    // The mix reaches the interpreter: most cases run, many end in each kind of coded error.
    const total = [...endings.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(runs(2_000));
    expect(endings.get('ok') ?? 0).toBeGreaterThan(total / 5);
  });
});
