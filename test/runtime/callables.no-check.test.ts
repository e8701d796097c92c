// Callables (src/runtime/callables.ts) at run time, where the static checks would otherwise stop a
// program first (`check: false`): argument counts, parameter ranges, capture blocks, merge statements
// that disagree with the module, and handlers. Messages are the interpreter's own words for each case.
import { describe, expect, it } from 'vitest';

import { UNIT_BASKET, unitProfile } from '../../src/testing/unit-world.js';
import { err, NO_CHECK, out, where } from './helpers.js';


describe('calling', () => {
  it('main keeps its locals when it fails too, so the result shows where it stopped', () => {
    // Under the unit profile: the app's scope and main's (3000 each) and main's x (250).
    const src = 'app demo lang ambient {\n  mutable main ()::{}{ mutable int32 x = 1; lang.assert 1 == 2; };\n};\n';
    const e = err(src, { profile: unitProfile(), basket: UNIT_BASKET });
    expect(e.code).toBe('MRG3009');
    expect(e.result.ramPoints.total).toBe(6.25);
  });

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

describe('an int argument on a later call (the fast path)', () => {
  it('takes the bounds of its type and refuses one past each', () => {
    const f = 'function f(x int8)::{ cout; }{ cout x " "; };\nf(0);\n';
    expect(out(`${f}f(-128);\nf(127);\n`)).toBe('0 -128 127 ');
    for (const v of ['-129', '128']) {
      const e = err(`${f}f(${v});\n`, NO_CHECK);
      expect([e.code, e.message, e.line]).toEqual(['MRG3003', `${v} does not fit parameter 'x' of f, declared int8 (-128..127)`, 3]);
    }
  });

  it('an unbounded int takes any size; a float parameter is not an int', () => {
    expect(out('function f(x int)::{ cout; }{ cout x " "; };\nf(0);\nf(123456789012345678901234567890);\n')).toBe('0 123456789012345678901234567890 ');
    expect(out('function f(x float64)::{ cout; }{ cout x " "; };\nf(1.5);\nf(2);\n')).toBe('1.5 2.0 ');
  });
});

describe('capture blocks', () => {
  it('a name that is not declared cannot be captured', () => {
    expect(where(err('function f()::{ nope; }{};\nf();\n', NO_CHECK))).toEqual(['name_error', 'MRG3001', "'nope' is not declared here, so it cannot be captured", 1, 17]);
  });

  it('a mutable name of an enclosing scope must be captured there first', () => {
    expect(where(err('mutable int x = 1;\nfunction g()::{}{ function h()::{ x; }{}; };\ng();\n', NO_CHECK))).toEqual(['capability_error', 'MRG3007', "'x' belongs to an enclosing scope; capture it there first", 2, 35]);
  });

  it('an inert name of an enclosing scope may be captured anywhere below it', () => {
    expect(out('inert int k = 7;\nfunction g()::{ cout; endl; }{ function h()::{ k; cout; endl; }{ cout k endl; }; h(); };\ng();\n', NO_CHECK)).toBe('7\n');
  });

  it('one block may capture an inert value twice (nothing is moved)', () => {
    expect(out('inert int k = 1;\nfunction f()::{ k; k2: k; cout; }{ cout k k2; };\nf();\n', NO_CHECK)).toBe('11');
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

  it('a merge cycle says how to call instead', () => {
    const self = 'function f(x int)::{}{ merge self.f as h(x int)::{}{}; return h(x); };\n';
    const e = err('merge self.f as g(x int)::{}{};\ncout g(1) endl;\n', { mods: { self } });
    expect([e.code, e.message, e.diagnostic.hint]).toEqual([
      'MRG3002',
      'self.f is merged again inside its own body (a merge cycle)',
      'A module callable may not merge itself, directly or through other modules; it may call itself by name.',
    ]);
  });

  it('the module is the source path without its last word, dots kept (and not a module name)', () => {
    const e = err('mutable merge lib.util.f as f(x int)::{}{};\n', { ...NO_CHECK, mods: { 'lib.util': 'function f(x int)::{}{ return x; };\n' } });
    expect([e.code, e.message]).toEqual(['MRG3008', "'lib.util' is not a module name: modules are files NAME.mrm in the program's folder"]);
  });

  it('each refusal is an error', () => {
    for (const src of ['mutable merge u.f as f(x int)::{}{};\n', 'mutable merge u.f as f(x int, y int8)::{}{};\n', 'mutable merge u.f as f(x int, y int)::{}{};\n']) {
      expect(err(src, two).diagnostic.severity).toBe('error');
    }
    expect(err('mutable merge u.g as g(x int, y int)::{}{};\n', two).diagnostic.severity).toBe('error');
    const self = 'function f(x int)::{}{ merge self.f as h(x int)::{}{}; return h(x); };\n';
    expect(err('merge self.f as g(x int)::{}{};\ncout g(1) endl;\n', { mods: { self } }).diagnostic.severity).toBe('error');
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

  it('leave a body that returns normally alone', () => {
    expect(out('function f()::{ cout; }{ return 5; }!!{ cout "caught"; return 6; };\ncout f() endl;\n')).toBe('5\n');
  });

  it('do not catch a limit', () => {
    const e = err('function f()::{ cout; endl; }{ mutable int i = 0; while true { i += 1; }; }!!{ cout "caught" endl; };\nf();\n', { maxSteps: 1000 });
    expect([e.name, e.code, e.result.stdout]).toEqual([null, 'MRG3010', '']);
    // A call past --max-call-depth is a limit too; the handler would otherwise print and end well.
    const deep = err('function g()::{}{};\nfunction f()::{ cout; endl; }{ g(); }!!{ cout "caught" endl; };\nf();\n', { maxCallDepth: 1 });
    expect([deep.name, deep.code, deep.message, deep.line, deep.result.stdout]).toEqual([null, 'MRG3012', 'calls nested deeper than 1', 2, '']);
  });
});
