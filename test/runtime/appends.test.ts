// An append statement (`box.log(…);`) keeps the dataframe it found and looks its path up again only
// when the object it names is another value or the world's structure changed: every change that
// matters in between (a freeze, a prune and a new declaration at the same path, a name bound to
// another DAG, a membrane on the way that ended) is seen at the next append.
import { describe, expect, it } from 'vitest';

import { ENDED_VIEW_APPEND, err, invariants, out, run } from './helpers.js';

const BOX = 'mutable dag store;\nshared mutable dag box = membrane<quota<100,100,0>> store;\nmutable dataframe box.log int32 a;\n';

describe('appends through a cached dataframe', () => {
  it('a freeze in the loop stops the next append', () => {
    const e = err(`${BOX}mutable int i = 0;\nwhile i < 10 {\n  i += 1;\n  box.log(i);\n  if i == 3 { freeze box.log; };\n};\n`);
    expect([e.code, e.line]).toEqual(['MRG3005', 7]);
    expect(e.result.dataframes).toEqual([{ name: 'box.log', rows: 3, frozen: true }]);
  });

  it('a new dataframe declared at the same path gets the next rows', () => {
    const src = `${BOX}mutable int i = 0;
while i < 6 {
  i += 1;
  box.log(i);
  if i == 3 {
    inert dag old = prune box.log;
    mutable dataframe box.log int32 a;
  };
};
cout lang.dataframe.rows(box.log) endl;
`;
    const r = run(src);
    expect(r.error).toBeNull();
    expect(r.stdout).toBe('3\n');
    expect(invariants(r)).toEqual([]);
  });

  it('the same statement appends to whichever DAG the name holds now', () => {
    const src = `mutable dag a;
mutable dataframe a.log int32 x;
mutable dag b;
mutable dataframe b.log int32 x;
mutable int i = 0;
while i < 5 {
  i += 1;
  mutable dag cur = a;
  if i % 2 == 0 { cur = b; };
  cur.log(i);
};
cout lang.dataframe.rows(a.log) " " lang.dataframe.rows(b.log) endl;
`;
    expect(out(src)).toBe('3 2\n');
  });

  it('something else at the path is the same error as without the cache', () => {
    const src = `mutable dag d;\nmutable dataframe d.log int32 x;\nmutable int i = 0;\nwhile i < 3 {\n  i += 1;\n  if i == 2 { inert dag gone = prune d.log; mutable int d.log = 5; };\n  d.log(i);\n};\n`;
    const e = err(src);
    expect([e.code, e.line, e.message]).toEqual(['MRG3002', 7, 'an integer is not callable']);
  });

  it('a membrane on the way that ended refuses the next append (MRG3015)', () => {
    const src = ENDED_VIEW_APPEND;
    const e = err(src);
    expect([e.code, e.name, e.line]).toEqual(['MRG3015', 'name_error', 4]);
    expect(e.message).toBe("the membrane 'view' ended with the scope of the name it was bound to: nothing can be allocated through it any more");
    expect(e.result.dataframes).toEqual([{ name: 'store.log', rows: 4, frozen: false }]);
    expect(invariants(e.result)).toEqual([]);
  });
});
