import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { run } from 'merg-e-sim';
import { checkInvariants, memoryModelProperty, newMemoryModelStats, programSource, runChecked } from 'merg-e-sim/testing';

describe('Merg-E quota invariants', () => {
  it('hold at the end of every generated program, whether it ends well or in an error', () => {
    fc.assert(
      fc.property(programSource({ features: ['membranes', 'grafts', 'dataframes', 'callables', 'loops'] }), (source) => {
        const result = run({ file: 'generated.merge', source }, { maxSteps: 100_000 });
        expect(result.error?.code).not.toBe('MRG3099'); // never an internal error
        if (result.memory) expect(checkInvariants(result.memory)).toEqual([]);
      }),
      { numRuns: 50 },
    );
  });

  it('hold after a program of my own under every profile', () => {
    const source = 'mutable dag home;\nmutable dag box = membrane<quota<40, 40, 0>> home;\nmutable int32 box.n = 7;\n';
    for (const profile of ['cpython-dev', 'jvm', 'native-compact']) expect(runChecked({ file: 'box.merge', source }, { profile }).ok).toBe(true);
  });

  it('hold for random sequences of model operations, which agree with a reference model', () => {
    const stats = newMemoryModelStats();
    fc.assert(memoryModelProperty({ maxCommands: 30, stats }), { numRuns: 50 });
    expect(stats.refused).toBeGreaterThan(0); // refusals were exercised, not only the happy path
  });
});
