// The quota invariants as assertions: I1 (direct use ≤ D), I2 (use below ≤ T − D), I3 (direct + below
// ≤ T), I4 (the totals stacked on a membrane ≤ (T − D) + O) and the consistency of every counter, for
// a world the caller built or the end state of a program run.
import { checkInvariants, type Memory } from '../model/index.js';
import { runProgram, type ProgramInput, type RunOptions, type RunResult } from '../runtime/run.js';

export { checkInvariants };

/** Throws an Error listing every violated invariant; returns quietly when all hold. */
export function assertInvariants(mem: Memory): void {
  const bad = checkInvariants(mem);
  if (bad.length > 0) throw new Error(`quota invariants violated:\n  ${bad.join('\n  ')}`);
}

/**
 * Runs a program (as `run` does: it never throws for what the program does) and asserts the
 * invariants of the world it leaves, whether it ended well or in an error. Returns the result.
 */
export function runChecked(input: ProgramInput, opts: RunOptions = {}): RunResult {
  const r = runProgram(input, opts);
  if (r.memory) assertInvariants(r.memory);
  return r;
}
