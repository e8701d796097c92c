// Membranes whose name went out of scope (retireMembrane): they close at once when empty, stay open
// for what they paid that lives on in a longer-lived DAG (refusing new allocations), and close when
// the last of it is released or the last membrane stacked on them closes.
import { describe, expect, it } from 'vitest';

import { checkInvariants, snapshot } from '../../src/model/index.js';
import { codeOf, refusedUnchanged } from '../support/errors.js';
import { unitWorld } from './fixtures.js';

function base() {
  const mem = unitWorld();
  mem.declareDag(mem.root, ['root'], { inert: false });
  const outer = mem.quota(mem.at(mem.root, ['root']), 'outer', 100, 20, 0);
  return { mem, outer };
}

describe('retiring a membrane', () => {
  it('closes an empty one at once: its share returns to the pool and it leaves the open set', () => {
    const { mem, outer } = base();
    for (let i = 0; i < 10; i++) {
      // Twice the pool would not fit if the earlier ones still counted.
      const m = mem.quota(outer, 'm', 50, 10, 0);
      expect(outer.quota?.childTotals).toBe(50_000);
      mem.retireMembrane(m.membrane!);
      expect(m.membrane?.closed).toBe(true);
      expect(outer.quota?.childTotals).toBe(0);
      expect(outer.quota?.children).toEqual([]);
      expect(checkInvariants(mem)).toEqual([]);
    }
    expect(mem.allMembranes().map((m) => m.name)).toEqual(['outer']);
    // Its own entity (paid to outer) is released too.
    expect(outer.quota?.directUsed).toBe(0);
  });

  it('keeps one open while a node it paid lives on in a longer-lived DAG, and refuses new allocations', () => {
    const { mem, outer } = base();
    const m = mem.quota(outer, 'm', 50, 10, 0);
    mem.declareScalar(m, ['x'], 'int32', 1n, { inert: false });
    mem.retireMembrane(m.membrane!);
    expect(m.membrane?.closed).toBe(false);
    expect(outer.quota?.childTotals).toBe(50_000);
    expect(mem.value(m, ['x'])).toBe(1n);
    for (const op of [
      () => mem.declareScalar(m, ['y'], 'bool', true),
      () => mem.assign(m, ['x'], 2n),
      () => mem.quota(m, 'n', 1, 1, 0),
      () => mem.copyOnMutate(m, 'c'),
      () => mem.ent(m, [], mem.prune(mem.root, ['root', 'x']), 'z'),
    ]) {
      expect(codeOf(() => mem.atomically(op))).toBe('MRG3015');
    }
    expect(checkInvariants(mem)).toEqual([]);
    mem.release(mem.prune(outer, ['x']));
    expect(m.membrane?.closed).toBe(true);
    expect(outer.quota?.childTotals).toBe(0);
    expect(mem.allMembranes().map((x) => x.name)).toEqual(['outer']);
    expect(checkInvariants(mem)).toEqual([]);
  });

  it('waits for the membranes stacked on it, then closes with the last of them', () => {
    const { mem, outer } = base();
    const m = mem.quota(outer, 'm', 50, 10, 0);
    const c = mem.copyOnMutate(m, 'c');
    const n = mem.quota(c, 'n', 20, 20, 0);
    mem.retireMembrane(m.membrane!);
    expect(m.membrane?.closed).toBe(false);
    mem.retireMembrane(n.membrane!);
    expect(n.membrane?.closed).toBe(true);
    expect(m.membrane?.closed).toBe(false); // c is still open on it
    mem.retireMembrane(c.membrane!);
    expect([c.membrane?.closed, m.membrane?.closed]).toEqual([true, true]);
    expect(outer.quota?.childTotals).toBe(0);
    expect(outer.quota?.directUsed).toBe(0);
    expect(checkInvariants(mem)).toEqual([]);
  });

  it('a dataframe through a retired membrane stops growing (MRG3015), also through a handle made before', () => {
    const { mem, outer } = base();
    const m = mem.quota(outer, 'm', 50, 10, 0);
    mem.declareDataframe(outer, ['df'], [{ name: 'a', type: 'int32' }], { inert: false });
    const h = mem.dataframe(m, ['df']);
    h.append([1n]);
    mem.retireMembrane(m.membrane!);
    refusedUnchanged(mem, 'MRG3015', () => h.append([2n]));
    mem.dataframe(outer, ['df']).append([3n]);
    expect(mem.dataframe(outer, ['df']).rows).toBe(2);
    expect(checkInvariants(mem)).toEqual([]);
  });

  it('an undone retire leaves everything as before', () => {
    const { mem, outer } = base();
    const m = mem.quota(outer, 'm', 50, 10, 0);
    const n = mem.quota(outer, 'n', 10, 10, 0);
    const before = snapshot(mem);
    expect(
      codeOf(() =>
        mem.atomically(() => {
          mem.retireMembrane(m.membrane!);
          mem.retireMembrane(n.membrane!);
          mem.quota(outer, 'o', 1, 2, 0); // D > T: refused, the group is undone
        }),
      ),
    ).toBe('MRG3006');
    expect(snapshot(mem)).toEqual(before);
    expect(mem.allMembranes().map((x) => x.name)).toEqual(['outer', 'm', 'n']);
    expect(checkInvariants(mem)).toEqual([]);
  });
});
