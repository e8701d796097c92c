// Mutation survivors of src/runtime/callables.ts (TESTING.md › Survivors): each case pins one rule of
// language.md §5 (callables, ownership) or quota.md §6/§8 (per-call membranes) that a planted mutant broke
// without a test noticing. `check: false` reaches the runtime's own guards behind the static checks (their
// messages: callables.no-check.test.ts).
import { describe, expect, it } from 'vitest';

import { err, invariants, NO_CHECK, out, run, where } from './helpers.js';


describe('capture blocks (runtime guards)', () => {
  it('an inert capture stays inert inside the callable', () => {
    const e = err('int x = 1;\nfunction f()::{ x; }{ x = 2; };\nf();\n', NO_CHECK);
    expect([e.name, e.code, e.message]).toEqual(['freeze_error', 'MRG3005', "'x' is inert (declare it mutable to change it)"]);
    expect(err('function f(x int)::{}{ x = 2; };\nf(1);\n', NO_CHECK).name).toBe('freeze_error');
  });
});

describe('moves', () => {
  it("a callable's own moved capture moves again into a callable it declares", () => {
    const e = err('mutable int x = 1;\nfunction f()::{ x; }{ function h()::{ x; }{}; x += 1; };\nf();\n', NO_CHECK);
    expect([e.name, e.code, e.message, e.line]).toEqual(['ownership_error', 'MRG3004', "'x' was moved and cannot be used any more", 2]);
  });

  it('a shared mutable callable is not moved by a capture block (a bug: it was, in the checks and at run time)', () => {
    const f = 'shared mutable function f()::{ cout; endl; }{ cout "f" endl; };\n';
    for (const opts of [{}, NO_CHECK]) {
      expect(out(`${f}function g()::{ f; }{ f(); };\ng();\nf();\n`, opts)).toBe('f\nf\n');
      const m = 'function h()::{ f; }{ f(); };\n';
      expect(out(`${f}merge m.h as g()::{ f; }{};\ng();\nf();\n`, { ...opts, mods: { m } })).toBe('f\nf\n');
    }
  });

  it('a mutable callable is moved by a capture block', () => {
    const e = err('mutable function f()::{}{};\nfunction g()::{ f; }{};\nf();\n', NO_CHECK);
    expect([e.name, e.message, e.line]).toEqual(['ownership_error', "'f' was moved and cannot be used any more", 3]);
  });
});

describe('call depth', () => {
  const loop = (n: number, body: string) => `mutable int i = 0;\n${body}\nwhile i < ${n} { g(); i += 1; };\ncout "done" endl;\n`;

  it('calls that returned, raised or were refused no longer count towards the nested-call limit', () => {
    for (const frames of ['lazy', 'eager'] as const) {
      const opts = { frames, maxCallDepth: 4 };
      expect(out(loop(20, 'function g()::{}{ };'), opts)).toBe('done\n');
      expect(out(loop(20, 'function g()::{}{ lang.assert false; }!!{ };'), opts)).toBe('done\n');
      // f's parameter is refused at the call (lazy: after the first call; eager: every time).
      expect(out(loop(20, 'function f(x uint8)::{}{ };\nf(1);\nfunction g()::{}{ f(300); }!!{ };'), opts)).toBe('done\n');
    }
  });

  it('nesting beyond the limit is refused', () => {
    const e = err('function f(n int)::{}{ if n > 0 { f(n - 1); }; };\nf(10);\n', { maxCallDepth: 4 });
    expect(e.name).toBeNull();
  });
});

describe('the step budget', () => {
  it('a declaration is a step: a budget of one ends the run at the first declaration', () => {
    const e = err('function f()::{}{};\ncout 2 endl;\n', { maxSteps: 1 });
    expect([e.code, e.line, e.column]).toEqual(['MRG3010', 1, 1]);
  });
});

describe('a moved pruned DAG (quota.md §8: moved captures are grafted into the scope at construction)', () => {
  const src = (quota: string) => `mutable dag d;
mutable int d.x.v = 5;
mutable dag p = prune d.x;
function f()<membrane<quota<${quota}>>>::{ cout; endl; p; }{ cout p.v endl; p.v += 1; };
f();
f();
`;

  it("is grafted at full price into the callable's membrane on the first call, and stays mutable there", () => {
    const r = run(src('100,100,0'));
    expect([r.error, r.stdout]).toEqual([null, '5\n6\n']);
    const f = r.membranes.find((m) => m.name === 'f');
    expect(f?.byKind.map((k) => [k.kind, k.count])).toEqual([['dag_node', 1], ['scalar:int8', 1]]);
    expect(invariants(r)).toEqual([]);
  });

  it('a graft the membrane cannot hold is a quota_error at the call, and nothing is charged', () => {
    const e = err(src('1,1,0'));
    expect([e.name, e.code, e.line, e.column, e.membrane, e.limitKind]).toEqual(['quota_error', 'MRG3006', 5, 1, 'f', 'direct']);
    expect(e.message).toContain("graft of 'p' into f()");
    expect(e.result.membranes.find((m) => m.name === 'f')?.directUsed).toBe(0);
  });
});

describe('a refused construction leaves the caller as it was (quota.md §8)', () => {
  it('a moved int refused twice: each call is a quota_error, and the value is still whole', () => {
    for (const frames of ['lazy', 'eager'] as const) {
      const r = run(`mutable int x = 5;
function f()<membrane<quota<0,0,0>>>::{ cout; endl; x; }{ cout x endl; };
function g()::{ cout; endl; }{ f(); }!!{ cout scope.exceptions[-1].name endl; };
g();
g();
cout "end" endl;
`, { frames });
      expect([r.error, r.stdout]).toEqual([null, 'quota_error\nquota_error\nend\n']);
      expect(r.membranes[0]?.directUsed).toBe(0);
      expect([...r.ramPoints.byKind.keys()].sort()).toEqual(['membrane:quota', 'scalar:int8', 'scope']);
      expect(invariants(r)).toEqual([]);
    }
  });
});

describe("a callable's binding dies with its scope", () => {
  const kinds = (r: ReturnType<typeof run>) => [...r.ramPoints.byKind.keys()].sort();

  it('never called: nothing of it is left', () => {
    const r = run('if true {\n  function f()::{}{};\n};\ncout "ok" endl;\n');
    expect([r.error, r.stdout, kinds(r)]).toEqual([null, 'ok\n', ['scope']]);
    expect(invariants(r)).toEqual([]);
  });

  it('a value moved into it dies with it, called or not', () => {
    for (const call of ['', '  f();\n']) {
      const r = run(`mutable int x = 5;\nif true {\n  function f()::{ x; }{};\n${call}};\ncout "ok" endl;\n`);
      expect([r.error, r.stdout, kinds(r)]).toEqual([null, 'ok\n', ['scope']]);
      expect(invariants(r)).toEqual([]);
    }
  });

  it('a shared or inert capture is not its to release', () => {
    const shared = run('shared mutable int y = 5;\nif true {\n  function f()::{ y; }{ y += 1; };\n  f();\n};\ncout y endl;\ny += 1;\ncout y endl;\n');
    expect([shared.error, shared.stdout, kinds(shared)]).toEqual([null, '6\n7\n', ['scalar:int8', 'scope']]);
    const inert = run('int y = 5;\nif true {\n  function f()::{ cout; endl; y; }{ cout y endl; };\n  f();\n};\ncout y endl;\n');
    expect([inert.error, inert.stdout, kinds(inert)]).toEqual([null, '5\n5\n', ['scalar:int8', 'scope']]);
  });

  it("one declared under another callable's membrane does not end that membrane", () => {
    const r = run('function g()<membrane<quota<100,50,0>>>::{ cout; endl; }{ mutable int a = 1; function h()::{}{}; h(); cout a endl; };\ng();\ng();\n');
    expect([r.error, r.stdout]).toEqual([null, '1\n1\n']);
    expect(r.membranes.map((m) => [m.name, m.directUsed, m.belowUsed])).toEqual([['g', 0, 0]]);
    expect(invariants(r)).toEqual([]);
  });

  it('declared again on every pass of a loop, each one dies before the next', () => {
    const r = run('mutable int i = 0;\nwhile i < 3 { function f()<membrane<quota<10,10,0>>>::{}{}; f(); i += 1; };\ncout "ok" endl;\n');
    expect([r.error, r.stdout, kinds(r)]).toEqual([null, 'ok\n', ['scalar:int8', 'scope']]);
    expect(invariants(r)).toEqual([]);
  });
});

describe('parameters are inert per-call locals', () => {
  it('assigning one is a freeze_error on every call', () => {
    const src = 'function f(x int)::{ cout; endl; }{ x = 2; }!!{ cout scope.exceptions[-1].name endl; };\nf(1);\nf(2);\n';
    expect(out(src, NO_CHECK)).toBe('freeze_error\nfreeze_error\n');
  });

  it('a callable declared inside reads one without moving it', () => {
    expect(out('function f(x int)::{ cout; endl; }{ function h()::{ x; }{}; cout x endl; };\nf(1);\nf(2);\n')).toBe('1\n2\n');
  });

  it('a refused parameter releases those paid before it: the membrane is back where it was', () => {
    for (const frames of ['lazy', 'eager'] as const) {
      const r = run(`function f(d dag, x int, y uint8)<membrane<quota<100,100,0>>>::{ cout; endl; }{ cout x y endl; };
function g()::{ cout; endl; }{ mutable dag e; f(e, 1, 2); f(e, 3, 300); }!!{ cout scope.exceptions[-1].name endl; };
g();
`, { frames });
      expect([r.error, r.stdout]).toEqual([null, '12\nrange_error\n']);
      expect(r.membranes.map((m) => [m.name, m.directUsed, m.byKind])).toEqual([['f', 0, []]]);
      expect(invariants(r)).toEqual([]);
    }
    // The first parameter paid for, the second refused.
    const two = run('function f(x int, y uint8)<membrane<quota<100,100,0>>>::{}{};\nfunction g()::{ cout; endl; }{ f(1, 2); f(3, 300); }!!{ cout scope.exceptions[-1].name endl; };\ng();\n');
    expect([two.error, two.stdout, two.membranes[0]?.directUsed]).toEqual([null, 'range_error\n', 0]);
  });

  it('a callable declared inside reads one lexically, without a capture', () => {
    expect(out('function f(x int)::{ cout; endl; }{ function h()::{ cout; endl; }{ cout x endl; }; h(); };\nf(1);\nf(2);\n')).toBe('1\n2\n');
  });
});

describe('a callable names itself without owning itself', () => {
  it('a callable declared inside calls it lexically', () => {
    expect(out('function f(n int)::{ cout; endl; }{ cout n endl; if n > 0 { function h(k int)::{}{ f(k); }; h(n - 1); }; };\nf(2);\n')).toBe('2\n1\n0\n');
  });

  it('a callable declared inside may capture it, and it still calls itself after', () => {
    const src = 'function f(n int)::{ cout; endl; }{\n  cout n endl;\n  if n > 0 {\n    function h()::{ f; }{ };\n    f(n - 1);\n  };\n};\nf(2);\n';
    expect(out(src)).toBe('2\n1\n0\n');
  });
});

describe('moved captures that are no entity of their own', () => {
  it('a moved mutable callable is called inside its new owner, call after call', () => {
    expect(out('mutable function f()::{ cout; endl; }{ cout "f" endl; };\nfunction g()::{ cout; endl; f; }{ f(); cout "in g" endl; };\ng();\ng();\n')).toBe('f\nin g\nf\nin g\n');
  });

  it('a part of a pruned DAG is not grafted: the pruned DAG stays whole and can be grafted back', () => {
    const r = run(`mutable dag d;
mutable int d.x.y.v = 5;
mutable dag p = prune d.x;
mutable dag q = p.y;
function f()<membrane<quota<100,100,0>>>::{ cout; endl; q; }{ cout q.v endl; };
f();
ent d p as back;
cout d.back.y.v endl;
`);
    expect([r.error, r.stdout]).toEqual([null, '5\n5\n']);
    expect(r.membranes.map((m) => [m.name, m.directUsed])).toEqual([['f', 0]]);
    expect(invariants(r)).toEqual([]);
  });
});

describe('what a capture keeps of the captured name', () => {
  it('captures and constants are in scope.imported', () => {
    expect(out('int x = 3;\nfunction f()::{ cout; endl; x; }{ cout scope.imported.x endl; };\nf();\n')).toBe('3\n');
    const m = 'function f()::{ cout; endl; k; }{ cout scope.imported.k endl; };\n';
    expect(out('int k = 4;\nmerge m.f as g()::{ cout; endl; }{ k; };\ng();\n', { mods: { m } })).toBe('4\n');
  });

  it('its type: a captured float32 prints at float32 width', () => {
    expect(out('mutable float32 x = 0.1;\nfunction f()::{ cout; endl; x; }{ cout x endl; };\nf();\n')).toBe('0.1\n');
  });

  it('authority: a captured cout is still not readable lexically from a callable declared inside', () => {
    const e = err('function f()::{ cout; endl; }{ function h()::{}{ cout "x" endl; }; h(); };\nf();\n', NO_CHECK);
    expect([e.name, e.code, e.message]).toEqual(['capability_error', 'MRG3007', "'cout' is authority of an enclosing scope; list it in this callable's capture block"]);
  });

  it('shared: captured again from inside, a shared name stays where it is and lives on', () => {
    const r = run('shared mutable int y = 5;\nfunction f()::{ cout; endl; y; }{ function h()::{ y; }{ y += 1; }; h(); };\nf();\nf();\ncout y endl;\ny += 1;\ncout y endl;\n');
    expect([r.error, r.stdout, [...r.ramPoints.byKind.keys()].sort()]).toEqual([null, '7\n8\n', ['scalar:int8', 'scope']]);
    expect(invariants(r)).toEqual([]);
  });
});

describe('merge constants and main captures', () => {
  it("a merge's constant block shares the name read-only: it is not moved", () => {
    const m = 'function f()::{ cout; endl; k; }{ cout scope.imported.k endl; };\n';
    expect(out('mutable int k = 4;\nmerge m.f as g()::{ cout; endl; }{ k; };\ng();\nk += 1;\ncout k endl;\n', { mods: { m } })).toBe('4\n5\n');
  });

  it("main's capture block moves mutable state in, and main may change it", () => {
    const app = 'app demo lang ambient {\n  use ambient { io.cout as cout; io.endl as endl; };\n  mutable int x = 1;\n  mutable main ()::{ cout; endl; x; }{ x += 1; cout x endl; };\n};\n';
    expect(out(app)).toBe('2\n');
    // Moved, x is grafted into main's scope at construction: under main's membrane (quota.md §8).
    const r = run(app.replace('mutable main ()', 'mutable main ()<membrane<quota<10,10,0>>>'));
    expect([r.error, r.stdout]).toEqual([null, '2\n']);
    expect(r.membranes.map((m) => [m.name, m.byKind.map((k) => [k.kind, k.count])])).toEqual([['main', [['scalar:int8', 1]]]]);
  });

});

describe('a callable handed out by return', () => {
  it('lives on for the statement that called for it, then dies with its membrane', () => {
    const mk = 'function mk()::{ cout; endl; }{ function inner()<membrane<quota<10,10,0>>>::{ cout; endl; }{ mutable int z = 1; cout "in" endl; return 5; }; return inner; };\n';
    const r = run(`${mk}cout mk()() endl;\nint r = mk()();\ncout r "end" endl;\n`);
    expect([r.error, r.stdout]).toEqual([null, 'in\n5\nin\n5end\n']);
    expect([r.membranes, [...r.ramPoints.byKind.keys()].sort()]).toEqual([[], ['scalar:int8', 'scope']]);
    expect(invariants(r)).toEqual([]);
  });
});

describe('an argument takes its parameter type on a later call too (the int fast path only for ints)', () => {
  it('a string for an int parameter is refused when the call runs', () => {
    const e = err('function g(y int)::{ cout; endl; }{ cout y endl; };\ng(1);\ng("s");\n');
    expect(where(e)).toEqual(['type_error', 'MRG3002', "parameter 'y' of g is declared int but gets a string", 3, 1]);
  });

  it('an int for a float64 parameter becomes a float: 2 / 4 is 0.5 there, not 0', () => {
    expect(out('function f(x float64)::{ cout; endl; }{ cout x / 4 endl; };\nf(2);\nf(2);\n')).toBe('0.5\n0.5\n');
  });
});

describe('recursion depth names per-call locals', () => {
  // The nodes below a callable's scope node, in the order they were made.
  const below = (source: string, scope: string): string[] => {
    const r = run(source);
    expect(r.error).toBeNull();
    const main = r.memory?.dag.children.get('#main');
    const node = main?.kind === 'dag' ? main.children.get(scope) : undefined;
    return node?.kind === 'dag' ? node.children.keys() : [];
  };

  it('a local made N calls deep is named name#dN; a later call starts again at depth 0', () => {
    // f(2) makes d at depths 2, 1 and 0 and hands the deepest one back; f(0) then makes a plain d.
    const src = 'function f(n int)::{}{ mutable dag d; mutable int d.x = n; if n > 0 { return f(n - 1); }; return d; };\nmutable dag r = f(2);\ninert dag q = f(0);\n';
    expect(below(src, 'f()')).toEqual(['d#d2', 'd']);
  });

  it('a call that failed deep down leaves the depth as it was', () => {
    // g(2) fails at depth 2 and h's handler takes it; g(-1) then makes a plain d at depth 0.
    const src = 'function g(n int)::{}{ mutable dag d; mutable int d.x = n; if n < 0 { return d; }; if n > 0 { return g(n - 1); }; lang.assert false; return d; };\nfunction h()::{}{ g(2); }!!{ };\nh();\ninert dag q = g(-1);\n';
    expect(below(src, 'g()')).toEqual(['d']);
  });
});
