// QA: a program that fills the heap stops with MRG3014 instead of V8's fatal out-of-memory crash;
// long strings are looked at as they are made, not only at step checkpoints.
import { describe, expect, it } from 'vitest';

import { MergeError } from '../../src/diagnostics.js';
import { bigValue, heapGuard } from '../../src/runtime/limits.js';
import { err } from './helpers.js';

const at = { file: 'm.merge', line: 3, column: 1, endLine: 3, endColumn: 4 };

describe('the memory guard', () => {
  it('raises MRG3014, located, when the heap holds more than its share of the limit', () => {
    let e: unknown;
    try {
      heapGuard(at, 0);
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(MergeError);
    const d = (e as MergeError).diagnostic;
    expect([d.code, d.span]).toEqual(['MRG3014', at]);
    expect(d.message).toMatch(/^the program holds \d+ MB of memory, more than 0% of the \d+ MB this process may use$/);
    expect((e as MergeError).errorName).toBeUndefined(); // a limit: no handler catches it
  });

  it('lets a run within the heap go on', () => {
    expect(() => heapGuard(at)).not.toThrow();
    expect(() => bigValue(1 << 20, at)).not.toThrow();
  });

  it('a string past 16M characters is a range_error with a hint about strings', () => {
    const e = err('mutable string s = "ab";\nwhile true { s = s + s; };\n');
    expect([e.name, e.code, e.line]).toEqual(['range_error', 'MRG3003', 2]);
    expect(e.diagnostic.hint).toContain('Strings are limited to 16777216 characters');
  });
});
