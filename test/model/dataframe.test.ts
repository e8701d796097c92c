import { describe, expect, it } from 'vitest';

import { MergeError } from '../../src/diagnostics.js';
import { checkInvariants, snapshot, type Memory } from '../../src/model/index.js';
import { unitWorld } from './fixtures.js';
import { codeOf, refusedUnchanged } from '../support/errors.js';

function refused(mem: Memory, c: string, fn: () => unknown): void {
  refusedUnchanged(mem, c, fn);
  expect(checkInvariants(mem)).toEqual([]);
}

const COLUMNS = [
  { name: 'id', type: 'string' },
  { name: 'startval', type: 'int32' },
  { name: 'endval', type: 'int32' },
];

// unit profile: row 50, int32 250, string 100 + length (mp).
const rowPrice = (id: string) => 50 + 250 + 250 + 100 + id.length;

describe('dataframes', () => {
  it('grows like the seed: inDf("foo" 17 99) … then freeze', () => {
    const mem = unitWorld();
    mem.declareDataframe(mem.root, ['inDf'], COLUMNS, { inert: false });
    const df = mem.dataframe(mem.root, ['inDf']);
    df.append(['foo', 17n, 99n]);
    df.append(['bar', 42n, 1999n]);
    mem.appendRow(mem.root, ['inDf'], ['baz', 377n, 1483n]);
    expect(df.rows).toBe(3);
    expect(df.row(1)).toEqual(['bar', 42n, 1999n]);
    mem.freeze(mem.root, ['inDf']);
    expect(df.frozen).toBe(true);
    refused(mem, 'MRG3005', () => df.append(['qux', 1n, 2n]));
    const t = mem.report().totals;
    expect(t.byKind.find((k) => k.kind === 'row')).toEqual({ kind: 'row', count: 3, mp: 150 });
    expect(t.byKind.find((k) => k.kind === 'string')).toEqual({ kind: 'string', count: 3, mp: 309 });
    expect(t.stringBytes).toBe(9);
  });

  it('charges one atomic amount per row: the row, each scalar, strings by length', () => {
    const mem = unitWorld();
    mem.declareDag(mem.root, ['d']);
    const q = mem.quota(mem.at(mem.root, ['d']), 'q', 100, 100, 0);
    mem.declareDataframe(q, ['df'], COLUMNS);
    const base = q.quota?.directUsed as number;
    mem.appendRow(q, ['df'], ['hello', 1n, 2n]);
    expect((q.quota?.directUsed as number) - base).toBe(rowPrice('hello'));
    mem.appendRow(q, ['df'], ['', 1n, 2n]);
    expect((q.quota?.directUsed as number) - base).toBe(rowPrice('hello') + rowPrice(''));
  });

  it('leaves rows, the frozen flag and every counter exactly as before when an append is refused', () => {
    const mem = unitWorld();
    mem.declareDag(mem.root, ['d']);
    // 2000 (dataframe) + 3 rows of 653 = 3959 ≤ 4000; a 4th row does not fit.
    const q = mem.quota(mem.at(mem.root, ['d']), 'q', 4, 4, 0);
    mem.declareDataframe(q, ['df'], COLUMNS);
    const df = mem.dataframe(q, ['df']);
    for (const id of ['foo', 'bar', 'baz']) df.append([id, 1n, 2n]);
    refused(mem, 'MRG3006', () => df.append(['qux', 1n, 2n]));
    expect(df.rows).toBe(3);
    expect(df.frozen).toBe(false);
    expect(q.quota?.directUsed).toBe(3959);
    // the model is usable afterwards: what fits is accepted
    mem.declareScalar(q, ['flag'], 'bool', true);
    expect(q.quota?.directUsed).toBe(3960);
  });

  it('refuses wrong arity and wrong types before charging', () => {
    const mem = unitWorld();
    mem.declareDataframe(mem.root, ['df'], COLUMNS);
    refused(mem, 'MRG3002', () => mem.appendRow(mem.root, ['df'], ['a', 1n]));
    refused(mem, 'MRG3002', () => mem.appendRow(mem.root, ['df'], [1n, 1n, 1n]));
    refused(mem, 'MRG3003', () => mem.appendRow(mem.root, ['df'], ['a', 1n << 40n, 1n]));
    refused(mem, 'MRG3001', () => mem.appendRow(mem.root, ['nope'], ['a', 1n, 1n]));
    mem.declareScalar(mem.root, ['n'], 'int32', 1n);
    refused(mem, 'MRG3002', () => mem.appendRow(mem.root, ['n'], ['a', 1n, 1n]));
  });

  it('stores every column type and reads the values back', () => {
    const mem = unitWorld();
    const cols = ['bool', 'int8', 'uint32', 'int48', 'int128', 'int', 'float16', 'float64', 'float256', 'string'].map((t, i) => ({ name: `c${i}`, type: t }));
    mem.declareDataframe(mem.root, ['df'], cols);
    const row = [true, -128n, 4294967295n, -(1n << 47n), 1n << 100n, -(1n << 300n), 0.1, 0.1, 2.5, 'héllo'];
    mem.appendRow(mem.root, ['df'], row);
    const out = mem.dataframe(mem.root, ['df']).row(0);
    expect(out).toEqual([true, -128n, 4294967295n, -(1n << 47n), 1n << 100n, -(1n << 300n), 0.0999755859375, 0.1, 2.5, 'héllo']);
  });

  it('appends a million rows with one payment segment', () => {
    const mem = unitWorld();
    mem.declareDag(mem.root, ['d']);
    const q = mem.quota(mem.at(mem.root, ['d']), 'q', 1_000_000, 1_000_000, 0);
    mem.declareDataframe(q, ['df'], [{ name: 'n', type: 'int32' }]);
    const df = mem.dataframe(q, ['df']);
    const row = [0n];
    for (let i = 0; i < 1_000_000; i++) df.append(row);
    const node = mem.lookup(q, ['df']).node;
    expect(node.kind === 'dataframe' && node.df.segments).toEqual([{ by: q.quota?.id, q: 1, c: 0, start: 0, end: 1_000_000, mp: 300 * 1_000_000 }]);
    expect(checkInvariants(mem)).toEqual([]);
  });

  it('re-pays a dataframe\'s rows on a cross-pool graft and refunds them on release', () => {
    const mem = unitWorld();
    mem.declareDag(mem.root, ['a']);
    mem.declareDag(mem.root, ['b']);
    const qa = mem.quota(mem.at(mem.root, ['a']), 'qa', 100, 100, 0);
    const qb = mem.quota(mem.at(mem.root, ['b']), 'qb', 100, 100, 0);
    mem.declareDataframe(qa, ['df'], COLUMNS, { inert: false });
    mem.appendRow(qa, ['df'], ['x', 1n, 2n]);
    mem.appendRow(mem.root, ['a', 'df'], ['yy', 1n, 2n]); // unmetered row: counted, not charged
    const total = 2000 + rowPrice('x') + rowPrice('yy');
    expect(qa.quota?.directUsed).toBe(2000 + rowPrice('x'));
    const x = mem.prune(qa, ['df']);
    mem.ent(qb, [], x, 'df');
    expect(qa.quota?.directUsed).toBe(0);
    expect(qb.quota?.directUsed).toBe(total);
    const others = 2000 + 1000; // dag nodes a and b, the two membrane entities
    expect(mem.report().totals.mp).toBe(others + total);
    expect(checkInvariants(mem)).toEqual([]);
    mem.release(mem.prune(qb, ['df']));
    expect(qb.quota?.directUsed).toBe(0);
    expect(mem.report().totals.mp).toBe(others);
    expect(checkInvariants(mem)).toEqual([]);
  });

  it('undoes appends made inside a failed atomically()', () => {
    const mem = unitWorld();
    mem.declareDataframe(mem.root, ['df'], COLUMNS);
    mem.appendRow(mem.root, ['df'], ['keep', 1n, 2n]);
    const before = snapshot(mem);
    expect(() =>
      mem.atomically(() => {
        mem.appendRow(mem.root, ['df'], ['a', 1n, 2n]);
        mem.appendRow(mem.root, ['df'], ['b', 1n, 2n]);
        mem.appendRow(mem.root, ['df'], ['c', 1n, 'no' as never]);
      }),
    ).toThrow(MergeError);
    expect(snapshot(mem)).toEqual(before);
    expect(checkInvariants(mem)).toEqual([]);
  });
});

describe('listing dataframes', () => {
  it('lists every dataframe of the world with its path, rows and frozen flag', () => {
    const mem = unitWorld();
    mem.declareDataframe(mem.root, ['a', 'df1'], [{ name: 'n', type: 'int32' }]);
    mem.declareDataframe(mem.root, ['b'], [{ name: 's', type: 'string' }]);
    mem.appendRow(mem.root, ['a', 'df1'], [1n]);
    mem.freeze(mem.root, ['b']);
    expect(mem.listDataframes()).toEqual([
      { path: ['a', 'df1'], rows: 1, frozen: false },
      { path: ['b'], rows: 0, frozen: true },
    ]);
  });
});
