// Running small programs in tests: source text in, RunResult out, with modules given in memory.
import { expect } from 'vitest';

import { checkInvariants } from '../../src/model/index.js';
import { formatRunError } from '../../src/cli/run-report.js';
import { runProgram, type RunOptions, type RunResult } from '../../src/runtime/run.js';

export function run(source: string, opts: RunOptions & { mods?: Record<string, string> } = {}): RunResult {
  const { mods, ...rest } = opts;
  return runProgram({ file: 'test.merge', source }, { ...rest, modules: new Map(Object.entries(mods ?? {})) });
}

/** Runs and expects success; returns stdout. */
export function out(source: string, opts: RunOptions & { mods?: Record<string, string> } = {}): string {
  const r = run(source, opts);
  if (r.error) throw new Error(`expected success, got:\n${formatRunError(r)}`);
  return r.stdout;
}

/** Runs and expects a failure; returns the error. */
export function err(source: string, opts: RunOptions & { mods?: Record<string, string> } = {}) {
  const r = run(source, opts);
  if (!r.error) throw new Error(`expected an error, got success with output:\n${r.stdout}`);
  return { ...r.error, result: r };
}

/** Run options with the static checks off, so the interpreter's own run-time errors are reached. */
export const NO_CHECK = { check: false } as const;

/** A refused run's error as [name, code, message, line, column], for one toEqual. */
export function where(e: ReturnType<typeof err>): unknown[] {
  return [e.name, e.code, e.message, e.line, e.column];
}

/** A refused run with the static checks off, as [name, code, message, line, column]. */
export const refused = (source: string): unknown[] => where(err(source, NO_CHECK));

/**
 * Where a step budget of n ends the run, for n = 1, 2, … until the program finishes: each closure
 * counts one step before its work (statement first, then its expressions, outer before inner, left
 * to right), so the n-th entry is the place of the n-th step. The run stops at step n exactly.
 */
export function stops(source: string, opts: { check?: boolean } = {}): string {
  const seen: string[] = [];
  for (let n = 1; n < 200; n++) {
    const r = run(source, { ...opts, maxSteps: n });
    if (!r.error) return [...seen, `ok ${r.steps}`].join(' ');
    expect([r.error.code, r.steps]).toEqual(['MRG3010', n]);
    seen.push(`${r.error.line}:${r.error.column}`);
  }
  throw new Error('no end');
}

export function invariants(r: RunResult): string[] {
  return r.memory ? checkInvariants(r.memory) : [];
}

/**
 * Appends through a membrane that ended: a blocker holds work appending through `view` after the
 * block `view` was declared in ended, so the append at line 4 is MRG3015 after four rows.
 */
export const ENDED_VIEW_APPEND = `mutable dag store;
mutable dataframe store.log int32 a;
mutable blocker bl;
function add(d dag)::{}{ d.log(1); d.log(2); };
add(store);
if true {
  mutable dag view = membrane<quota<10,10,0>> store;
  add(view);
  bl += add(view);
};
await_all bl;
`;
