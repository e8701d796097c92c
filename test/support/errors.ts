// Catching the MergeError a refused operation throws, for assertions on its code and details.
import { expect } from 'vitest';

import { MergeError } from '../../src/diagnostics.js';
import { snapshot, type Memory } from '../../src/model/index.js';

/** The MergeError `fn` throws; fails the test if it returns, rethrows anything else. */
export function thrown(fn: () => unknown): MergeError {
  try {
    fn();
  } catch (e) {
    if (e instanceof MergeError) return e;
    throw e;
  }
  throw new Error('expected a MergeError');
}

/** The code of the MergeError `fn` throws, or 'none' when it returns. */
export function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof MergeError) return e.code;
    throw e;
  }
  return 'none';
}

/** Runs `fn`, expects error code `code`, and checks the world is exactly as before. */
export function refusedUnchanged(mem: Memory, code: string, fn: () => unknown): void {
  const before = snapshot(mem);
  expect(codeOf(fn)).toBe(code);
  expect(snapshot(mem)).toEqual(before);
}
