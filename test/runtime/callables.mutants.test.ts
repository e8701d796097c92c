// Callables (src/runtime/callables.ts) at run time, where the static checks would otherwise stop a
// program first (`check: false`): argument counts, parameter ranges, capture blocks, merge statements
// that disagree with the module, and handlers. Messages are the interpreter's own words for each case.
import { describe, expect, it } from 'vitest';

import { err, out } from './helpers.js';

const NO_CHECK = { check: false };
const where = (e: ReturnType<typeof err>) => [e.name, e.code, e.message, e.line, e.column];

describe('calling', () => {
  it('counts arguments, in the singular for one', () => {
    expect(where(err('function f(x int)::{}{};\nf(1, 2);\n', NO_CHECK))).toEqual(['type_error', 'MRG3002', 'f takes 1 argument, got 2', 2, 1]);
    expect(where(err('function f(x int, y int)::{}{};\nf(1);\n', NO_CHECK))).toEqual(['type_error', 'MRG3002', 'f takes 2 arguments, got 1', 2, 1]);
    expect(where(err('function f()::{}{};\nf(1);\n', NO_CHECK))).toEqual(['type_error', 'MRG3002', 'f takes 0 arguments, got 1', 2, 1]);
  });

  it('names the parameter an argument does not fit, on the first call and on later ones', () => {
    const msg = "300 does not fit parameter 'x' of f, declared int8 (-128..127)";
    expect(where(err('function f(x int8)::{}{};\nf(300);\n', NO_CHECK))).toEqual(['range_error', 'MRG3003', msg, 2, 1]);
    expect(where(err('function f(x int8)::{}{};\nf(1);\nf(300);\n', NO_CHECK))).toEqual(['range_error', 'MRG3003', msg, 3, 1]);
  });
});

describe('capture blocks', () => {
  it('a name that is not declared cannot be captured', () => {
    expect(where(err('function f()::{ nope; }{};\nf();\n', NO_CHECK))).toEqual(['name_error', 'MRG3001', "'nope' is not declared here, so it cannot be captured", 1, 17]);
  });

  it('a mutable name of an enclosing scope must be captured there first', () => {
    expect(where(err('mutable int x = 1;\nfunction g()::{}{ function h()::{ x; }{}; };\ng();\n', NO_CHECK))).toEqual(['capability_error', 'MRG3007', "'x' belongs to an enclosing scope; capture it there first", 2, 35]);
  });

  it('one block cannot move the same value twice', () => {
    expect(where(err('mutable dag d;\nfunction f()::{ d; d2: d; }{};\n', NO_CHECK))).toEqual(['ownership_error', 'MRG3004', "'d' is moved twice by the same capture block", 2, 20]);
  });
});

describe('merge statements that disagree with the module', () => {
  const two = { ...NO_CHECK, mods: { u: 'function f(x int, y int)::{ k; }{ return x; };\n' } };
  const one = { ...NO_CHECK, mods: { u: 'function f(x int)::{}{ return x; };\n' } };

  it('a different number of parameters, in the singular for one', () => {
    expect(where(err('mutable merge u.f as f(x int)::{}{};\n', two))).toEqual(['type_error', 'MRG3002', 'u.f takes 2 parameters but the merge declares 1', 1, 1]);
    expect(where(err('mutable merge u.f as f()::{}{};\n', one))).toEqual(['type_error', 'MRG3002', 'u.f takes 1 parameter but the merge declares 0', 1, 1]);
  });

  it('a parameter of another type', () => {
    expect(where(err('mutable merge u.f as f(x int, y int8)::{}{};\n', two))).toEqual(['type_error', 'MRG3002', 'parameter 2 of u.f is int, but the merge declares int8', 1, 1]);
  });

  it('a name the callable captures that the merge does not hand over', () => {
    expect(where(err('mutable merge u.f as f(x int, y int)::{}{};\n', two))).toEqual(['name_error', 'MRG3001', "u.f needs 'k'; hand it over in the merge's capture or constant block", 1, 1]);
  });

  it('a callable the module does not have', () => {
    expect(where(err('mutable merge u.g as g(x int, y int)::{}{};\n', two))).toEqual(['name_error', 'MRG3001', "u.mrm has no callable 'g'", 1, 1]);
  });

  it('agreeing, it runs', () => {
    expect(out('mutable merge u.f as f(x int)::{}{};\ncout f(41) endl;\n', one)).toBe('41\n');
  });
});

describe('handlers', () => {
  it('catch a Merg-E error, see it in scope.exceptions, and may return a value', () => {
    expect(out('function f()::{ cout; endl; }{ lang.assert 1 == 2; }!!{ cout "caught " scope.exceptions[-1] endl; };\nf();\ncout "after" endl;\n')).toBe(
      'caught range_error: lang.assert failed: the condition is false\nafter\n',
    );
    expect(out('function f()::{ cout; endl; }{ cout "in" endl; lang.assert 1 == 2; }!!{ cout "caught" endl; return 7; };\ncout f() endl;\n')).toBe('in\ncaught\n7\n');
  });

  it('do not catch a limit', () => {
    const e = err('function f()::{ cout; endl; }{ mutable int i = 0; while true { i += 1; }; }!!{ cout "caught" endl; };\nf();\n', { maxSteps: 1000 });
    expect([e.name, e.code, e.result.stdout]).toEqual([null, 'MRG3010', '']);
    // A call past --max-call-depth is a limit too; the handler would otherwise print and end well.
    const deep = err('function g()::{}{};\nfunction f()::{ cout; endl; }{ g(); }!!{ cout "caught" endl; };\nf();\n', { maxCallDepth: 1 });
    expect([deep.name, deep.code, deep.message, deep.line, deep.result.stdout]).toEqual([null, 'MRG3012', 'calls nested deeper than 1', 2, '']);
  });
});
