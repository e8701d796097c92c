// Model-based property test: the command set of merg-e-sim/testing (src/testing/memory-model.ts) runs
// a reference model of plain maps and arrays next to the real Memory. After every command I1–I4 hold,
// the counters agree, and a refused command left the real state deep-equal to before. Retired
// membranes (their name's scope ended) refuse allocations and close once they hold nothing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { memoryModelProperty, newMemoryModelStats } from '../../src/testing/index.js';
import { runs } from '../support/properties.js';

describe('model-based: Memory against a plain reference model', () => {
  it('agrees on every counter and outcome; I1–I4 always hold; refusals change nothing', () => {
    const stats = newMemoryModelStats();
    fc.assert(memoryModelProperty({ maxCommands: 50, stats }), { numRuns: runs(1000), verbose: 1 });
    // The generated runs must exercise both outcomes, not just the happy path.
    // (Thresholds per 1000 runs, scaled when a campaign or a mutation run changes the number of runs.)
    const per1000 = runs(1000) / 1000;
    expect(stats.accepted).toBeGreaterThan(5000 * per1000);
    expect(stats.refused).toBeGreaterThan(500 * per1000);
    // Retired membranes close at once and also later (after a release, or with the last one on them).
    expect(stats.closed).toBeGreaterThan(200 * per1000);
    expect(stats.closedLater).toBeGreaterThan(50 * per1000);
  });
});
