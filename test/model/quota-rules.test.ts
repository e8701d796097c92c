// Quota accounting rules (quota.md §4–§7), each pinned by a fixed case whose expected numbers are
// worked out by hand from the spec, never by the model's own pricing functions. Each `it` names the
// rule; a planted bug that breaks the rule fails it (issue 15 lists the bugs these were written for).
import { describe, expect, it } from 'vitest';

import { checkInvariants, kindId, Memory, parseProfile, Pricing, snapshot, type View } from '../../src/model/index.js';
import { thrown } from '../support/errors.js';
import { unitProfileJson, unitWorld } from './fixtures.js';

// The unit profile under UNIT_BASKET (fixtures.ts): one byte is one milli-point, no quota extras.
// dataframe 2000 mp, row 50, int32 250, bool 1, a string 100 + its length, a quota membrane 500.
const COLUMNS = [
  { name: 'id', type: 'string' },
  { name: 'n', type: 'int32' },
  { name: 'm', type: 'int32' },
];
/** A row ('abc', n, m): row 50 + two int32 500 + the string 100 + 3. */
const ROW_ABC = 653;

const direct = (v: View) => v.quota?.directUsed;
const below = (v: View) => v.quota?.belowUsed;

describe('dataframe growth is undone exactly (quota.md §7, and every refused operation leaves state as before)', () => {
  it('undoing an append inside a failed atomic group returns its points to the quota membrane and to every level above', () => {
    const mem = unitWorld();
    mem.declareDag(mem.root, ['d']);
    const outer = mem.quota(mem.at(mem.root, ['d']), 'outer', 10, 2, 0);
    const box = mem.quota(outer, 'box', 8, 8, 0);
    mem.declareDataframe(box, ['df'], COLUMNS, { inert: false });
    mem.appendRow(box, ['df'], ['abc', 1n, 2n]);
    // box: dataframe 2000 + one row 653; outer: the box membrane entity 500 directly, box's use below.
    expect([direct(box), direct(outer), below(outer)]).toEqual([2653, 500, 2653]);
    const before = snapshot(mem);
    const e = thrown(() =>
      mem.atomically(() => {
        mem.appendRow(box, ['df'], ['abc', 3n, 4n]);
        mem.appendRow(box, ['df'], ['abc', 5n, 6n]);
        expect([direct(box), below(outer)]).toEqual([2653 + 2 * ROW_ABC, 2653 + 2 * ROW_ABC]);
        mem.declareScalar(box, ['big'], 'string', 'x'.repeat(8000)); // 8100 > what is left of D = 8000
      }),
    );
    expect(e.errorName).toBe('quota_error');
    expect([direct(box), direct(outer), below(outer)]).toEqual([2653, 500, 2653]);
    expect(mem.dataframe(box, ['df']).rows).toBe(1);
    expect(snapshot(mem)).toEqual(before);
    expect(checkInvariants(mem)).toEqual([]);
    // The points are really free again: two rows fit (2653 + 2·653 = 3959 ≤ 8000).
    mem.appendRow(box, ['df'], ['abc', 3n, 4n]);
    mem.appendRow(box, ['df'], ['abc', 5n, 6n]);
    expect(direct(box)).toBe(3959);
  });
});

describe('the `below` limit of an enclosing membrane is T − D (quota.md §6 I2), on every path that charges', () => {
  /**
   * parent <10, 6, 4>: the stacked membranes may use T − D = 4 points in all, although their totals
   * may add up to (T − D) + O = 8 (overcommit is of promises, not of use). a <4,4,0> and b <4,4,0>.
   * a holds a string of 2900 bytes (3000 mp), so b may still use exactly 1000 mp. (All three are
   * views of the same node d, so names are unique across them.)
   */
  function overcommitted() {
    const mem = unitWorld();
    mem.declareDag(mem.root, ['d'], { inert: false });
    const parent = mem.quota(mem.at(mem.root, ['d']), 'parent', 10, 6, 4);
    const a = mem.quota(parent, 'a', 4, 4, 0);
    const b = mem.quota(parent, 'b', 4, 4, 0);
    mem.declareScalar(a, ['held'], 'string', 'x'.repeat(2900), { inert: false });
    expect([direct(parent), below(parent), direct(a)]).toEqual([1000, 3000, 3000]);
    return { mem, parent, a, b };
  }

  // membraneId: the model's id of 'parent' (the first membrane made), which reports mark.
  const refusal = { membrane: 'parent', membraneId: 1, limit: 'below', limitValue: 4000 };

  it('a graft into a stacked membrane is refused when the parent’s use below would pass T − D', () => {
    const { mem, parent, b } = overcommitted();
    // Unmetered values, so the graft pays full price at b: a string of 1001 bytes costs 1101 mp.
    mem.declareScalar(mem.root, ['v'], 'string', 'x'.repeat(1001), { inert: false });
    mem.declareScalar(mem.root, ['w'], 'string', 'x'.repeat(900), { inert: false });
    const v = mem.prune(mem.root, ['v']);
    const before = snapshot(mem);
    const e = thrown(() => mem.ent(b, [], v, 'v'));
    expect(Object.fromEntries(e.details)).toEqual({ ...refusal, used: 3000, requested: 1101 });
    expect(snapshot(mem)).toEqual(before);
    // 1000 mp fits exactly.
    mem.ent(b, [], mem.prune(mem.root, ['w']), 'w');
    expect([direct(b), below(parent)]).toEqual([1000, 4000]);
    expect(checkInvariants(mem)).toEqual([]);
  });

  it('an assignment that grows a value in a stacked membrane is refused the same way', () => {
    const { mem, parent, b } = overcommitted();
    mem.declareScalar(b, ['s'], 'string', '', { inert: false }); // 100 mp
    expect(below(parent)).toBe(3100);
    const before = snapshot(mem);
    // 'x' × 901 costs 1001 mp: net +901 at b, 3100 + 901 = 4001 > 4000.
    const e = thrown(() => mem.assign(b, ['s'], 'x'.repeat(901)));
    expect(Object.fromEntries(e.details)).toEqual({ ...refusal, used: 3100, requested: 901 });
    expect(snapshot(mem)).toEqual(before);
    mem.assign(b, ['s'], 'x'.repeat(900)); // net +900: exactly 4000
    expect([direct(b), below(parent)]).toEqual([1000, 4000]);
    expect(checkInvariants(mem)).toEqual([]);
  });

  it('a declaration in a stacked membrane is refused the same way', () => {
    const { mem, parent, b } = overcommitted();
    const e = thrown(() => mem.declareScalar(b, ['s'], 'string', 'x'.repeat(901)));
    expect(Object.fromEntries(e.details)).toEqual({ ...refusal, used: 3000, requested: 1001 });
    mem.declareScalar(b, ['s'], 'string', 'x'.repeat(900));
    expect(below(parent)).toBe(4000);
  });
});

describe('a graft within one pool moves everything free, dataframe rows included (quota.md §5)', () => {
  it('rows paid by a membrane of the target’s pool stay paid where they are', () => {
    const mem = unitWorld();
    mem.declareDag(mem.root, ['d'], { inert: false });
    const top = mem.quota(mem.at(mem.root, ['d']), 'top', 20, 10, 0);
    const stacked = mem.quota(top, 'stacked', 10, 10, 0); // directly on top: the same pool
    mem.declareDataframe(top, ['df'], COLUMNS, { inert: false });
    mem.appendRow(top, ['df'], ['abc', 1n, 2n]);
    mem.appendRow(top, ['df'], ['abc', 3n, 4n]);
    // top: the stacked membrane entity 500 + the dataframe 2000 + two rows.
    expect(direct(top)).toBe(500 + 2000 + 2 * ROW_ABC);
    const df = mem.prune(top, ['df']);
    mem.ent(stacked, [], df, 'df');
    expect([direct(stacked), direct(top), below(top)]).toEqual([0, 500 + 2000 + 2 * ROW_ABC, 0]);
    expect(mem.dataframe(stacked, ['df']).rows).toBe(2);
    expect(checkInvariants(mem)).toEqual([]);
    // …and across pools the same rows pay full price at the target, released at the old payer.
    const other = mem.quota(mem.at(mem.root, ['d']), 'other', 10, 10, 0);
    mem.ent(other, [], mem.prune(stacked, ['df']), 'df');
    expect([direct(other), direct(top)]).toEqual([2000 + 2 * ROW_ABC, 500]);
    expect(checkInvariants(mem)).toEqual([]);
  });
});

describe('membrane extras are rounded once per membrane (quota.md §4: each price is rounded once)', () => {
  // The unit profile with quota extras of 3 bytes per entity (and per string), 0 per string byte,
  // normalized over a basket of N = 1 entity and 2000 bytes: one byte is exactly half a milli-point.
  const json = unitProfileJson() as { extras: Record<string, Record<string, number>> };
  json.extras['membrane:quota'] = Object.fromEntries(Object.keys(json.extras['membrane:quota'] as object).map((k) => [k, k === 'string_byte' ? 0 : 3]));
  const profile = parseProfile(JSON.stringify(json), 'unit.json');
  const pricing = Pricing.fromCounts(profile, { byKind: new Map([['dag_node', 1]]), stringBytes: 1000 });

  it('an int32 through two quota membranes: 125 + 2 · round(1.5) = 129 mp, not round(125 + 3) = 128', () => {
    // int32: 250 bytes → 125 mp; one quota extra: 3 bytes → 1.5 mp → 2 (half to even).
    expect(pricing.price(kindId('scalar:int32'), 0, 0)).toBe(125);
    expect(pricing.price(kindId('scalar:int32'), 1, 0)).toBe(127);
    expect(pricing.price(kindId('scalar:int32'), 2, 0)).toBe(129);
    expect(pricing.price(kindId('scalar:int32'), 3, 0)).toBe(131);
    // A string of 0 bytes: 100 bytes → 50 mp, plus 2 · round(1.5).
    expect(pricing.stringPrice(0, 2, 0)).toBe(54);
  });

  it('and that is what a declaration through the two membranes charges', () => {
    const mem = new Memory({ pricing });
    mem.declareDag(mem.root, ['d']);
    const outer = mem.quota(mem.at(mem.root, ['d']), 'outer', 10, 5, 0);
    const inner = mem.quota(outer, 'inner', 5, 5, 0);
    mem.declareScalar(inner, ['n'], 'int32', 7n);
    mem.declareScalar(inner, ['s'], 'string', '');
    expect(direct(inner)).toBe(129 + 54);
    expect(checkInvariants(mem)).toEqual([]);
  });
});

describe('a quota_error names the limit that refused, in points (quota.md §6)', () => {
  const message = (f: () => unknown) => thrown(f).message;

  it('D, T − D, T and the pool each by name', () => {
    const mem = unitWorld();
    mem.declareDag(mem.root, ['d'], { inert: false });
    // A direct claim D above T (3 > 2).
    expect(message(() => mem.quota(mem.at(mem.root, ['d']), 'tall', 2, 3, 0))).toMatch(/refused by quota membrane 'tall': 0 used \+ 3 requested > 2 points \(total T\)$/);
    const parent = mem.quota(mem.at(mem.root, ['d']), 'parent', 10, 6, 4);
    const first = mem.quota(parent, 'a', 5, 4, 0);
    // Stacked totals 5 + 8 = 13 > (T − D) + O = 4 + 4.
    expect(message(() => mem.quota(parent, 'b', 8, 4, 0))).toMatch(/refused by quota membrane 'parent': .* > 8 points \(pool for stacked membranes \(T − D\) \+ O\)$/);
    const a = mem.quota(parent, 'a2', 3, 3, 0);
    // 'x' × 2900 costs 3000 mp in a2 (D = 3): fits D, fits parent's T − D = 4 with nothing below yet.
    mem.declareScalar(a, ['held'], 'string', 'x'.repeat(2900), { inert: false });
    // 1001 mp more directly in a2 passes no D of 3 points.
    expect(message(() => mem.declareScalar(a, ['more'], 'string', 'x'.repeat(901)))).toMatch(/refused by quota membrane 'a2': 3 used \+ 1\.001 requested > 3 points \(direct allocation limit D\)$/);
    // The same 1001 mp in the other stacked membrane fits its D = 4 but not parent's T − D = 4 points.
    expect(message(() => mem.declareScalar(first, ['more'], 'string', 'x'.repeat(901)))).toMatch(/refused by quota membrane 'parent': 3 used \+ 1\.001 requested > 4 points \(limit for membranes below it \(T − D\)\)$/);
  });

  it('a graft that fills D exactly is taken (the check is used + x > D, not ≥)', () => {
    const mem = unitWorld();
    mem.declareDag(mem.root, ['d'], { inert: false });
    const q = mem.quota(mem.at(mem.root, ['d']), 'q', 4, 2, 0);
    // A string of 1900 bytes costs 100 + 1900 = 2000 mp = D.
    mem.declareScalar(mem.root, ['v'], 'string', 'x'.repeat(1900), { inert: false });
    mem.ent(q, [], mem.prune(mem.root, ['v']), 'v');
    expect(direct(q)).toBe(2000);
    expect(checkInvariants(mem)).toEqual([]);
  });
});
