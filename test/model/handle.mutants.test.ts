// Dataframe handles (src/model/handle.ts): a handle looks its path up once and again only after the
// world's structure changed, always reaches the dataframe that is at its path now, and refuses rows for
// a dataframe that sits inside a frozen dag even when the dataframe's own flag says unfrozen.
import { describe, expect, it, vi } from 'vitest';

import { Dataframe } from '../../src/model/dataframe.js';
import type { DataframeNode } from '../../src/model/dag.js';
import { scalarType } from '../../src/model/types.js';
import { unitWorld } from '../../src/testing/unit-world.js';
import { refusedUnchanged, thrown } from '../support/errors.js';

describe('DataframeHandle', () => {
  it('looks its path up once, and again only after the structure of the world changed', () => {
    const mem = unitWorld();
    mem.declareDataframe(mem.root, ['df'], [{ name: 'n', type: 'int32' }], { inert: false });
    const lookups = vi.spyOn(mem, 'resolveDataframe');
    const h = mem.dataframe(mem.root, ['df']);
    expect(lookups).toHaveBeenCalledTimes(0);
    h.append([1n]);
    h.append([2n]);
    expect([h.rows, h.frozen, h.row(1), h.columns.map((c) => c.name)]).toEqual([2, false, [2n], ['n']]);
    expect(lookups).toHaveBeenCalledTimes(1); // appends change no structure
    mem.declareScalar(mem.root, ['x'], 'bool', true);
    expect(h.rows).toBe(2);
    expect(lookups).toHaveBeenCalledTimes(2);
    h.append([3n]);
    expect(lookups).toHaveBeenCalledTimes(2);
  });

  it('reaches the dataframe that is at its path now, not the one it found first', () => {
    const mem = unitWorld();
    mem.declareDataframe(mem.root, ['df'], [{ name: 'n', type: 'int32' }], { inert: false });
    const h = mem.dataframe(mem.root, ['df']);
    h.append([7n]);
    const old = mem.prune(mem.root, ['df']);
    mem.release(old);
    mem.declareDataframe(mem.root, ['df'], [{ name: 's', type: 'string' }], { inert: false });
    h.append(['new']);
    expect([h.rows, h.row(0), h.columns.map((c) => c.name)]).toEqual([1, ['new'], ['s']]);
    expect((old.node as DataframeNode).df.rows).toBe(1);
    const snap = h.snapshot();
    h.append(['later']);
    expect([snap.rows, snap.row(0), h.rows]).toEqual([1, ['new'], 2]);
  });

  it('refuses rows for a dataframe inside a frozen dag though the dataframe itself is not frozen', () => {
    const mem = unitWorld();
    mem.declareDag(mem.root, ['lib'], { inert: true });
    const df = new Dataframe([{ name: 'n', type: scalarType('int32') }]);
    const node: DataframeNode = { kind: 'dataframe', df, acct: null, frozen: false };
    mem.installBuiltin(mem.root, ['lib', 'df'], node);
    const h = mem.dataframe(mem.root, ['lib', 'df']);
    refusedUnchanged(mem, 'MRG3005', () => h.append([1n]));
    expect(thrown(() => h.append([1n])).message).toBe('dataframe lib.df is inside a frozen dag: rows cannot be added');
    expect(df.rows).toBe(0);
    // a dataframe frozen itself says so instead
    mem.declareDataframe(mem.root, ['own'], [{ name: 'n', type: 'int32' }], { inert: true });
    expect(thrown(() => mem.appendRow(mem.root, ['own'], [1n])).message).toBe('dataframe own is frozen: rows cannot be added');
  });
});
