// The interpreter's World, ScopeSpace and payments (src/runtime/space.ts) at run time, where the
// static checks would otherwise stop a program first (`check: false`): the words of each refusal a
// DAG operation gives (a pruned DAG used as if attached, an inert name used to change a DAG, a value
// that cannot be grafted or appended), what `ent` of a bare value declares (its type by its value),
// and which bindings a value keeps alive. Charges are under the `unit` profile (src/testing/unit-world.ts:
// a scope 3000 milli-points, a dag node 1000, an int of up to 64 bits 10, a float64 8, a bool 1, a
// string 100 + its length, a dataframe 2000, a row 50, an int32 250, a blocker 700).
import { describe, expect, it } from 'vitest';

import { MergeError, type Span } from '../../src/diagnostics.js';
import { Pricing, work, type View } from '../../src/model/index.js';
import { LONG_STRING, modelWorkDone, watchClock } from '../../src/runtime/limits.js';
import { DetachedPay, MembranePay, relabel, SlotPay, userPaths, World } from '../../src/runtime/space.js';
import { INT_MAGNITUDE_LIMIT, typeByName, type TypeDesc } from '../../src/runtime/types.js';
import type { RefValue } from '../../src/runtime/values.js';
import { thrown } from '../support/errors.js';
import { UNIT_BASKET, unitProfile } from '../../src/testing/unit-world.js';
import { err, invariants, NO_CHECK, out, run, where } from './helpers.js';

const UNIT = { check: false, profile: unitProfile(), basket: UNIT_BASKET };
/** Live entities by kind when the run stopped (a failing `lang.assert` at the end keeps main's state). */
const counts = (src: string, opts: object = UNIT) => Object.fromEntries(run(src, opts).counts.byKind);
const points = (src: string, opts: object = UNIT) => Object.fromEntries(run(src, opts).ramPoints.byKind);
const STOP = 'lang.assert false;\n';

const PRUNED = 'mutable dag d;\nmutable dag d.x;\nmutable int d.x.z = 1;\nmutable dag p = prune d.x;\n';

describe('a pruned DAG is not attached anywhere until grafted', () => {
  it('says what cannot be done with it, at the statement', () => {
    const cases: [string, string, number][] = [
      ['mutable int p.y = 1;\n', 'declared into', 1],
      ['p.z = 2;\n', 'changed', 1],
      ['mutable dag q = prune p.z;\n', 'pruned again', 17],
      ['freeze p.z;\n', 'frozen in place', 1],
      ['mutable dag m = membrane<quota<10,10,0>> p;\n', 'wrapped in a membrane', 17],
      ['mutable dataframe p.df int32 a;\n', 'declared into', 1],
      ['cout lang.memory.dag.dag_rampoints(p, lang.types.int32) endl;\n', 'priced', 6],
      ['ent p 1 as q;\n', 'grafted into', 1],
    ];
    for (const [stmt, what, col] of cases) {
      expect(where(err(PRUNED + stmt, NO_CHECK))).toEqual(['type_error', 'MRG3002', `a pruned DAG cannot be ${what}; graft it with ent first`, 5, col]);
    }
  });

  it('reads its members: a scalar, a sub-DAG; a missing one, or one of a pruned scalar, is refused', () => {
    const src = 'mutable dag d;\nmutable dag d.x;\nmutable int d.x.i = 4;\nmutable dag d.x.s;\nmutable int d.x.s.j = 5;\nmutable dag p = prune d.x;\n';
    expect(out(`${src}cout p.i " " p.s.j endl;\n`, NO_CHECK)).toBe('4 5\n');
    expect(where(err(`${src}cout p.y endl;\n`, NO_CHECK))).toEqual(['name_error', 'MRG3001', "the pruned DAG has no 'y'", 7, 6]);
    expect(where(err(`${src}cout p.s.y endl;\n`, NO_CHECK))).toEqual(['name_error', 'MRG3001', "the pruned DAG has no 'y'", 7, 6]);
    const scalar = 'mutable dag d;\nmutable int d.x = 3;\nmutable dag p = prune d.x;\ncout p.y endl;\n';
    expect(where(err(scalar, NO_CHECK))).toEqual(['type_error', 'MRG3002', "a pruned scalar has no member 'y'", 4, 6]);
  });

  it('a member sub-DAG of a pruned value cannot be declared into either (it is not mutable, and not attached)', () => {
    const src = 'mutable dag d;\nmutable dag d.x;\nmutable dag d.x.s;\nmutable dag p = prune d.x;\nmutable dag s = p.s;\n';
    expect(where(err(`${src}mutable int s.y = 1;\n`, NO_CHECK))).toEqual(['type_error', 'MRG3002', 'a pruned DAG cannot be declared into; graft it with ent first', 6, 1]);
    // Grafting the whole pruned value works; a part of it is refused.
    expect(where(err(`${src}ent d p.s as q;\n`, NO_CHECK))).toEqual(['type_error', 'MRG3002', 'only a whole pruned value can be grafted, not a part of it', 6, 1]);
    expect(where(err(`${src}ent d s as q;\n`, NO_CHECK))).toEqual(['type_error', 'MRG3002', 'only a whole pruned value can be grafted, not a part of it', 6, 1]);
    expect(out(`${src}ent d p as q;\nmutable int d.q.s.y = 6;\ncout d.q.s.y endl;\n`, NO_CHECK)).toBe('6\n');
  });
});

describe('a DAG reached through an inert name (a frozen sub-DAG read into a name)', () => {
  const FROZEN = 'mutable dag m;\nmutable dag m.s;\nmutable int m.s.x = 1;\nmutable int m.s.t.u = 1;\nfreeze m.s;\nmutable dag s = m.s;\n';

  it('refuses declarations, assignments, grafts and dataframes with a freeze_error', () => {
    const cases: [string, string][] = [
      ['mutable int s.y = 1;\n', 'the DAG is reached through an inert name: declare y through a mutable one'],
      ['mutable int s.a.b = 1;\n', 'the DAG is reached through an inert name: declare a.b through a mutable one'],
      ['s.x = 2;\n', 'x is reached through an inert name and cannot change'],
      ['s.t.u = 2;\n', 't.u is reached through an inert name and cannot change'],
      ['ent s 1 as q;\n', 'the DAG is reached through an inert name: nothing can be grafted into it'],
      ['mutable dataframe s.df int32 a;\n', 'the DAG is reached through an inert name: declare s.df through a mutable one'],
    ];
    for (const [stmt, msg] of cases) expect(where(err(FROZEN + stmt, NO_CHECK))).toEqual(['freeze_error', 'MRG3005', msg, 7, 1]);
  });

  it('a sub-DAG that is not frozen, read through a mutable name, stays mutable', () => {
    expect(out('mutable dag m;\nmutable dag m.s;\nmutable dag s = m.s;\nmutable int s.y = 3;\ncout m.s.y endl;\n', NO_CHECK)).toBe('3\n');
  });
});

describe('what cannot be declared, assigned, grafted or appended', () => {
  it('a blocker is not declared inside a DAG; a sub-DAG is not assigned', () => {
    expect(where(err('mutable dag d;\nmutable blocker d.b;\n', NO_CHECK))).toEqual(['type_error', 'MRG3002', 'a blocker cannot be declared inside a DAG', 2, 1]);
    expect(where(err('mutable dag d;\nmutable dag d.s;\nd.s = 1;\n', NO_CHECK))).toEqual(['type_error', 'MRG3002', 's is a dag, not a scalar: it cannot be assigned', 3, 1]);
    expect(where(err('mutable dag d;\nmutable dag d.s;\nmutable dag d.s.t;\nd.s.t = 1;\n', NO_CHECK))).toEqual(['type_error', 'MRG3002', 's.t is a dag, not a scalar: it cannot be assigned', 4, 1]);
  });

  it('a value that is not pruned (a callable, a DAG a call returned, a namespace) is not grafted', () => {
    expect(where(err('mutable dag d;\nfunction g()::{}{};\nent d g as q;\n', NO_CHECK))).toEqual(['type_error', 'MRG3002', 'a callable cannot be grafted: prune it first', 3, 1]);
    expect(where(err('mutable dag m;\nfunction g()::{}{ mutable dag b; return b; };\nent m g() as q;\n', NO_CHECK))).toEqual(['type_error', 'MRG3002', 'a dag cannot be grafted: prune it first', 3, 1]);
  });

  it('a dataframe row holds scalars only', () => {
    expect(where(err('mutable dag m;\nmutable dataframe m.df int32 a;\nm.df(m);\n', NO_CHECK))).toEqual(['type_error', 'MRG3002', 'a dataframe row holds scalars, not a dag', 3, 1]);
    expect(where(err('mutable dag m;\nmutable dataframe m.df int32 a, int32 b;\nm.df(1, m);\n', NO_CHECK))).toEqual(['type_error', 'MRG3002', 'a dataframe row holds scalars, not a dag', 3, 1]);
  });

  it('a type that is not a scalar has no scalar price', () => {
    expect(where(err('cout lang.memory.int.rampoints(lang.types.dag) endl;\n', NO_CHECK))).toEqual(['type_error', 'MRG3002', "'dag' is not a scalar type", 1, 6]);
    expect(where(err('mutable dag d;\ncout lang.memory.dag.dag_rampoints(d, lang.types.dag) endl;\n', NO_CHECK))).toEqual(['type_error', 'MRG3002', "'dag' is not a scalar type", 2, 6]);
  });
});

describe('ent of a bare value declares it at the type of its value', () => {
  it('an int, a float64, a string and a bool, each priced as such', () => {
    const src = `mutable dag d;\nent d 5 as i;\nent d 2.5 as f;\nent d "ab" as s;\nent d true as b;\ncout d.i " " d.f " " d.s " " d.b endl;\n${STOP}`;
    const r = run(src, UNIT);
    expect(r.stdout).toBe('5 2.5 ab true\n');
    expect(Object.fromEntries(r.ramPoints.byKind)).toEqual({ scope: 3, dag_node: 1, 'scalar:int8': 0.01, 'scalar:float64': 0.008, string: 0.102, 'scalar:bool': 0.001 });
    expect(invariants(r)).toEqual([]);
  });

  it('each one alone', () => {
    const one = (v: string) => points(`mutable dag d;\nent d ${v} as q;\n${STOP}`);
    expect(one('7')).toEqual({ scope: 3, dag_node: 1, 'scalar:int8': 0.01 });
    expect(one('0.5')).toEqual({ scope: 3, dag_node: 1, 'scalar:float64': 0.008 });
    expect(one('"abc"')).toEqual({ scope: 3, dag_node: 1, string: 0.103 });
    expect(one('false')).toEqual({ scope: 3, dag_node: 1, 'scalar:bool': 0.001 });
  });

  it('a grafted value then reads as its type: a string leaf takes a string, not an int', () => {
    expect(out('mutable dag d;\nent d "ab" as s;\nd.s = "xyz";\ncout d.s endl;\n', NO_CHECK)).toBe('xyz\n');
    expect(out('mutable dag d;\nent d 1 as i;\nd.i = 300;\ncout d.i endl;\n', NO_CHECK)).toBe('300\n');
  });
});

describe('the world', () => {
  it('keeps frames lazy unless told otherwise', () => {
    const pricing = Pricing.fromCounts(unitProfile(), UNIT_BASKET);
    expect(new World(pricing).lazy).toBe(true);
    expect(new World(pricing, 'eager').lazy).toBe(false);
  });
});

// ------------------------------------------------------------------ the classes, called directly

const SP: Span = { file: 't.merge', line: 3, column: 1, endLine: 3, endColumn: 2 };
const T = (name: string) => typeByName(name) as TypeDesc;

/** A lazy world (unit prices) with a scope `main` below the root. */
function world() {
  const w = new World(Pricing.fromCounts(unitProfile(), UNIT_BASKET));
  const main = w.scope(w.mem.root, 'main', 'main', SP);
  return { w, main };
}
const dagAt = (view: View | null, detached: unknown = null) => ({ tag: 'dag', view, detached, node: null, mutable: true }) as unknown as RefValue;
const dfAt = (view: View, path: string[]) => ({ tag: 'dataframe', handle: { view, path }, name: 'df' }) as unknown as RefValue;
const CALLABLE = { tag: 'callable' } as unknown as RefValue;

describe("a node's payment holds the values inside its node", () => {
  it('a view at or below the node, not beside it, above it or elsewhere', () => {
    const { w, main } = world();
    const { pay } = main.dag('b', true, SP);
    const at = (...path: string[]) => dagAt(w.mem.at(w.mem.root, path));
    expect(pay.heldBy(at('main', 'b'))).toBe(true);
    expect(pay.heldBy(at('main', 'b', 'x'))).toBe(true);
    expect(pay.heldBy(at('main', 'c'))).toBe(false);
    expect(pay.heldBy(at('main', 'c', 'b'))).toBe(false);
    expect(pay.heldBy(at('main'))).toBe(false);
    expect(pay.heldBy(at('other', 'b'))).toBe(false);
    expect(pay.heldBy(at('other', 'b', 'x'))).toBe(false);
    expect(pay.heldBy(dagAt(null))).toBe(false);
  });

  it('a dataframe at or below the node; nothing else (a callable)', () => {
    const { w, main } = world();
    const { pay } = main.dag('b', true, SP);
    expect(pay.heldBy(dfAt(w.mem.at(w.mem.root, ['main']), ['b', 'df']))).toBe(true);
    expect(pay.heldBy(dfAt(w.mem.at(w.mem.root, ['main', 'b']), ['df']))).toBe(true);
    expect(pay.heldBy(dfAt(w.mem.at(w.mem.root, ['main']), ['c', 'df']))).toBe(false);
    expect(pay.heldBy(dfAt(w.mem.at(w.mem.root, ['other']), ['b', 'df']))).toBe(false);
    expect(pay.heldBy(CALLABLE)).toBe(false);
  });

  it('releasing it twice releases once', () => {
    const { w, main } = world();
    const { pay } = main.dag('b', true, SP);
    main.dag('c', true, SP);
    pay.release();
    expect(w.mem.has(main.view, ['b'])).toBe(false);
    pay.release();
    expect(w.mem.has(main.view, ['c'])).toBe(true);
  });
});

describe('the dataframes the report lists', () => {
  const cols = [{ name: 'a', type: T('int32') }];

  it('lose those at or below a released DAG or dataframe, and keep the others', () => {
    const { w, main } = world();
    const g = main.dag('g', true, SP);
    w.dataframeAt({ base: g.value, path: ['x'] }, 'g.x', cols, true, SP);
    w.dataframeAt({ base: g.value, path: ['s', 'y'] }, 'g.s.y', cols, true, SP);
    const n = main.dataframe('n', 'n', cols, true, SP);
    const k = main.dataframe('k', 'k', cols, true, SP);
    main.dataframe('gx', 'gx', cols, true, SP);
    const names = () => w.dataframes.map((d) => d.name);
    expect(names()).toEqual(['g.x', 'g.s.y', 'n', 'k', 'gx']);
    g.pay.release();
    expect(names()).toEqual(['n', 'k', 'gx']);
    n.pay.release();
    expect(names()).toEqual(['k', 'gx']);
    // A scalar released beside them changes nothing.
    main.scalar('i', T('int32'), 1n, true, SP).release();
    expect(names()).toEqual(['k', 'gx']);
  });

  it('keep those of an enclosing scope when a deeper node is released', () => {
    const { w, main } = world();
    main.dataframe('n', 'n', cols, true, SP);
    const inner = w.scope(main.view, 'f', 'f', SP);
    const { pay } = inner.dag('b', true, SP);
    pay.release();
    expect(w.dataframes.map((d) => d.name)).toEqual(['n']);
  });
});

describe('a scalar slot (lazy frames)', () => {
  it('is named by its depth below the scope node', () => {
    const { main } = world();
    expect((main.slot('x', 0, T('int32'), 1n, true, SP) as SlotPay).wname).toBe('x');
    expect((main.slot('x', 2, T('int32'), 1n, true, SP) as SlotPay).wname).toBe('x#d2');
  });

  it('holds no value', () => {
    const { w, main } = world();
    const pay = main.slot('x', 0, T('int32'), 1n, true, SP);
    expect(pay.heldBy(dagAt(w.mem.at(main.view, ['x'])))).toBe(false);
  });

  it(`takes an int of up to ${'2^16383'} in magnitude, and refuses one past either end`, () => {
    const L = INT_MAGNITUDE_LIMIT;
    for (const v of [L - 1n, -L, 5n]) {
      const { main } = world();
      expect(() => main.slot('x', 0, T('int'), v, true, SP)).not.toThrow();
    }
    for (const v of [L, -L - 1n, L * 4n, -L * 4n]) {
      const { main } = world();
      const e = thrown(() => main.slot('x', 0, T('int'), v, true, SP));
      expect([e.code, e.message]).toEqual(['MRG3013', 'integer result needs more than 16384 bits']);
    }
  });
});

describe('a pruned value held by a name', () => {
  it('holds the DAG values of that pruned value only, and stays as it is when the name changes', () => {
    const { w, main } = world();
    main.dag('b', true, SP);
    main.dag('c', true, SP);
    const d = w.mem.prune(main.view, ['b']);
    const other = w.mem.prune(main.view, ['c']);
    const pay = new DetachedPay(w, d);
    expect(pay.heldBy(dagAt(null, d))).toBe(true);
    expect(pay.heldBy(dagAt(null, other))).toBe(false);
    expect(pay.heldBy(dagAt(main.view))).toBe(false);
    expect(pay.heldBy({ tag: 'dataframe', detached: d } as unknown as RefValue)).toBe(false);
    expect(pay.resize()).toBe(pay);
  });
});

describe('a membrane held by a name', () => {
  it('holds the DAGs and dataframes seen through it, nothing else', () => {
    const { w, main } = world();
    main.dag('b', true, SP);
    const through = w.mem.quota(w.mem.at(main.view, ['b']), 'q', 10, 0, 0);
    const pay = new MembranePay(w, through.membrane as NonNullable<View['membrane']>);
    const plain = w.mem.at(main.view, ['b']);
    expect(pay.heldBy(dagAt(through))).toBe(true);
    expect(pay.heldBy(dagAt(w.mem.at(through, ['x'])))).toBe(true);
    expect(pay.heldBy(dagAt(plain))).toBe(false);
    expect(pay.heldBy(dagAt(null))).toBe(false);
    expect(pay.heldBy(dfAt(through, ['df']))).toBe(true);
    expect(pay.heldBy(dfAt(plain, ['df']))).toBe(false);
    expect(pay.heldBy(CALLABLE)).toBe(false);
    expect(pay.resize()).toBe(pay);
  });
});

describe('inert declarations stay inert wherever they go, mutable ones stay mutable', () => {
  const modes = [{ ...UNIT }, { ...UNIT, frames: 'eager' as const }];

  it('a scalar local grafted with ent (its slot placed, or its node moved)', () => {
    for (const o of modes) {
      expect(out('mutable dag d;\nmutable int x = 1;\nent d x as q;\nd.q = 5;\ncout d.q endl;\n', o)).toBe('5\n');
      expect(where(err('mutable dag d;\nint x = 1;\nent d x as q;\nd.q = 5;\n', o))).toEqual(['freeze_error', 'MRG3005', 'd.q is inert or frozen: it cannot change', 4, 1]);
      // A slot is placed with the value it has now.
      expect(out('mutable dag d;\nmutable int x = 1;\nx = 7;\nent d x as q;\ncout d.q endl;\n', o)).toBe('7\n');
    }
  });

  it('a DAG and a dataframe of the scope grafted with ent', () => {
    expect(out('mutable dag d;\nmutable dag b;\nent d b as q;\nmutable int d.q.y = 1;\ncout d.q.y endl;\n', UNIT)).toBe('1\n');
    expect(where(err('mutable dag d;\ndag b;\nent d b as q;\nmutable int d.q.y = 1;\n', UNIT))).toEqual(['freeze_error', 'MRG3005', "d.q is frozen (or inert): cannot declare 'y' in it", 4, 1]);
    expect(out('mutable dag d;\nmutable dataframe n int32 a;\nent d n as q;\nd.q(1);\ncout lang.dataframe.rows(d.q) endl;\n', UNIT)).toBe('1\n');
    expect(where(err('mutable dag d;\ndataframe n int32 a;\nent d n as q;\nd.q(1);\n', UNIT))).toEqual(['freeze_error', 'MRG3005', 'dataframe d.q is frozen: rows cannot be added', 4, 1]);
  });

  it('a sub-DAG, a scalar and a dataframe declared inside a DAG', () => {
    expect(where(err('mutable dag d;\ndag d.s;\nmutable int d.s.y = 1;\n', UNIT))).toEqual(['freeze_error', 'MRG3005', "d.s is frozen (or inert): cannot declare 'y' in it", 3, 1]);
    expect(where(err('mutable dag d;\nint d.x = 1;\nd.x = 2;\n', UNIT))).toEqual(['freeze_error', 'MRG3005', 'd.x is inert or frozen: it cannot change', 3, 1]);
    expect(where(err('mutable dag d;\ndataframe d.df int32 a;\nd.df(1);\n', UNIT))).toEqual(['freeze_error', 'MRG3005', 'dataframe d.df is frozen: rows cannot be added', 3, 1]);
    expect(out('mutable dag d;\nmutable dag d.s;\nmutable int d.s.y = 1;\nmutable int d.x = 1;\nd.x = 2;\nmutable dataframe d.df int32 a;\nd.df(1);\ncout d.s.y d.x lang.dataframe.rows(d.df) endl;\n', UNIT)).toBe('121\n');
  });

  it('the built-in lang DAG is reached through an inert name', () => {
    expect(where(err('mutable dag v = scope.imported.lang.Version;\nmutable int v.z = 1;\n', UNIT))).toEqual(['freeze_error', 'MRG3005', 'the DAG is reached through an inert name: declare z through a mutable one', 2, 1]);
  });
});

describe('ent checks', () => {
  it('a named DAG is not grafted into itself or below itself', () => {
    const msg = "'d' cannot be grafted into itself or into a place inside it";
    expect(where(err('mutable dag d;\nent d d as q;\n', UNIT))).toEqual(['type_error', 'MRG3002', msg, 2, 1]);
    expect(where(err('mutable dag d;\nmutable dag d.s;\nent d.s d as q;\n', UNIT))).toEqual(['type_error', 'MRG3002', msg, 3, 1]);
    expect(out('mutable dag d;\nmutable dag e;\nmutable int e.v = 2;\nent d e as q;\ncout d.q.v endl;\n', UNIT)).toBe('2\n');
  });

  it('a blocker grafted into a DAG is read back as the blocker', () => {
    expect(out('mutable dag m;\nmutable blocker b;\nent m b as q;\ncout m.q endl;\n', UNIT)).toBe('<blocker: 0 pending>\n');
  });
});

describe('freeze', () => {
  it('freezes the DAG a name sees, and a dataframe', () => {
    expect(where(err('mutable dag m;\nmutable dag m.s;\nmutable dag s = m.s;\nfreeze s;\nmutable int m.s.y = 1;\n', UNIT))).toEqual(['freeze_error', 'MRG3005', "m.s is frozen (or inert): cannot declare 'y' in it", 5, 1]);
    expect(where(err('mutable dataframe df int32 a;\nfreeze df;\ndf(1);\n', UNIT))).toEqual(['freeze_error', 'MRG3005', 'dataframe df is frozen: rows cannot be added', 3, 1]);
    expect(where(err('mutable dag d;\nmutable dataframe d.df int32 a;\nfreeze d;\nd.df(1);\n', UNIT))).toEqual(['freeze_error', 'MRG3005', 'dataframe d.df is frozen: rows cannot be added', 4, 1]);
  });

  it('a pruned value has nothing in place to freeze', () => {
    expect(out(`${PRUNED}freeze p;\nent d p as q;\ncout d.q.z endl;\n`, UNIT)).toBe('1\n');
  });

  it('a frozen scalar grafted with ent keeps its last value and stays frozen (lazy and eager frames)', () => {
    for (const o of [UNIT, { ...UNIT, frames: 'eager' as const }]) {
      const src = 'mutable dag d;\nmutable int x = 1;\nx = 7;\nfreeze x;\nent d x as q;\n';
      expect(out(`${src}cout d.q endl;\n`, o)).toBe('7\n');
      expect(where(err(`${src}d.q = 5;\n`, o))).toEqual(['freeze_error', 'MRG3005', 'd.q is inert or frozen: it cannot change', 6, 1]);
    }
  });

  it('a scalar keeps the value it was given before the freeze', () => {
    expect(where(err('mutable int x = 1;\nx = 7;\nfreeze x;\nx = 8;\n', UNIT))).toEqual(['freeze_error', 'MRG3005', "'x' is inert (declare it mutable to change it)", 4, 1]);
    expect(out('mutable dag d;\nmutable int x = 1;\nx = 7;\nfreeze x;\ncout x endl;\n', UNIT)).toBe('7\n');
  });
});

describe('a dataframe captured by a callable moves into its scope and stays listed', () => {
  it('takes rows there, on every call', () => {
    const src = 'mutable dataframe df int32 a;\nfunction f()::{df; cout; endl;}{ df(1); df(2); cout lang.dataframe.rows(df) endl; };\nf();\nf();\n';
    const r = run(`${src}${STOP}`, UNIT);
    expect(r.stdout).toBe('2\n4\n');
    expect(r.dataframes).toEqual([{ name: 'df', rows: 4, frozen: false }]);
  });
});

describe("a callable's scope membrane", () => {
  it('copy_on_mutate makes that kind of membrane', () => {
    expect(counts(`function f()<membrane<copy_on_mutate>>::{}{ mutable int x = 1; };\nf();\n${STOP}`)).toEqual({ 'membrane:copy_on_mutate': 1, scope: 2 });
  });
});

describe('prices', () => {
  it('of an empty string and of an int32 (lang.memory.int.rampoints)', () => {
    expect(out('cout lang.memory.int.rampoints(lang.types.string) " " lang.memory.int.rampoints(lang.types.int32) endl;\n', UNIT)).toBe('0.1 0.25\n');
  });
});

describe('model messages in the names the program wrote', () => {
  it('drop scope nodes and the #slot / #dN suffixes, whatever the digits', () => {
    expect(userPaths('no paths here')).toBe('no paths here');
    expect(userPaths("assignment to #main.g2()#12.s1#d10 of 'x'")).toBe("assignment to g2().s1 of 'x'");
    expect(userPaths('#module:utils.mrm.x1#3 (#main.y#d2)')).toBe('x1 (y)');
  });

  it('relabel locates a model error at the statement and renames its paths; anything else passes through', () => {
    const other = new Error('internal');
    expect(relabel(other, SP)).toBe(other);
    const placed = new MergeError({ code: 'MRG3002', severity: 'error', message: 'plain', span: { ...SP, line: 9 } });
    expect(relabel(placed, SP)).toBe(placed);
    const unplaced = new MergeError({ code: 'MRG3002', severity: 'error', message: 'plain' });
    const r1 = relabel(unplaced, SP) as MergeError;
    expect([r1.message, r1.diagnostic.span]).toEqual(['plain', SP]);
    const named = new MergeError({ code: 'MRG3002', severity: 'error', message: 'at #main.x#d1', span: { ...SP, line: 9 } });
    const r2 = relabel(named, SP) as MergeError;
    expect([r2.message, r2.diagnostic.span?.line]).toEqual(['at x', 9]);
  });
});

describe('a slot re-paid for a new value (lazy frames), as its node would be (eager)', () => {
  it('a longer string past a quota is refused in the words an eager node gives', () => {
    // "a" is 101 milli-points; 2000 x's are 2100: 1999 more than the 1000 that D allows.
    const src = `function f()<membrane<quota<1,1,0>>>::{}{ mutable string s1 = "a"; s1 = "${'x'.repeat(2000)}"; };\nf();\n`;
    for (const o of [UNIT, { ...UNIT, frames: 'eager' as const }]) {
      const e = err(src, o);
      expect([e.code, e.message, e.line, e.column]).toEqual(['MRG3006', "assignment to f().s1 refused by quota membrane 'f': 0.101 used + 1.999 requested > 1 points (direct allocation limit D)", 1, 68]);
    }
  });
});

describe('a long string is a slow step that looks at the clock', () => {
  /**
   * Clock readings while `fn` runs. The last look at model work is set to the work done so far first,
   * so the little model work of `fn` reads no clock and only string work does: a look 2 × 16384 on
   * leaves it within 16384 of there, and looking back at the count now then sets it exactly.
   */
  function readings(fn: () => void): number {
    modelWorkDone(work.units + 2 * 16_384, undefined);
    modelWorkDone(work.units, undefined);
    let n = 0;
    const before = watchClock(() => void n++);
    try {
      fn();
    } finally {
      watchClock(before);
    }
    return n;
  }

  it(`from ${LONG_STRING} characters on; a shorter string or an int does not`, () => {
    const { main } = world();
    expect(readings(() => main.slot('a', 0, T('string'), 'x'.repeat(LONG_STRING), true, SP))).toBe(1);
    expect(readings(() => main.slot('b', 0, T('string'), 'x'.repeat(LONG_STRING - 1), true, SP))).toBe(0);
    expect(readings(() => main.scalar('c', T('int32'), 5n, true, SP))).toBe(0);
    expect(readings(() => main.scalar('d', T('string'), 'x'.repeat(LONG_STRING + 1), true, SP))).toBe(1);
  });
});
