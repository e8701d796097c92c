// src/runtime/statements.ts at run time, where the static checks would otherwise stop a program first
// (`check: false`): conditions that are not bools, await_all of a non-blocker, declarations whose value
// does not suit their type, assignments the checker refuses, blockers misused. Each message is the
// interpreter's own words; the place is the statement's (or the condition's, for a condition).
import { describe, expect, it } from 'vitest';

import { refused } from './helpers.js';

describe('conditions are bools', () => {
  it('while, if and lang.assert name themselves and the value, at the condition', () => {
    expect(refused('while 1 { };\n')).toEqual(['type_error', 'MRG3002', 'the condition of while must be a bool, not an integer', 1, 7]);
    expect(refused('if "a" { };\n')).toEqual(['type_error', 'MRG3002', 'the condition of if must be a bool, not a string', 1, 4]);
    expect(refused('lang.assert 3;\n')).toEqual(['type_error', 'MRG3002', 'the condition of lang.assert must be a bool, not an integer', 1, 13]);
  });

  it('a false assertion is MRG3009 at the statement', () => {
    expect(refused('int x = 1;\nlang.assert x == 2;\n')).toEqual(['range_error', 'MRG3009', 'lang.assert failed: the condition is false', 2, 1]);
  });
});

describe('await_all', () => {
  it('needs a blocker', () => {
    expect(refused('int x = 1;\nawait_all x;\n')).toEqual(['type_error', 'MRG3002', 'await_all needs a blocker, not an integer', 2, 1]);
    expect(refused('mutable dag d;\nawait_all d;\n')).toEqual(['type_error', 'MRG3002', 'await_all needs a blocker, not a dag', 2, 1]);
  });
});

describe('declarations whose value does not suit their type', () => {
  it('a dag value is not bound at a DAG path (the path is named)', () => {
    expect(refused('mutable dag d;\nmutable dag d.a = d;\n')).toEqual([
      'type_error',
      'MRG3002',
      'a dag value (a view or a pruned DAG) is bound to a plain name, not to d.a; graft it with ent',
      2,
      1,
    ]);
  });

  it('a dag name gets a dag', () => {
    expect(refused('mutable dag d = 3;\n')).toEqual(['type_error', 'MRG3002', "'d' is declared dag but gets an integer", 1, 1]);
  });

  it('a blocker starts empty', () => {
    expect(refused('mutable blocker b = 3;\n')).toEqual(['type_error', 'MRG3002', 'a blocker starts empty; register work with `b += call(…);`', 1, 1]);
  });
});

describe('freeze and assignment', () => {
  it('freeze of a name that is not declared', () => {
    expect(refused('freeze nope;\n')).toEqual(['name_error', 'MRG3001', "'nope' is not declared here", 1, 1]);
  });

  it('a frozen name is inert from then on', () => {
    expect(refused('mutable int x = 1;\nfreeze x;\nx = 2;\n')).toEqual(['freeze_error', 'MRG3005', "'x' is inert (declare it mutable to change it)", 3, 1]);
  });
});

describe('more declarations and grafts with the checks off', () => {
  it('a dag name given a dataframe', () => {
    expect(refused('mutable dataframe t int32 a;\nmutable dag d = t;\n')).toEqual(['type_error', 'MRG3002', "'d' is declared dag but gets a dataframe", 2, 1]);
  });

  it('ent of a name that is not declared', () => {
    expect(refused('mutable dag d;\nent d nope as y;\n')).toEqual(['name_error', 'MRG3001', "'nope' is not declared here", 2, 7]);
  });

  it('ent of a name moved by an earlier ent names it, also when given through an alias of it', () => {
    expect(refused('mutable dag d;\nmutable int8 y = 1;\nent d y as a;\nent d y as b;\n')).toEqual(['ownership_error', 'MRG3004', "'y' was moved and cannot be used any more", 4, 7]);
    expect(refused('mutable dag d;\nmutable int8 y = 1;\nalias y as z;\nent d z as a;\nent d z as b;\n')).toEqual(['ownership_error', 'MRG3004', "'y' was moved and cannot be used any more", 5, 7]);
  });
});

describe('blocks', () => {
  it('a name declared in a block is not found after it', () => {
    expect(refused('if true { int inside = 1; };\ncout inside endl;\n')).toEqual(['name_error', 'MRG3001', "'inside' is not declared here", 2, 6]);
  });
});
