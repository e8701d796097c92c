// QA (found by `npm run fuzz`): an `int` may hold 16,384 bits in two's complement, and every way of
// computing one keeps to that. The arithmetic allowed |v| < 2^16384 (16,385 bits), which the model
// has no entity kind for: a loop doubling a negative int ended in the internal error MRG3099
// "profile cpython-dev has no size for entity kind 'scalar:int16392'" instead of MRG3013.
import { describe, expect, it } from 'vitest';

import { err, out } from './helpers.js';

/** `p` = 2^16382; `top` = 2^16383 − 1 and `low` = −2^16383, the ends of the range. */
const POWER = 'mutable int p = 1;\nmutable int i = 0;\nwhile i < 16382 { p = p * 2; i += 1; };\nmutable int top = p - 1 + p;\nmutable int low = 0 - p - p;\n';

describe('int values stay within 16,384 bits', () => {
  it('the fuzzer\'s case: a block-local int doubled while negative ends in MRG3013, not an internal error', () => {
    const e = err('if (-8) < 80 {\n  mutable int w1 = 0;\n  while w1 < 3 {\n    w1 -= 600;\n    mutable dag d2;\n    w1 += w1;\n    w1 += 1;\n  };\n};\n');
    expect(e.code).toBe('MRG3013');
    expect(e.line).toBe(6);
  });

  it('the bounds are those of int16384: −2^16383 and 2^16383 − 1 are values, one past either is MRG3013', () => {
    expect(out(`${POWER}mutable int bits = 0;\nwhile top > 0 { top = top / 2; bits += 1; };\ncout bits endl;\ncout low + p + p endl;\n`)).toBe('16383\n0\n');
    for (const past of ['mutable int x = p + p;', 'mutable int x = top + 1;', 'mutable int x = low - 1;', 'mutable int x = -low;', 'mutable int x = low / -1;', 'mutable int x = low * -1;', 'mutable int x = 0 - low;']) {
      const e = err(`${POWER}${past}\n`);
      expect(e.code, past).toBe('MRG3013');
      expect(e.line, past).toBe(6);
    }
  });
});
