// When things die (lifetime.ts, language.md §5), pinned by what a user sees: a returned dataframe,
// callable or row keeps what it refers to alive past the callee's return; a membrane made by an
// expression and handed out by `return` (directly, through a second function, or as a named local)
// reaches the caller and closes when the caller's binding ends; a payment a declaration does not
// adopt dies at the end of the statement; a single adopted payment can still be grafted with `ent`;
// a callable's moved capture dies with the callable; an error or a handler inside a call releases
// what the failed statement left waiting; and a top-level `return` of several values settles too.
// Closed membranes are seen in the run's membrane list and the §6 pool of `outer` (T − D + O = 80
// points: one <50,10,0> membrane at a time), open ones as a refusal (quota.md §6).
import { describe, expect, it } from 'vitest';

import { invariants, out, run } from './helpers.js';

const OUTER = 'mutable dag root;\nmutable dag outer = membrane<quota<100,20,0>> root;\n';

/** The names of the membranes the run report lists at the end (open ones, and ones still paying). */
function membranes(src: string): string[] {
  const r = run(src);
  expect(invariants(r)).toEqual([]);
  return r.membranes.map((m) => m.name);
}

describe('a value handed out by return keeps what it refers to', () => {
  it('a dataframe local to the callee is still there for the statement that called it', () => {
    const src = `function f()::{}{ mutable dataframe df int32 a; df(4); df(5); return df; };
cout lang.dataframe.rows(f()) endl;
cout f() endl;
`;
    expect(out(src)).toBe('2\n<dataframe>\n');
  });

  it('a dataframe made through a membrane keeps the membrane open for the caller', () => {
    // m.df lives in root (m sees root through outer), so m stays open while root holds it.
    const src = `${OUTER}function f()::{outer;}{ mutable dag m = membrane<quota<50,10,0>> outer; mutable dataframe m.df int32 a; m.df(4); return m.df; };
cout lang.dataframe.rows(f()) endl;
`;
    expect(out(src)).toBe('1\n');
    expect(membranes(src)).toEqual(['outer', 'm']);
  });

  it("a callable keeps its captured local DAG, and a membrane it captured, for the caller's call of it", () => {
    expect(out(`function f()::{}{ mutable dag b; mutable int b.x = 5; function g()::{b;}{ return b.x; }; return g; };\ncout f()() endl;\n`)).toBe('5\n');
    const src = `${OUTER}function f()::{outer;}{ mutable dag m = membrane<quota<50,10,0>> outer; function g()::{m;}{ mutable int m.z = 4; return m.z; }; return g; };
cout f()() endl;
`;
    expect(out(src)).toBe('4\n');
  });

  it('a row keeps the DAGs among its values (after a value that refers to nothing)', () => {
    expect(out(`function f()::{}{ mutable dag b; mutable int b.x = 5; return 1 b; };\nmutable dag d = f()[1];\ncout d.x endl;\n`)).toBe('5\n');
    const src = `function f()::{}{ mutable dag b; mutable dag m = membrane<quota<50,10,0>> b; return 1 m; };
mutable dag d = f()[1];
mutable int d.y = 3;
cout d.y endl;
`;
    expect(out(src)).toBe('3\n');
  });
});

describe('a membrane made by an expression and returned', () => {
  const G = 'function g()::{}{ mutable dag b; return membrane<quota<50,10,0>> b; };\n';

  it('reaches the caller through a second function, and closes when the binding ends', () => {
    const src = `${G}function f()::{}{ return g(); };
if true { mutable dag v = f(); mutable int v.y = 3; cout v.y endl; };
`;
    expect(out(src)).toBe('3\n');
    expect(membranes(src)).toEqual([]);
  });

  it('goes on with the local name that took it when that name is returned', () => {
    const src = `${G}function h()::{}{ mutable dag v = g(); mutable int v.y = 4; return v; };
if true { mutable dag w = h(); mutable int w.z = 5; cout w.y " " w.z endl; };
`;
    expect(out(src)).toBe('4 5\n');
    expect(membranes(src)).toEqual([]);
  });

  it("gives its share of the parent's pool back when the caller's binding ends", () => {
    const src = `${OUTER}function f()::{outer;}{ return membrane<quota<50,10,0>> outer; };
if true { mutable dag v = f(); };
if true { mutable dag v = f(); };
cout "ok" endl;
`;
    expect(out(src)).toBe('ok\n');
    expect(membranes(src)).toEqual(['outer']);
  });
});

describe('payments no binding adopts', () => {
  it('a membrane passed to a call whose result is another DAG dies with the statement', () => {
    const src = `${OUTER}function pick(x dag, y dag)::{}{ return y; };
mutable dag b;
mutable dag d = pick(membrane<quota<50,10,0>> outer, b);
mutable dag e = pick(membrane<quota<50,10,0>> outer, b);
cout "ok" endl;
`;
    expect(out(src)).toBe('ok\n');
    expect(membranes(src)).toEqual(['outer']);
  });

  it('a membrane made by a top-level return of several values dies with that statement', () => {
    const src = `mutable dag root;
function k(d dag)::{}{ return 7; };
return 1 k(membrane<quota<50,10,0>> root);
`;
    const r = run(src);
    expect(r.error).toBeNull();
    expect(r.membranes).toEqual([]);
    expect([...r.ramPoints.byKind.keys()]).toEqual(['dag_node', 'scope']);
  });
});

describe('a DAG a call returned and a name adopted', () => {
  it('can be grafted with ent like any local DAG', () => {
    const src = `shared mutable dag keep;
function f()::{}{ mutable dag b; mutable int b.x = 9; return b; };
function h()::{keep;}{ mutable dag d = f(); ent keep d as got; };
h();
cout keep.got.x endl;
`;
    expect(out(src)).toBe('9\n');
  });
});

describe("a callable's moved capture", () => {
  it('dies with the callable: the membrane it captured gives its share back when the block ends', () => {
    const src = `${OUTER}if true {
  mutable dag m = membrane<quota<50,10,0>> outer;
  function g()::{m; cout; endl;}{ cout "g" endl; };
  g();
};
mutable dag n = membrane<quota<50,10,0>> outer;
cout "ok" endl;
`;
    expect(out(src)).toBe('g\nok\n');
    expect(membranes(src)).toEqual(['outer', 'n']);
  });
});

describe('an error inside a call', () => {
  const K = 'function k(d dag, n int)::{}{ };\n';

  it('releases the membrane the failed statement made (over a pool, and over a local DAG)', () => {
    for (const [body, column] of [
      ['function f()::{outer;}{ k(membrane<quota<50,10,0>> outer, 1 / 0); };', 59],
      ['function f()::{}{ mutable dag b; k(membrane<quota<50,10,0>> b, 1 / 0); };', 64],
    ] as const) {
      const r = run(`${OUTER}${K}${body}\nf();\n`);
      expect(r.error?.code).toBe('MRG3003');
      expect([r.error?.name, r.error?.message]).toEqual(['range_error', 'integer division by zero']);
      expect([r.error?.line, r.error?.column]).toEqual([4, column]);
      expect(r.membranes.map((m) => m.name)).toEqual(['outer']);
      expect(invariants(r)).toEqual([]);
    }
  });

  it('that a handler took: the membrane is gone by the time the call returns, so the next call may make it again', () => {
    const src = `${OUTER}${K}function f()::{outer; cout; endl;}{ k(membrane<quota<50,10,0>> outer, 1 / 0); }!!{ lang.assert true; };
f();
f();
cout "ok" endl;
`;
    expect(out(src)).toBe('ok\n');
    expect(membranes(src)).toEqual(['outer']);
  });
});
