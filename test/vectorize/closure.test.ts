// What a vectorized function may be: functions and merged callables reading constants and calling
// other pure functions; what it may not: mutable captures, DAGs, non-functions. And the clear errors.
import { describe, expect, it } from 'vitest';

import { parseProgram } from '../../src/ast/parse.js';
import type { FunctionDecl } from '../../src/ast/types.js';
import { formatRunError } from '../../src/cli/run-report.js';
import { canonicalJson } from '../../src/runtime/vectorize/index.js';
import { freeNames } from '../../src/runtime/vectorize/closure.js';
import { dfRows, runVec } from './helpers.js';

const ROWS = `mutable dataframe inDf int32 x;
inDf(1); inDf(2); inDf(3);
mutable dataframe outDf int64 y;
mutable blocker b;
`;

function vec(decls: string, fn = 'f', mods?: Record<string, string>) {
  return runVec(`${ROWS}${decls}\nb += vectorize ${fn} inDf outDf;\nawait_all b;\n`, {}, mods ? { mods } : {});
}

function firstFunction(src: string): FunctionDecl {
  return parseProgram(src, 't.merge').program.body.find((s) => s.kind === 'Function') as FunctionDecl;
}

describe('the closure of a vectorized function', () => {
  it('reads inert constants and calls pure functions of the enclosing scope', () => {
    const { r } = vec(`inert int base = 100;
inert function sq(v int)::{}{ return v * v; };
function f(x int32)::{}{
  function plus(a int)::{}{ return a + base; };
  return plus(sq(x));
};`);
    expect(formatRunError(r)).toBe('');
    expect(dfRows(r, 'outDf')).toEqual([[101n], [104n], [109n]]);
  });

  it('may recurse', () => {
    const { r } = vec('function f(x int32)::{}{ if x <= 1 { return 1; }; return x * f(x - 1); };');
    expect(dfRows(r, 'outDf')).toEqual([[1n], [2n], [6n]]);
  });

  it('runs a merged callable with its constant block', () => {
    const { r } = vec('inert int top = 2;\nmutable merge m.g as g(x int32)::{}{ top; };', 'g', { m: 'inert int unit = 10;\nfunction g(x int32)::{}{ return x * unit + top; };' });
    expect(formatRunError(r)).toBe('');
    expect(dfRows(r, 'outDf')).toEqual([[12n], [22n], [32n]]);
  });

  it('takes inert captures as constants', () => {
    const { r } = vec('inert int step = 5;\nfunction f(x int32)::{ s: step; }{ return x + s; };');
    expect(dfRows(r, 'outDf')).toEqual([[6n], [7n], [8n]]);
  });

  it('refuses a mutable capture at the vectorize line: f may not change shared state', () => {
    const { r } = vec('shared mutable int count = 0;\nfunction f(x int32)::{ count; }{ count += 1; return x; };');
    expect(r.error?.code).toBe('MRG3002');
    expect(r.error?.line).toBe(7);
    expect(r.error?.message).toMatch(/captures 'count', which is mutable/);
  });

  it('refuses a function that reads a DAG', () => {
    const { r } = vec('inert dag d;\nfunction f(x int32)::{}{ return x + d.v; };');
    expect(r.error?.code).toBe('MRG3002');
    expect(r.error?.message).toMatch(/'d' \(read by f\) is a dag: a vectorized function runs apart from the program/);
  });

  it('needs a function, two dataframes and one parameter per input column', () => {
    expect(runVec(`${ROWS}mutable blocker c;\nc += vectorize outDf inDf outDf;`).r.error?.message).toMatch(/vectorize applies a function to every row, but it was given a dataframe/);
    expect(vec('function f(x int32)::{}{ return x; };\ninert int n = 1;', 'f').r.error).toBeNull();
    expect(runVec(`${ROWS}function f(x int32)::{}{ return x; };\ninert int n = 3;\nb += vectorize f n outDf;`).r.error?.message).toMatch(/reads its rows from a dataframe, but got an integer/);
    expect(vec('function f(x int32, y int32)::{}{ return x; };').r.error?.message).toMatch(/f takes 2 parameters but inDf has 1 column/);
  });

  it('a row f returns nothing for fails at await_all, like any error in f', () => {
    const { r, engine } = vec('function f(x int32)::{}{ if x == 1 { return x; }; };');
    expect(r.error?.code).toBe('MRG3002');
    expect(r.error?.line).toBe(6);
    expect(r.error?.message).toMatch(/f returned nothing .* for row 2/);
    expect(engine.reports[0]?.kept).toBe(1);
  });

  it('a result that does not fit outDf stops at that row', () => {
    const { r } = vec('function f(x int32)::{}{ return x "extra"; };');
    expect(r.error?.code).toBe('MRG3002');
    expect(r.error?.message).toMatch(/row 1 of 3 did not fit outDf; kept 0 of 3 rows\)$/);
  });

  it('f with a membrane of its own has its locals checked against it', () => {
    const ok = vec('function f(x int32)<membrane<quota<40,40,0>>>::{}{ mutable int t = x * 2; return t; };');
    expect(formatRunError(ok.r)).toBe('');
    const tight = vec('function f(x int32)<membrane<quota<1,1,0>>>::{}{ mutable string t = "a long local string"; return x; };');
    expect(tight.r.error?.name).toBe('quota_error');
    expect(tight.engine.reports[0]?.kept).toBe(0);
  });

  it('limits still hold inside f (a step budget is not a row error)', () => {
    const { r } = runVec(`${ROWS}function f(x int32)::{}{ mutable int i = 0; while true { i += 1; }; return x; };\nb += vectorize f inDf outDf;\nawait_all b;`, {}, { maxSteps: 50_000 });
    expect(r.error?.code).toBe('MRG3010');
  });
});

describe('free names and canonical forms', () => {
  it('finds the names a body reads but does not declare', () => {
    const f = firstFunction(`function f(x int)::{ c; }{
  mutable int y = x + k;
  function g(a int)::{ z: w; }{ return a + h + y; };
  while y < lim { y += 1; };
  cout scope.q endl;
  return g(y) c;
};`);
    expect(freeNames(f, new Set(['f', 'x', 'c'])).sort()).toEqual(['cout', 'endl', 'h', 'k', 'lim', 'q', 'scope', 'w']);
  });

  it('drops spans, documentation and literal spelling; keeps values', () => {
    const a = firstFunction('function f(x int)::{}{ return x + 1.50; };');
    const b = firstFunction('\n\n   function f(x int)::{}{\n```\nnote\n```\n return x + 1.5; };');
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).not.toContain('span');
    expect(canonicalJson({ v: 5n })).toBe('{"v":{"$int":"5"}}');
    expect(canonicalJson(firstFunction('function f(x int)::{}{ return x + 2; };'))).not.toBe(canonicalJson(firstFunction('function f(x int)::{}{ return x + 3; };')));
  });
});

describe('edges', () => {
  it('an empty input appends nothing and publishes a zero cost', () => {
    const { r, engine } = runVec('mutable dataframe inDf int32 x;\nmutable dataframe outDf int32 y;\nfunction f(x int32)::{}{ return x; };\nmutable blocker b;\nb += vectorize f inDf outDf;\nawait_all b;\n');
    expect(r.error).toBeNull();
    expect(engine.reports[0]?.cost).toEqual({ ops: '0', memBytes: '0', peakMem: '0', resultBytes: '0' });
  });

  it('rows added to the input after the vectorize line are not seen', () => {
    const { r } = runVec(`${ROWS}function f(x int32)::{}{ return x; };\nb += vectorize f inDf outDf;\ninDf(4);\nawait_all b;\n`);
    expect(dfRows(r, 'outDf')).toEqual([[1n], [2n], [3n]]);
  });

  it('a limit reached on a worker thread stops the run with that limit', () => {
    // Row 1 is slow enough to end the probe on the calling thread; rows 2 and 3 never end.
    const f = 'function f(x int32)::{}{ mutable int i = 0; while x > 1 || i < 300000 { i += 1; }; return x; };';
    const { r, engine } = runVec(`${ROWS}${f}\nb += vectorize f inDf outDf;\nawait_all b;`, { threads: 'always', workers: 2 }, { maxSteps: 5_000_000 });
    expect(engine.reports[0]?.mode).toBe('threads');
    expect(r.error?.code).toBe('MRG3010');
  });
});
