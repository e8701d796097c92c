// Mutants of canon.ts that test/vectorize/canon.test.ts leaves alive, each with a hand-written
// expectation (TESTING.md › Survivors › canon.ts).
import { describe, expect, it } from 'vitest';

import { canonicalJson } from '../../src/runtime/vectorize/canon.js';

describe('canonicalJson, values that are not nodes', () => {
  it('keeps primitives in a list as JSON does (undefined becomes null), looking for a kind only on objects', () => {
    // Only an object can be a documentation statement: asking `undefined` for its kind must not throw.
    expect(canonicalJson([undefined, 'Doc', 1, false])).toBe('[null,"Doc",1,false]');
    expect(canonicalJson({ xs: [undefined] })).toBe('{"xs":[null]}');
  });
});
