// `merg-e run` end to end on the scope programs of the reliability issue: a membrane bound to a
// block-local or per-call name dies with its scope (it leaves its parent's §6 pool), so a loop or a
// second call may declare it again and a loop of them does not pile up; appends through a cached
// dataframe see a membrane on the way that ended.
import { describe, expect, it } from 'vitest';

import { ENDED_VIEW_APPEND } from '../runtime/helpers.js';
import { folder, mergE } from './helpers.js';

const OUTER = 'mutable dag root;\nmutable dag outer = membrane<quota<100,20,0>> root;\n';

/** `merg-e run --json FILE` in a folder holding only that program; its exit status and document. */
async function runJson(source: string, ...args: string[]) {
  const { code, io } = await mergE(['run', '--json', ...args, 'p.merge'], folder({ 'p.merge': source }));
  return { code, doc: JSON.parse(io.stdout) as { ok: boolean; stdout: string; error: { code: string; line: number; message: string } | null; membranes: { name: string; directUsed: number; belowUsed: number }[]; dataframes: { name: string; rows: number }[] } };
}

describe('merg-e run: membranes die with the scope of their name', () => {
  it('a block-local membrane: every iteration of the loop declares it again, and none is left', async () => {
    const { code, doc } = await runJson(`${OUTER}mutable int w = 0;
while w < 10 {
  w += 1;
  mutable dag m = membrane<quota<50,10,0>> outer;
  mutable dag local;
  mutable dag lm = membrane<quota<5,5,0>> local;
  mutable int lm.x = w;
};
cout w endl;
`);
    expect([code, doc.ok, doc.stdout, doc.error]).toEqual([0, true, '10\n', null]);
    expect(doc.membranes).toEqual([expect.objectContaining({ name: 'outer', directUsed: 0, belowUsed: 0 })]);
  });

  it('a per-call membrane: the second and third call declare it again', async () => {
    const { code, doc } = await runJson(`${OUTER}function f()::{ outer; cout; endl; }{
  mutable dag m = membrane<quota<50,10,0>> outer;
  cout "call" endl;
};
f();
f();
f();
`);
    expect([code, doc.stdout, doc.error]).toEqual([0, 'call\ncall\ncall\n', null]);
    expect(doc.membranes.map((m) => m.name)).toEqual(['outer']);
  });

  it('a loop of membranes without a parent quota holds none of them when it ends', async () => {
    const { code, doc } = await runJson('mutable int w = 0;\nwhile w < 30000 { w += 1; mutable dag b; mutable dag m = membrane<quota<1,0,0>> b; };\n');
    expect([code, doc.error]).toEqual([0, null]);
    expect(doc.membranes).toEqual([]);
  });

  it('the endless loop of the issue ends at --timeout with MRG3011, not with the heap exhausted', async () => {
    const dir = folder({ 'p.merge': 'while true { mutable dag b; mutable dag m = membrane<quota<1,0,0>> b; };\n' });
    const { code, io } = await mergE(['run', '--timeout', '1', 'p.merge'], dir);
    expect(code).toBe(1);
    expect(io.stderr).toMatch(/^p\.merge:1:\d+ MRG3011 error: the program ran longer than 1 s/);
  });

  it('a membrane that still pays for something in a longer-lived DAG keeps its share, and the error says so', async () => {
    const dir = folder({ 'p.merge': `${OUTER}mutable int w = 0;\nwhile w < 2 {\n  w += 1;\n  mutable dag m = membrane<quota<50,10,0>> outer;\n  mutable int m.x = w;\n};\n` });
    const { code, io } = await mergE(['run', 'p.merge'], dir);
    expect(code).toBe(1);
    expect(io.stderr).toMatch(/^p\.merge:6:19 MRG3006 error: quota_error: declaration of quota membrane 'm' <50,10,0> refused by quota membrane 'outer'/);
    expect(io.stderr).toContain("'m' ended with its name but still pays for something that lives on in a longer-lived DAG, so its share is still taken");
  });

  it('an append through a membrane that ended is MRG3015 at the append, with the rows before it kept', async () => {
    const dir = folder({ 'p.merge': ENDED_VIEW_APPEND });
    const { code, io } = await mergE(['run', 'p.merge'], dir);
    expect(code).toBe(1);
    expect(io.stderr).toMatch(/^p\.merge:4:26 MRG3015 error: name_error: the membrane 'view' ended with the scope of the name it was bound to/);
    const json = await mergE(['run', '--json', 'p.merge'], dir);
    expect(JSON.parse(json.io.stdout).dataframes).toEqual([expect.objectContaining({ name: 'store.log', rows: 4 })]);
  });
});

describe('merg-e run: appends through a cached dataframe', () => {
  it('300 rows through a quota membrane, then a freeze stops the next one', async () => {
    const { code, doc } = await runJson(`mutable dag store;
shared mutable dag box = membrane<quota<100000,100000,0>> store;
mutable dataframe box.log int32 a, int32 b;
mutable int i = 0;
while i < 300 { i += 1; box.log(i, i * 2); };
freeze box.log;
box.log(0, 0);
`);
    expect(code).toBe(1);
    expect([doc.error?.code, doc.error?.line]).toEqual(['MRG3005', 7]);
    expect(doc.dataframes).toEqual([expect.objectContaining({ name: 'box.log', rows: 300 })]);
  });
});
