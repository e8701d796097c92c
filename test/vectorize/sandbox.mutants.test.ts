// The sandbox a vectorized function runs in, built from hand-made closures: one row's outcome for each
// way a row can end (values, a language error, a limit, a call stack overflow, a wrong row width, a
// non-scalar or missing result), the environment kinds a closure can ship, and the full texts.
import { describe, expect, it } from 'vitest';

import { parseProgram } from '../../src/ast/parse.js';
import type { FunctionDecl } from '../../src/ast/types.js';
import { MergeError } from '../../src/diagnostics.js';
import { DEFAULT_LIMITS, type Limits } from '../../src/runtime/limits.js';
import type { ShippedClosure, ShippedEnvEntry } from '../../src/runtime/vectorize/closure.js';
import { FatalRowError, Sandbox, type RowOutcome } from '../../src/runtime/vectorize/sandbox.js';
import { runIsolated } from '../support/isolated.js';
import { PRICING } from './helpers.js';

const SPAN = { file: 'p.merge', line: 9, column: 1, endLine: 9, endColumn: 30 };

function fnDecl(src: string): FunctionDecl {
  const parsed = parseProgram(src, 'p.merge');
  return parsed.program.body.find((s) => s.kind === 'Function') as FunctionDecl;
}

/** A sandbox of `src`'s first function, reading `env`, plus any helper functions as further callables. */
function sandbox(src: string, env: ShippedEnvEntry[] = [], limits: Limits = DEFAULT_LIMITS, more: { src: string; env?: ShippedEnvEntry[] }[] = []): Sandbox {
  const fns = [{ id: 0, decl: fnDecl(src), membrane: null, env }, ...more.map((m, i) => ({ id: i + 1, decl: fnDecl(m.src), membrane: null, env: m.env ?? [] }))];
  const closure: ShippedClosure = { root: 0, fns };
  return new Sandbox(closure, PRICING, limits, SPAN, 'f');
}

const values = (o: RowOutcome) => (o.ok ? o.values : o.error);
const failure = (o: RowOutcome) => {
  expect(o.ok).toBe(false);
  return o as Extract<RowOutcome, { ok: false }>;
};

describe('Sandbox.call', () => {
  it('returns the row f returns: one value, or `return a b …;`', () => {
    expect(values(sandbox('function f(x int32)::{}{ return x * 2; };').call([3n], 0))).toEqual([6n]);
    expect(values(sandbox('function f(x int32, s string)::{}{ return x s; };').call([1n, 'a'], 0))).toEqual([1n, 'a']);
  });

  it('counts the same operations for the same row, wherever and however often it runs', () => {
    const box = sandbox('function f(x int32)::{}{ mutable int s = 0; mutable int j = 0; while j < x { s += j; j += 1; }; return s; };');
    const a = box.call([5n], 0);
    const b = box.call([5n], 7);
    expect(a.ops).toBeGreaterThan(0);
    expect(b.ops).toBe(a.ops);
    expect(box.call([6n], 0).ops).toBeGreaterThan(a.ops);
  });

  it('a row of the wrong width is a type_error naming both counts', () => {
    const one = failure(sandbox('function f(x int32)::{}{ return x; };').call([1n, 2n], 4));
    expect(one.fatal).toBeUndefined();
    expect((one.error as MergeError).message).toBe('f takes 1 argument but row 5 of the input has 2 columns');
    const two = failure(sandbox('function f(x int32, y int32)::{}{ return x; };').call([1n], 0));
    expect((two.error as MergeError).message).toBe('f takes 2 arguments but row 1 of the input has 1 column');
    expect((two.error as MergeError).diagnostic.span).toEqual(SPAN);
  });

  it('nothing or a non-scalar returned is a type_error for that row', () => {
    const none = failure(sandbox('function f(x int32)::{}{ if x == 1 { return x; }; };').call([2n], 1));
    expect((none.error as MergeError).message).toBe('f returned nothing (it has no `return a b …;`) for row 2; a vectorized function returns the output row\'s scalars');
    expect((none.error as MergeError).code).toBe('MRG3002');
  });

  it('a language error is the row’s outcome; a limit is fatal', () => {
    const raised = failure(sandbox('function f(x int32)::{}{ lang.assert x != 2; return x; };').call([2n], 0));
    expect(raised.fatal).toBeUndefined();
    expect((raised.error as MergeError).errorName).toBe('range_error');
    const steps = failure(sandbox('function f(x int32)::{}{ while true { }; return x; };', [], { ...DEFAULT_LIMITS, maxSteps: 50 }).call([1n], 0));
    expect(steps.fatal).toBe(true);
    expect((steps.error as MergeError).code).toBe('MRG3010');
    expect(steps.ops).toBeGreaterThanOrEqual(50);
  });

  it('a recursion deeper than the JavaScript stack is MRG3012 naming the function and row, and fatal', () => {
    const deep = failure(sandbox('function f(x int32)::{}{ return f(x + 1); };', [], { ...DEFAULT_LIMITS, maxCallDepth: 1e9 }).call([1n], 2));
    expect(deep.fatal).toBe(true);
    const e = deep.error as MergeError;
    expect(e.code).toBe('MRG3012');
    expect(e.message).toMatch(/^f \(row 3\) recursed deeper than the interpreter can follow/);
  });

  it('after the stack ran out in a fresh process, the sandbox holds none of the dead calls\' slots (World.dying)', () => {
    // Cold code: V8 compiles the release on its first call, at the deepest call, where the stack is gone.
    const r = runIsolated(`
      import { parseProgram } from './src/ast/parse.ts';
      import { checkInvariants } from './src/model/index.ts';
      import { DEFAULT_LIMITS } from './src/runtime/limits.ts';
      import { Sandbox } from './src/runtime/vectorize/sandbox.ts';
      import { unitWorld } from './src/testing/unit-world.ts';
      const decl = parseProgram('function f(x int32)::{}{ mutable int y = x; return f(y + 1); };', 'p.merge').program.body[0];
      const box = new Sandbox({ root: 0, fns: [{ id: 0, decl, membrane: null, env: [] }] }, unitWorld().pricing, { ...DEFAULT_LIMITS, maxCallDepth: 1e9 }, ${JSON.stringify(SPAN)}, 'f');
      const o = box.call([1n], 0);
      const mem = box.rt.world.mem;
      console.log(JSON.stringify({ fatal: o.fatal, code: o.error.code, live: mem.loosePayments().length, invariants: checkInvariants(mem) }));
    `);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ fatal: true, code: 'MRG3012', live: 0, invariants: [] });
  });

  it('restarts the step count for every row: each row gets the whole budget', () => {
    const box = sandbox('function f(x int32)::{}{ mutable int j = 0; while j < x { j += 1; }; return j; };', [], { ...DEFAULT_LIMITS, maxSteps: 200 });
    const first = box.call([10n], 0);
    expect(first.ok).toBe(true);
    expect(first.ops * 2).toBeLessThan(200);
    expect(box.call([10n], 1)).toEqual(first);
    expect(box.call([10n], 2).ok).toBe(true);
  });
});

describe('Sandbox environment', () => {
  const read = (entry: ShippedEnvEntry, expr = entry.name) => sandbox(`function f(x int32)::{}{ return ${expr}; };`, [entry]).call([0n], 0);

  it('binds constants of every scalar kind, endl, lang and types', () => {
    expect(values(read({ name: 'k', type: 'int', value: { k: 'int', v: 7n } }))).toEqual([7n]);
    expect(values(read({ name: 'k', type: 'float64', value: { k: 'float', v: 2.5 } }))).toEqual([2.5]);
    expect(values(read({ name: 'k', type: 'string', value: { k: 'string', v: 'hi' } }))).toEqual(['hi']);
    expect(values(read({ name: 'k', type: 'bool', value: { k: 'bool', v: false } }))).toEqual([false]);
    expect((failure(read({ name: 'e', type: null, value: { k: 'endl' } })).error as MergeError).message).toBe('f returned endl for row 1; a vectorized function returns the output row\'s scalars');
    expect(values(read({ name: 'l', type: null, value: { k: 'lang' } }, 'l.version.minor'))).toEqual([3n]);
    const t = failure(read({ name: 't', type: null, value: { k: 'type', name: 'int32' } }));
    expect((t.error as MergeError).message).toBe('f returned a type for row 1; a vectorized function returns the output row\'s scalars');
  });

  it('calls another shipped function, building each callable once', () => {
    const box = sandbox('function f(x int32)::{}{ return g(x) + g(1); };', [{ name: 'g', type: null, value: { k: 'fn', id: 1 } }], DEFAULT_LIMITS, [{ src: 'function g(y int)::{}{ return y * 10; };' }]);
    expect(values(box.call([2n], 0))).toEqual([30n]);
  });

  it('a name the program could not read, one not yet set, and one moved away fail as they would in the program', () => {
    const mutable = failure(read({ name: 'm', type: 'int', value: { k: 'unreadable', mutable: true, authority: false } }));
    expect((mutable.error as MergeError).errorName).toBe('capability_error');
    const unset = failure(read({ name: 'u', type: 'int', value: { k: 'unset' } }));
    expect((unset.error as MergeError).errorName).toBe('name_error');
    const moved = failure(read({ name: 'v', type: 'int', value: { k: 'moved' } }));
    expect((moved.error as MergeError).errorName).toBe('ownership_error');
  });

  it('a closure naming an unknown type or callable is a bug: building it throws', () => {
    expect(() => read({ name: 't', type: null, value: { k: 'type', name: 'int7x' } })).toThrow("vectorize closure names an unknown type 'int7x'");
    expect(() => read({ name: 'g', type: null, value: { k: 'fn', id: 5 } })).toThrow('vectorize closure has no callable #5');
  });

  it('no module is reachable: a merge inside f is MRG3008', () => {
    const got = failure(sandbox('function f(x int32)::{}{ mutable merge m.g as g(y int32)::{}{ }; return g(x); };').call([1n], 0));
    expect((got.error as MergeError).message).toBe("a vectorized function cannot merge module 'm': merge it outside and call the merged function");
  });
});

describe('FatalRowError', () => {
  it('carries the failure and its message', () => {
    const cause = new TypeError('boom');
    const e = new FatalRowError(cause);
    expect([e.error, e.message]).toEqual([cause, 'boom']);
    expect(new FatalRowError('text').message).toBe('text');
  });
});

describe('Sandbox environment, in full', () => {
  const read = (entry: ShippedEnvEntry, body = `return ${entry.name};`) => sandbox(`function f(x int32)::{}{ ${body} };`, [entry]).call([0n], 0);
  const message = (o: RowOutcome) => {
    const f = failure(o);
    const e = f.error as MergeError;
    return `${e.errorName} ${e.code} ${e.message}`;
  };

  it('names the program could not read, not yet set, or moved fail with the program\'s own texts', () => {
    expect(message(read({ name: 'm', type: 'int', value: { k: 'unreadable', mutable: true, authority: false } }))).toBe("capability_error MRG3007 'm' is mutable in an enclosing scope; list it in this callable's capture block");
    expect(message(read({ name: 'o', type: null, value: { k: 'unreadable', mutable: false, authority: true } }))).toBe("capability_error MRG3007 'o' is authority of an enclosing scope; list it in this callable's capture block");
    expect(message(read({ name: 'p', type: 'int', value: { k: 'unreadable', mutable: true, authority: true } }))).toBe("capability_error MRG3007 'p' is authority of an enclosing scope; list it in this callable's capture block");
    expect(message(read({ name: 'u', type: 'int', value: { k: 'unset' } }))).toBe("name_error MRG3001 'u' is used before its declaration ran");
    expect(message(read({ name: 'v', type: 'int', value: { k: 'moved' } }))).toBe("ownership_error MRG3004 'v' was moved and cannot be used any more");
  });

  it('a constant cannot change; a mutable name of the program cannot either; a capture of a constant copies it', () => {
    expect(message(read({ name: 'k', type: 'int', value: { k: 'int', v: 4n } }, 'k = 5; return k;'))).toBe("freeze_error MRG3005 'k' is inert in an enclosing scope and cannot change");
    expect(message(read({ name: 'm', type: 'int', value: { k: 'unreadable', mutable: true, authority: false } }, 'm = 5; return 1;'))).toBe(
      "capability_error MRG3007 'm' belongs to an enclosing scope; list it in this callable's capture block to change it",
    );
    // g captures k: 0 + 4, then k is still there: 4 + 4.
    expect(values(read({ name: 'k', type: 'int', value: { k: 'int', v: 4n } }, 'function g(a int)::{ k; }{ return a + k; }; return g(x) + k;'))).toEqual([8n]);
  });

  it('a callable two others read is built once and works for both', () => {
    const g = { name: 'g', type: null, value: { k: 'fn', id: 1 } } as const;
    const box = sandbox('function f(x int32)::{}{ return g(x) + h(x); };', [g, { name: 'h', type: null, value: { k: 'fn', id: 2 } }], DEFAULT_LIMITS, [
      { src: 'function g(y int)::{}{ return y * 10; };' },
      { src: 'function h(y int)::{}{ return g(y) + 1; };', env: [g] },
    ]);
    // 2·10 + (2·10 + 1)
    expect(values(box.call([2n], 0))).toEqual([41n]);
  });
});
