import { describe, expect, it, vi } from 'vitest';
import { MergeError } from '../../src/diagnostics.js';
import { raise } from '../../src/runtime/errors.js';
import { Meter, stackHeadroom } from '../../src/runtime/limits.js';
import { World } from '../../src/runtime/space.js';
import { runIsolated } from '../support/isolated.js';
import { err, invariants, out, run } from './helpers.js';

// A call's release needs about 2 KiB of stack once V8 has compiled it: the stack is filled until
// stackHeadroom refuses, and one level up, where it still passed, a call's activation ends with three
// paid slots, as the catch of a call does when the call below it found no stack. With 1 KiB of headroom
// instead of 16 the stack runs out half-way through a release: a quota charge without its payment record.
const RELEASE_AT_THE_EDGE = `
import { stackHeadroom } from './src/runtime/limits.ts';
import { endActivation } from './src/runtime/lifetime.ts';
import { SlotPay } from './src/runtime/space.ts';
import { checkInvariants, kindId, scalarType } from './src/model/index.ts';
import { unitWorld } from './test/model/fixtures.ts';
const mem = unitWorld();
mem.declareDag(mem.root, ['d'], { inert: false });
const a = mem.quota(mem.at(mem.root, ['d']), 'A', 50, 50, 0);
const space = { world: { mem } };
const paidSlots = () => [['scalar:int32', 0], ['string', 5], ['scalar:int32', 0]].map(([k, len]) => {
  const pay = new SlotPay(space, 'x', 0, scalarType('int32'), true);
  mem.payLoose(pay, a, kindId(k), len);
  return { pay, moved: false };
});
const warm = paidSlots();
endActivation({ cells: warm, escaped: null }, 0, warm.length, undefined, null);
const slots = paidSlots();
const paid = a.quota.directUsed;
let depth = -1;
function dive(d) {
  try { stackHeadroom(); } catch { return false; }
  if (!dive(d + 1)) { depth = d; endActivation({ cells: slots, escaped: null }, 0, slots.length, undefined, null); }
  return true;
}
let overflow = null;
try { dive(0); } catch (e) { overflow = String(e); }
console.log(JSON.stringify({ depth, overflow, paid, used: a.quota.directUsed, live: mem.loosePayments().length, invariants: checkInvariants(mem) }));
`;

// In a fresh process the first return of a deep recursion is at its deepest call, where V8 compiles
// the release on what is left of the stack: calls' locals released on the way out then ran out of
// stack and were lost, 29 to 36 slots still paid at the end of a run.
const DEEP_IN_A_FRESH_PROCESS = `
import { runProgram } from './src/runtime/run.ts';
import { checkInvariants } from './src/model/index.ts';
const programs = [
  'inert function down(n int)::{}{ if n == 0 { return 0; }; return down(n - 1) + 1; };\\ncout down(200000) endl;',
  'inert function down(n int)::{}{ mutable int x = n; mutable string s = "ab"; if n == 0 { return 0; }; if n > 0 { mutable int y = 1; x = down(n - 1) + y; }; return x; };\\ncout down(200000) endl;',
];
const out = programs.map((source) => {
  const r = runProgram({ file: 'deep.merge', source }, { modules: new Map(), maxCallDepth: 1_000_000 });
  return { code: r.error?.code, live: r.memory.loosePayments().length, invariants: checkInvariants(r.memory) };
});
console.log(JSON.stringify(out));
`;

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

  it('leaves the stack a call needs to release its slots: where stackHeadroom passes, an activation ends whole', () => {
    const r = runIsolated(RELEASE_AT_THE_EDGE, { timeoutMs: 30_000 });
    expect(r.stderr).toBe('');
    const got = JSON.parse(r.stdout) as { depth: number; overflow: string | null; paid: number; used: number; live: number; invariants: string[] };
    // Unit profile (test/model/fixtures.ts): int32 250 mp, a string 100 + 5 bytes.
    expect(got.paid).toBe(250 + 105 + 250);
    expect(got).toMatchObject({ overflow: null, used: 0, live: 0, invariants: [] });
    expect(got.depth).toBeGreaterThan(100);
  });

  it('a stack overflow in a fresh process releases every call it unwinds (World.dying), none half-way', () => {
    const r = runIsolated(DEEP_IN_A_FRESH_PROCESS, { timeoutMs: 60_000 });
    expect(r.stderr).toBe('');
    const got = JSON.parse(r.stdout) as unknown[];
    expect(got).toEqual([
      { code: 'MRG3012', live: 0, invariants: [] },
      { code: 'MRG3012', live: 0, invariants: [] },
    ]);
  });

  it('from 64 calls deep every fourth call checks first that 16 KiB of stack are left (stackHeadroom)', () => {
    const span = { file: 'p.merge', line: 1, column: 1, endLine: 1, endColumn: 2 };
    // Where stackHeadroom refuses, less than 16 KiB are left: plenty for a call's entry, not for the check.
    const atEdge = (depth: number): string => {
      const m = new Meter({ maxSteps: 1_000, timeoutMs: 60_000, maxCallDepth: 10_000 });
      m.depth = depth;
      let got = 'no edge';
      const dive = (): void => {
        try {
          stackHeadroom();
        } catch {
          try {
            m.enter(span);
            got = `entered, depth ${m.depth}`;
          } catch (e) {
            got = e instanceof RangeError ? `checked, depth ${m.depth}` : String(e);
          }
          return;
        }
        dive();
      };
      dive();
      return got;
    };
    expect([0, 4, 63, 64, 65, 66, 67, 68, 1000].map(atEdge)).toEqual([
      'entered, depth 1',
      'entered, depth 5',
      'entered, depth 64',
      'checked, depth 64',
      'entered, depth 66',
      'entered, depth 67',
      'entered, depth 68',
      'checked, depth 68',
      'checked, depth 1000',
    ]);
  });

  it('an error releasing what the stack cut short is the run\'s error when it had none, and replaces none', () => {
    // A release at the run's end can meet the time budget (a large DAG's walk looks at the clock).
    const spy = vi.spyOn(World.prototype, 'releaseDying').mockImplementation(() => raise('MRG3011', 'the program ran longer than 1 s', undefined));
    try {
      expect(run('cout 1 endl;').error?.code).toBe('MRG3011');
      expect(err('lang.assert 1 == 2;').code).toBe('MRG3009');
    } finally {
      spy.mockRestore();
    }
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
