// QA: a mutable DAG or dataframe captured (moved) into a callable is usable there — its value follows
// its node into the callable's scope — and grafting a DAG into its own subtree is refused cleanly.
import { describe, expect, it } from 'vitest';

import { err, invariants, out, run } from './helpers.js';

describe('moved captures of DAGs and dataframes', () => {
  it('a captured mutable dag is read and written inside the callable, across calls', () => {
    const src = `mutable dag d;
mutable int d.x.v = 5;
function t()::{ d; cout; endl; }{ cout d.x.v endl; d.x.v += 1; };
t();
t();
`;
    expect(out(src)).toBe('5\n6\n');
    expect(out('mutable dag d;\nfunction t()::{ d; cout; endl; }{ mutable int d.w = 7; cout d.w endl; };\nt();\n')).toBe('7\n');
  });

  it('a captured mutable dataframe keeps growing and is still in the report under its name', () => {
    const src = `mutable dataframe df int32 a;
df(1);
function t()::{ df; cout; endl; }{ df(2); cout lang.dataframe.rows(df) endl; };
t();
t();
`;
    const r = run(src);
    expect(r.error).toBeNull();
    expect(r.stdout).toBe('2\n3\n');
    expect(r.dataframes).toEqual([{ name: 'df', rows: 3, frozen: false }]);
    expect(invariants(r)).toEqual([]);
  });

  it('the moved name is gone outside', () => {
    expect(err('mutable dag d;\nfunction t()::{ d; }{ };\nt();\nmutable dag e = d;\n').name).toBe('ownership_error');
  });
});

describe('ent of a DAG into its own subtree', () => {
  it('is a type_error that says why, and leaves the DAG where it was', () => {
    const src = `mutable dag d;
mutable int d.x.v = 5;
function tryit()::{ d; cout; endl; }{
  ent d.x d as y;
}!!{
  cout scope.exceptions[-1].name ": " scope.exceptions[-1].message endl;
  cout "d.x.v is still " d.x.v endl;
};
tryit();
`;
    const r = run(src);
    expect(r.error).toBeNull();
    expect(r.stdout).toBe("type_error: 'd' cannot be grafted into itself or into a place inside it\nd.x.v is still 5\n");
    expect(invariants(r)).toEqual([]);
    expect(err('mutable dag d;\nmutable dag d.x;\nent d.x d as y;\n').message).toContain('into itself or into a place inside it');
  });
});

describe('merge cycles', () => {
  it('a module callable that merges itself, directly or through another module, is a located type_error', () => {
    const self = 'function f(x int)::{}{ merge self.f as h(x int)::{}{}; return h(x); };\n';
    const e = err('merge self.f as g(x int)::{}{};\ncout g(1) endl;\n', { mods: { self } });
    expect([e.code, e.file, e.line, e.column]).toEqual(['MRG3002', 'self.mrm', 1, 24]);
    expect(e.message).toBe('self.f is merged again inside its own body (a merge cycle)');
    const a = 'function f(x int)::{}{ merge b.g as h(x int)::{}{}; return h(x); };\n';
    const b = 'function g(x int)::{}{ merge a.f as h(x int)::{}{}; return h(x); };\n';
    expect(err('merge a.f as g(x int)::{}{};\ncout g(1) endl;\n', { mods: { a, b } }).message).toContain('a merge cycle');
  });

  it('the same module merged twice side by side is no cycle', () => {
    const m = 'function f(x int)::{}{ return x + 1; };\n';
    expect(out('merge m.f as g(x int)::{}{};\nmerge m.f as h(x int)::{}{};\ncout g(1) h(2) endl;\n', { mods: { m } })).toBe('23\n');
  });
});
