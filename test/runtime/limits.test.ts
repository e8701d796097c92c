import { describe, expect, it } from 'vitest';
import { MergeError } from '../../src/diagnostics.js';
import { Meter } from '../../src/runtime/limits.js';
import { err, invariants, out, run } from './helpers.js';

describe('runaway protection', () => {
  it('stops an endless loop at the step budget with MRG3010', () => {
    const e = err('mutable int i = 0;\nwhile true { i += 1; };', { maxSteps: 10_000 });
    expect(e.code).toBe('MRG3010');
    expect(e.name).toBeNull();
    expect(e.result.steps).toBeGreaterThanOrEqual(10_000);
  });

  it('stops a long run at the time budget with MRG3011', () => {
    const e = err('mutable int i = 0;\nwhile true { i += 1; };', { timeoutMs: 50 });
    expect(e.code).toBe('MRG3011');
  });

  it('a time limit hit by a step with no place of its own (a scope released at its end) is shown where the program last was', () => {
    const m = new Meter({ maxSteps: 1_000, timeoutMs: 0, maxCallDepth: 10 });
    const span = { file: 'p.merge', line: 2, column: 3, endLine: 2, endColumn: 8 };
    expect(() => m.checkpoint(span)).toThrow(MergeError);
    let thrown: unknown;
    try {
      m.clock(undefined);
    } catch (e) {
      thrown = e;
    }
    expect((thrown as MergeError).diagnostic).toMatchObject({ code: 'MRG3011', span });
  });

  it('stops deep recursion at the call-depth limit with MRG3012', () => {
    const src = 'inert function down(n int)::{}{ if n == 0 { return 0; }; return down(n - 1) + 1; };\ncout down(100000) endl;';
    const e = err(src);
    expect(e.code).toBe('MRG3012');
    expect(e.line).toBe(1);
    expect(out(src.replace('100000', '300'))).toBe('300\n');
  });

  it('turns a JS stack overflow into MRG3012, not a RangeError', () => {
    const src = 'inert function down(n int)::{}{ if n == 0 { return 0; }; return down(n - 1) + 1; };\ncout down(200000) endl;';
    const r = run(src, { maxCallDepth: 1_000_000 });
    expect(r.error?.code).toBe('MRG3012');
    expect(invariants(r)).toEqual([]);
  });

  it('limit errors cannot be caught by a handler', () => {
    const src = 'mutable function f()::{}{ while true { }; }!!{ };\nf();';
    expect(err(src, { maxSteps: 5_000 }).code).toBe('MRG3010');
  });

  it('counts steps deterministically', () => {
    const src = 'mutable int i = 0;\nwhile i < 100 { i += 1; };';
    expect(run(src).steps).toBe(run(src).steps);
    expect(run(src).steps).toBeGreaterThan(100 * 4);
  });
});
