// Memory's accounting paths one by one, each with amounts worked out by hand under the unit profile
// (fixtures.ts: 1 byte = 1 mp; dag_node 1000, int32 250, a string 100 + its bytes, bool 1, a quota
// membrane 500, a copy_on_mutate membrane 300 and 7 extra per entity (+1 per string byte) through one,
// a scope 3000, a blocker 700): membrane declarations and their refusals, pools, undone declarations,
// re-paid assignments, loose payments, closing and retiring, and the smaller reads.
import { describe, expect, it } from 'vitest';

import { checkInvariants, kindId, looseRecord, nodeSnapshot, scalarType, snapshot, type Membrane, type Memory, type View } from '../../src/model/index.js';
import { codeOf, thrown } from '../support/errors.js';
import { unitWorld, unitWorldWith } from './fixtures.js';

const K_INT32 = kindId('scalar:int32');
const K_STRING = kindId('string');
const q = (v: View) => v.quota as Membrane;
const used = (v: View) => [q(v).directUsed, q(v).belowUsed];
const acct = (mem: Memory, path: string[]) => (nodeSnapshot(mem.lookup(mem.root, path).node) as { acct: unknown }).acct;

function base(): Memory {
  const mem = unitWorld();
  mem.declareDag(mem.root, ['d'], { inert: false });
  mem.declareDag(mem.root, ['e'], { inert: false });
  return mem;
}

describe('declaring a quota membrane (quota.md §6): each refusal by its limit and text, and nothing changed', () => {
  it('negative quotas, each of T, D and O', () => {
    const mem = base();
    const d = mem.at(mem.root, ['d']);
    const before = snapshot(mem);
    for (const [t, dd, o, least] of [
      [-1, 0, 0, -1000],
      [1, -2, 0, -2000],
      [1, 0, -3, -3000],
    ] as const) {
      const e = thrown(() => mem.quota(d, 'n', t, dd, o));
      expect(e.message).toBe(`declaration of quota membrane 'n' <${t},${dd},${o}>: quotas must not be negative`);
      expect([e.details?.get('limit'), e.details?.get('requested')]).toEqual(['total', least]);
    }
    expect(snapshot(mem)).toEqual(before);
  });

  it('D above T, and quotas too large for exact milli-points', () => {
    const mem = base();
    const d = mem.at(mem.root, ['d']);
    expect(thrown(() => mem.quota(d, 'n', 2, 3, 0)).message).toBe(
      "declaration of quota membrane 'n' <2,3,0>: its direct claim D refused by quota membrane 'n': 0 used + 3 requested > 2 points (total T)",
    );
    expect(thrown(() => mem.quota(d, 'n', 10n ** 13n, 0, 0)).message).toMatch(/^declaration of quota membrane 'n' <10000000000000,0,0>: quotas must stay below 9007199254740\.991 points$/);
  });

  it('the membrane entity refused by the enclosing membrane’s D names the declaration', () => {
    const mem = base();
    const p = mem.quota(mem.at(mem.root, ['d']), 'P', 10, 0, 10);
    const e = thrown(() => mem.quota(p, 'R', 1, 1, 0));
    expect(e.message).toBe("declaration of quota membrane 'R' <1,1,0>: allocation refused by quota membrane 'P': 0 used + 0.5 requested > 0 points (direct allocation limit D)");
    expect(thrown(() => mem.copyOnMutate(p, 'cm')).message).toBe(
      "declaration of copy_on_mutate membrane 'cm': allocation refused by quota membrane 'P': 0 used + 0.3 requested > 0 points (direct allocation limit D)",
    );
  });

  it('the pool refusal names the retired membranes whose shares are still taken, one or several', () => {
    const mem = base();
    const p = mem.quota(mem.at(mem.root, ['d']), 'P', 10, 4, 4); // (T − D) + O = 10 for the totals stacked on it
    const a1 = mem.quota(mem.at(p, []), 'A1', 3, 3, 0);
    mem.declareScalar(a1, ['x1'], 'int32', 1n);
    const cm = mem.copyOnMutate(p, 'cm'); // retired below too, but no quota membrane: never named
    mem.quota(cm, 'inner', 1, 1, 0);
    mem.retireMembrane(q(a1)); // x1 lives on in d: A1 stays open, its 3 still taken
    mem.retireMembrane(cm.membrane as Membrane);
    // 3 + 1 + 7 = 11 > 10.
    expect(thrown(() => mem.quota(p, 'B', 7, 0, 0)).message).toBe(
      "declaration of quota membrane 'B' <7,0,0> refused by quota membrane 'P': 4 used + 7 requested > 10 points (pool for stacked membranes (T − D) + O); 'A1' ended with its name but still pays for something that lives on in a longer-lived DAG, so its share is still taken",
    );
    const a2 = mem.quota(p, 'A2', 2, 2, 0);
    mem.declareScalar(a2, ['x2'], 'int32', 2n);
    mem.retireMembrane(q(a2));
    // 3 + 1 + 2 + 5 = 11 > 10.
    expect(thrown(() => mem.quota(p, 'B', 5, 0, 0)).message).toMatch(
      /'A1', 'A2' ended with their names but still pay for something that lives on in a longer-lived DAG, so their shares are still taken$/,
    );
    // Under another parent, a retired membrane is not P's to name.
    const other = mem.quota(mem.at(mem.root, ['e']), 'E', 4, 0, 4);
    expect(thrown(() => mem.quota(other, 'F', 9, 0, 0)).message).toBe(
      "declaration of quota membrane 'F' <9,0,0> refused by quota membrane 'E': 0 used + 9 requested > 8 points (pool for stacked membranes (T − D) + O)",
    );
  });

  it('every membrane made over no membrane, or over a copy_on_mutate one, starts a pool of its own', () => {
    const mem = base();
    mem.declareDag(mem.root, ['f'], { inert: false });
    const a = mem.quota(mem.at(mem.root, ['d']), 'A', 5, 3, 2);
    const b = mem.quota(mem.at(mem.root, ['e']), 'B', 5, 3, 2);
    const c = mem.quota(mem.at(mem.root, ['f']), 'C', 5, 5, 0);
    const r1 = mem.quota(mem.copyOnMutate(a, 'cm1'), 'R1', 1, 1, 0);
    const r2 = mem.quota(mem.copyOnMutate(b, 'cm2'), 'R2', 1, 1, 0);
    const pools = [a, b, c, r1, r2].map((v) => q(v).pool);
    expect(new Set(pools).size).toBe(5);
    // So a graft between any two of them pays: out of C into an unmetered place releases C's 250 …
    mem.declareScalar(c, ['v'], 'int32', 1n);
    mem.ent(mem.root, [], mem.prune(c, ['v']), 'v');
    expect(used(c)).toEqual([0, 0]);
    // … and from R1 into R2 (two quota membranes each over a copy_on_mutate membrane) costs 257 at R2.
    mem.declareScalar(r1, ['w'], 'int32', 2n);
    mem.ent(r2, [], mem.prune(r1, ['w']), 'w');
    expect([q(r1).directUsed, q(r2).directUsed]).toEqual([0, 257]);
  });

  it('an undone declaration gives back its id, its place among the children and its share of the parent', () => {
    const mem = base();
    const p = mem.quota(mem.at(mem.root, ['d']), 'P', 10, 4, 0);
    const before = snapshot(mem);
    expect(
      codeOf(() =>
        mem.atomically(() => {
          mem.quota(p, 'R', 6, 1, 0);
          mem.copyOnMutate(mem.at(mem.root, ['e']), 'top');
          expect(q(p).childTotals).toBe(6000);
          mem.declareDag(mem.root, ['d'], {}); // d exists: the group is undone
        }),
      ),
    ).toBe('MRG3001');
    expect(snapshot(mem)).toEqual(before);
    expect([q(p).childTotals, q(p).children.length]).toEqual([0, 0]);
    const r = mem.quota(p, 'R', 6, 1, 0);
    expect(q(r).id).toBe(2);
  });
});

describe('assignment re-pays a value whose price or payer changes (quota.md §5), and only then', () => {
  it('a longer string pays the difference at its membrane and every level above', () => {
    const mem = base();
    const p = mem.quota(mem.at(mem.root, ['d']), 'P', 10, 5, 0);
    const r = mem.quota(p, 'R', 5, 5, 0);
    mem.declareScalar(r, ['s'], 'string', 'hello', { inert: false }); // 105
    mem.assign(r, ['s'], 'hello world'); // 111
    expect([used(r), used(p)]).toEqual([
      [111, 0],
      [500, 111],
    ]);
    expect(acct(mem, ['d', 's'])).toEqual([2, 111, 2, 0]);
    // Too long for R's D: refused by name, and nothing changes.
    const e = thrown(() => mem.assign(r, ['s'], 'x'.repeat(4901))); // 5001 > 5000
    expect(e.message).toBe("assignment to d.s refused by quota membrane 'R': 0.111 used + 4.89 requested > 5 points (direct allocation limit D)");
    expect(acct(mem, ['d', 's'])).toEqual([2, 111, 2, 0]);
  });

  it('assigned through another quota membrane, the value moves to it at the same price', () => {
    const mem = base();
    const a = mem.quota(mem.at(mem.root, ['d']), 'A', 5, 5, 0);
    const b = mem.quota(mem.at(mem.root, ['d']), 'B', 5, 5, 0);
    mem.declareScalar(a, ['v'], 'int32', 1n, { inert: false });
    mem.assign(b, ['v'], 2n);
    expect([used(a), used(b)]).toEqual([
      [0, 0],
      [250, 0],
    ]);
    expect(acct(mem, ['d', 'v'])).toEqual([q(b).id, 250, 1, 0]);
  });

  it('the same size through the same chain keeps the payment as it is', () => {
    const mem = base();
    const a = mem.quota(mem.at(mem.root, ['d']), 'A', 5, 5, 0);
    mem.declareScalar(a, ['v'], 'string', 'abc', { inert: false });
    const record = mem.lookup(a, ['v']).node.acct;
    mem.assign(a, ['v'], 'xyz');
    expect(mem.lookup(a, ['v']).node.acct).toBe(record);
    expect(used(a)).toEqual([103, 0]);
  });
});

describe('loose payments: refused misuse, undone releases and re-payments (amounts by hand)', () => {
  it('a payment is made once, re-paid and placed only while it is live, and placed only as what was paid for', () => {
    const mem = base();
    const a = mem.quota(mem.at(mem.root, ['d']), 'A', 5, 5, 0);
    const l = looseRecord();
    expect(() => mem.repayLoose(l, a, K_INT32, 0, 'x')).toThrow('repayLoose: nothing is paid');
    mem.payLoose(l, a, K_INT32, 0);
    expect(() => mem.payLoose(l, a, K_INT32, 0)).toThrow('payLoose: this payment is already made');
    expect(() => mem.placeLoose(l, a, 'v', scalarType('string'), 'ab')).toThrow('placeLoose: the value is not the entity that was paid for');
    expect(() => mem.placeLoose(l, a, 'v', scalarType('bool'), true)).toThrow('placeLoose: the value is not the entity that was paid for');
    const s = looseRecord();
    mem.payLoose(s, a, K_STRING, 3);
    expect(() => mem.placeLoose(s, a, 'w', scalarType('string'), 'ab')).toThrow('placeLoose: the value is not the entity that was paid for');
    expect(used(a)).toEqual([250 + 103, 0]);
    mem.releaseLoose(l);
    expect(() => mem.placeLoose(l, a, 'v', scalarType('int32'), 1n)).toThrow('placeLoose: nothing is paid');
    expect(used(a)).toEqual([103, 0]);
  });

  it('an undone release pays again; an undone placing leaves the payment loose', () => {
    const mem = base();
    const a = mem.quota(mem.at(mem.root, ['d']), 'A', 5, 5, 0);
    const l = looseRecord();
    mem.payLoose(l, a, K_STRING, 4); // 104
    const before = snapshot(mem);
    const fail = (fn: () => void) =>
      codeOf(() =>
        mem.atomically(() => {
          fn();
          mem.declareDag(mem.root, ['d'], {});
        }),
      );
    expect(fail(() => mem.releaseLoose(l))).toBe('MRG3001');
    expect(snapshot(mem)).toEqual(before);
    expect(used(a)).toEqual([104, 0]);
    expect(mem.counts().stringBytes).toBe(4);
    expect(fail(() => mem.placeLoose(l, a, 'v', scalarType('string'), 'abcd'))).toBe('MRG3001');
    expect(snapshot(mem)).toEqual(before);
    expect(mem.loosePayments()).toEqual([l]);
  });

  it('re-paid at another size, and that undone; the same size again changes only the length', () => {
    const mem = base();
    const a = mem.quota(mem.at(mem.root, ['d']), 'A', 5, 5, 0);
    const b = mem.quota(mem.at(mem.root, ['e']), 'B', 5, 5, 0);
    const l = looseRecord();
    mem.payLoose(l, a, K_STRING, 4); // 104 at A
    const before = snapshot(mem);
    expect(
      codeOf(() =>
        mem.atomically(() => {
          mem.repayLoose(l, b, K_STRING, 10, 'slot'); // 110 at B
          expect([used(a), used(b)]).toEqual([
            [0, 0],
            [110, 0],
          ]);
          mem.declareDag(mem.root, ['d'], {});
        }),
      ),
    ).toBe('MRG3001');
    expect(snapshot(mem)).toEqual(before);
    expect([l.mp, l.len, l.by]).toEqual([104, 4, q(a).id]);
    // The same membrane, a longer string: 104 → 110 at A.
    mem.repayLoose(l, a, K_STRING, 10, 'slot');
    expect([used(a), l.mp, l.len]).toEqual([[110, 0], 110, 10]);
    mem.repayLoose(l, a, K_STRING, 4, 'slot');
    // Same chain, same price: nothing changes (an int32 slot re-paid as an int32).
    const n = looseRecord();
    mem.payLoose(n, a, K_INT32, 0);
    const record = snapshot(mem);
    mem.repayLoose(n, a, K_INT32, 0, 'slot');
    expect(snapshot(mem)).toEqual(record);
    // Moved to B at the same price: A gives back 250, B pays 250.
    mem.repayLoose(n, b, K_INT32, 0, 'slot');
    expect([used(a), used(b)]).toEqual([
      [104, 0],
      [250, 0],
    ]);
    // Refused by B's D (5000): 250 + 4901 + 100 > 5000, named by the caller's words.
    expect(thrown(() => mem.repayLoose(l, b, K_STRING, 4901, 'the slot s')).message).toMatch(/^the slot s refused by quota membrane 'B'/);
  });

  it('a retired membrane whose last loose payment moves away closes', () => {
    const mem = base();
    const a = mem.quota(mem.at(mem.root, ['d']), 'A', 5, 5, 0);
    const b = mem.quota(mem.at(mem.root, ['e']), 'B', 5, 5, 0);
    const l = looseRecord();
    mem.payLoose(l, a, K_INT32, 0);
    mem.retireMembrane(q(a));
    expect(q(a).closed).toBe(false);
    mem.repayLoose(l, b, K_INT32, 0, 'slot');
    expect(q(a).closed).toBe(true);
  });
});

describe('closing and retiring membranes', () => {
  it('closing gives back the membrane entity by its kind, once; a top-level one closes too', () => {
    const mem = base();
    const p = mem.quota(mem.at(mem.root, ['d']), 'P', 5, 5, 0);
    const cm = mem.copyOnMutate(p, 'cm'); // 300 at P
    mem.copyOnMutate(p, 'cm2'); // 300 at P
    const top = mem.quota(mem.at(mem.root, ['e']), 'top', 1, 1, 0); // unmetered
    const kinds = () => {
      const k = mem.counts().byKind;
      return [k.get('membrane:quota') ?? 0, k.get('membrane:copy_on_mutate') ?? 0];
    };
    expect(kinds()).toEqual([2, 2]);
    mem.closeMembrane(cm);
    expect(kinds()).toEqual([2, 1]);
    expect(used(p)).toEqual([300, 0]);
    mem.closeMembrane(cm); // closed already: nothing more
    expect(used(p)).toEqual([300, 0]);
    expect(q(p).children.map((m) => m.name)).toEqual(['cm2']);
    mem.closeMembrane(top);
    expect(kinds()).toEqual([1, 1]);
    expect(() => mem.closeMembrane(mem.root)).toThrow('closeMembrane: the view has no membrane');
    mem.declareScalar(p, ['v'], 'int32', 1n);
    expect(() => mem.closeMembrane(p)).toThrow("closeMembrane: 'P' still has membranes stacked on it (cm2)");
    const r = mem.quota(mem.at(mem.root, ['e']), 'R', 2, 1, 1);
    mem.declareScalar(r, ['v'], 'int32', 1n);
    expect(() => mem.closeMembrane(r)).toThrow("closeMembrane: 'R' still holds 0.25 points; release what it paid first");
    expect(checkInvariants(mem)).toEqual([]);
  });

  it('a retired membrane with a membrane stacked on it stays open until that one closes (membranes priced 0)', () => {
    // The unit profile with free quota membranes: P holds nothing while R is stacked on it.
    const mem = unitWorldWith({ 'membrane:quota': 0 });
    mem.declareDag(mem.root, ['d'], { inert: false });
    const p = mem.quota(mem.at(mem.root, ['d']), 'P', 5, 2, 3);
    const r = mem.quota(p, 'R', 3, 3, 0);
    mem.retireMembrane(q(p));
    expect(q(p).closed).toBe(false);
    mem.retireMembrane(q(r));
    expect([q(r).closed, q(p).closed]).toEqual([true, true]);
  });
});

describe('declarations of each entity, and the reads', () => {
  it('a scope, a blocker and an opaque value that is no entity, each at its price', () => {
    const mem = base();
    const a = mem.quota(mem.at(mem.root, ['d']), 'A', 10, 10, 0);
    mem.declareDag(a, ['sc'], { entity: 'scope' });
    expect(used(a)).toEqual([3000, 0]);
    mem.declareOpaque(a, ['bl'], 'blocker', 1);
    mem.declareOpaque(a, ['sp'], 'scope', 2);
    mem.declareOpaque(a, ['no'], null, 3);
    expect(used(a)).toEqual([3000 + 700 + 3000, 0]);
    expect(nodeSnapshot(mem.lookup(a, ['sc']).node)).toEqual({ kind: 'dag', frozen: false, acct: [1, 3000, 1, 0], entity: 'scope', children: [] });
    expect(nodeSnapshot(mem.lookup(a, ['bl']).node)).toEqual({ kind: 'opaque', frozen: false, acct: [1, 700, 1, 0], entity: 'blocker' });
    expect(nodeSnapshot(mem.lookup(a, ['no']).node)).toEqual({ kind: 'opaque', frozen: false, acct: null, entity: null });
    // Released with the rest of a pruned value: the opaque one has nothing to give back.
    mem.declareDag(a, ['box']);
    mem.declareOpaque(a, ['box', 'no'], null, 4);
    mem.declareScalar(a, ['box', 'v'], 'int32', 1n);
    const x = mem.prune(a, ['box']);
    mem.release(x);
    expect(used(a)).toEqual([6700, 0]);
    expect(codeOf(() => mem.release(x))).toBe('MRG3004');
    expect(mem.isLive(x)).toBe(false);
  });

  it('an undone graft leaves the pruned value live', () => {
    const mem = base();
    mem.declareScalar(mem.root, ['d', 'v'], 'int32', 1n);
    const x = mem.prune(mem.root, ['d', 'v']);
    expect(codeOf(() => mem.atomically(() => {
      mem.ent(mem.root, ['e'], x, 'v');
      mem.declareDag(mem.root, ['d'], {});
    }))).toBe('MRG3001');
    expect(mem.isLive(x)).toBe(true);
    mem.ent(mem.root, ['e'], x, 'v');
    expect(mem.isLive(x)).toBe(false);
  });

  it('a path whose first names are missing is created below the deepest existing dag, whatever lies beside it', () => {
    const mem = base();
    mem.declareScalar(mem.root, ['d', 'y'], 'int32', 1n);
    const a = mem.quota(mem.at(mem.root, ['d']), 'A', 10, 10, 0);
    mem.declareScalar(a, ['x', 'y', 'z'], 'int32', 2n); // x and y new: two dag nodes and the int32
    expect(used(a)).toEqual([2250, 0]);
    expect(mem.value(mem.root, ['d', 'x', 'y', 'z'])).toBe(2n);
  });

  it('a built-in goes into a frozen dag', () => {
    const mem = base();
    mem.declareDag(mem.root, ['lib'], { inert: true });
    mem.installBuiltin(mem.root, ['lib', 'k'], { kind: 'scalar', type: scalarType('int32'), value: 1n, kid: K_INT32, len: 0, acct: null, frozen: true } as never);
    expect(mem.has(mem.root, ['lib', 'k'])).toBe(true);
  });

  it('lookup and has default to the view itself; the dataframes are listed past scalars', () => {
    const mem = base();
    const a = mem.quota(mem.at(mem.root, ['d']), 'A', 10, 10, 0);
    expect(mem.lookup(a).path).toEqual(['d']);
    expect(mem.has(a)).toBe(true);
    mem.declareScalar(a, ['n'], 'int32', 1n);
    mem.declareDataframe(a, ['df'], [{ name: 's', type: 'string' }]);
    expect(mem.listDataframes()).toEqual([{ path: ['d', 'df'], rows: 0, frozen: false }]);
  });

  it('priceAt: a type by name or parsed, a string by its length, through the view’s chain', () => {
    const mem = base();
    const a = mem.quota(mem.at(mem.root, ['d']), 'A', 10, 10, 0);
    const cm = mem.copyOnMutate(a, 'cm');
    expect(mem.priceAt(a, 'int32')).toBe(250);
    expect(mem.priceAt(a, scalarType('int32'))).toBe(250);
    expect(mem.priceAt(cm, 'int32')).toBe(257);
    expect(mem.priceAt(a, 'string', 'abc')).toBe(103);
    expect(mem.priceAt(a, 'string')).toBe(100);
    // Through cm: 103 + its extra 7 + 3 bytes · 1.
    expect(mem.priceAt(cm, 'string', 'abc')).toBe(113);
  });

  it('the report from a view starts at its innermost membrane, with its depth', () => {
    const mem = base();
    const p = mem.quota(mem.at(mem.root, ['d']), 'P', 10, 5, 5);
    const cm = mem.copyOnMutate(p, 'cm');
    const r = mem.quota(cm, 'R', 1, 1, 0);
    expect(mem.report(r).membranes.map((m) => [m.name, m.depth])).toEqual([['R', 2]]);
    expect(mem.report().membranes.map((m) => [m.name, m.depth])).toEqual([['P', 0]]);
  });

  it('a row of a variable-size int column counts its int entity', () => {
    const mem = base();
    mem.declareDataframe(mem.root, ['d', 'df'], [{ name: 'n', type: 'int' }]);
    const scalars = () => [...mem.counts().byKind].filter(([k]) => k.startsWith('scalar:')).reduce((a, [, n]) => a + n, 0);
    expect(scalars()).toBe(0);
    mem.appendRow(mem.root, ['d', 'df'], [5n]);
    expect(scalars()).toBe(1);
  });

  it('rows appended inside an atomic group and undone give back exactly their own strings', () => {
    const mem = base();
    const a = mem.quota(mem.at(mem.root, ['d']), 'A', 10, 10, 0);
    mem.declareDataframe(a, ['df'], [{ name: 's', type: 'string' }]);
    const df = mem.dataframe(a, ['df']);
    df.append(['abcd']); // row 50 + 104
    expect(mem.counts().byKind.get('string')).toBe(1);
    expect(mem.counts().stringBytes).toBe(4);
    expect(used(a)).toEqual([2000 + 154, 0]);
    const before = snapshot(mem);
    expect(
      codeOf(() =>
        mem.atomically(() => {
          df.append(['abcdefgh']); // 50 + 108
          df.append(['x']); // 50 + 101
          expect(mem.counts().stringBytes).toBe(13);
          mem.declareDag(mem.root, ['d'], {});
        }),
      ),
    ).toBe('MRG3001');
    expect(snapshot(mem)).toEqual(before);
    expect(mem.counts().stringBytes).toBe(4);
  });
});

describe('every refusal of Memory says what, where and why, in full', () => {
  /** d: v int32, fz an inert dag, df a dataframe, c an inert int32; A a quota membrane over e. */
  function refusals() {
    const mem = base();
    mem.declareScalar(mem.root, ['d', 'v'], 'int32', 1n);
    mem.declareDag(mem.root, ['d', 'fz'], { inert: true });
    mem.declareDataframe(mem.root, ['d', 'df'], [{ name: 'n', type: 'int32' }]);
    mem.declareScalar(mem.root, ['d', 'c'], 'int32', 2n, { inert: true });
    return mem;
  }
  const text = (fn: () => unknown) => {
    const e = thrown(fn);
    return `${e.code} ${e.message}`;
  };

  it('declarations', () => {
    const mem = refusals();
    const d = mem.at(mem.root, ['d']);
    expect(text(() => mem.declareDag(mem.root, []))).toBe('MRG3001 a declaration needs a name below (root)');
    expect(text(() => mem.declareDag(d, ['v']))).toBe('MRG3001 d.v already exists');
    expect(text(() => mem.declareDag(d, ['v', 'x']))).toBe("MRG3002 d.v is an int32, not a dag: cannot declare 'x' in it");
    expect(text(() => mem.declareDag(d, ['v', 'x', 'y']))).toBe("MRG3002 d.v is an int32, not a dag: cannot declare 'x' in it");
    expect(text(() => mem.declareDag(d, ['df', 'x']))).toBe("MRG3002 d.df is a dataframe, not a dag: cannot declare 'x' in it");
    expect(text(() => mem.declareDag(d, ['df', 'x', 'y']))).toBe("MRG3002 d.df is a dataframe, not a dag: cannot declare 'x' in it");
    expect(text(() => mem.declareDag(d, ['fz', 'a', 'b']))).toBe("MRG3005 d.fz is frozen (or inert): cannot declare 'a.b' in it");
  });

  it('membranes over what is not a dag, and allocations through an ended one', () => {
    const mem = refusals();
    const d = mem.at(mem.root, ['d']);
    expect(text(() => mem.quota(mem.at(d, ['v']), 'Q', 1, 1, 0))).toBe('MRG3002 a membrane goes around a dag node; d.v is an int32');
    expect(text(() => mem.copyOnMutate(mem.at(d, ['df']), 'cm'))).toBe('MRG3002 a membrane goes around a dag node; d.df is a dataframe');
    const a = mem.quota(mem.at(mem.root, ['e']), 'A', 1, 1, 0);
    mem.retireMembrane(q(a));
    expect(text(() => mem.declareDag(a, ['x']))).toBe("MRG3015 the membrane 'A' ended with the scope of the name it was bound to: nothing can be allocated through it any more");
  });

  it('reads and assignments', () => {
    const mem = refusals();
    expect(text(() => mem.value(mem.root, ['d']))).toBe('MRG3002 d is a dag, not a scalar');
    expect(text(() => mem.assign(mem.root, ['d'], 1n))).toBe('MRG3002 d is a dag, not a scalar: it cannot be assigned');
    expect(text(() => mem.assign(mem.root, ['d', 'c'], 3n))).toBe('MRG3005 d.c is inert or frozen: it cannot change');
    expect(text(() => mem.appendRow(mem.root, ['d', 'v'], [1n]))).toBe('MRG3002 d.v is an int32, not a dataframe');
    expect(text(() => mem.appendRow(mem.root, ['d'], [1n]))).toBe('MRG3002 d is a dag, not a dataframe');
    mem.freeze(mem.root, ['d', 'df']);
    expect(text(() => mem.appendRow(mem.root, ['d', 'df'], [1n]))).toBe('MRG3005 dataframe d.df is frozen: rows cannot be added');
  });

  it('prune, ent, release and alias', () => {
    const mem = refusals();
    const d = mem.at(mem.root, ['d']);
    expect(text(() => mem.prune(mem.root, []))).toBe('MRG3002 the root of the world cannot be pruned');
    const x = mem.prune(d, ['v']);
    expect(text(() => mem.ent(d, ['c'], x, 'w'))).toBe('MRG3002 d.c is a scalar, not a dag: nothing can be grafted into it');
    expect(text(() => mem.ent(d, ['fz'], x, 'w'))).toBe("MRG3005 d.fz is frozen (or inert): cannot graft 'w' into it");
    expect(text(() => mem.ent(d, [], x, 'c'))).toBe('MRG3001 d.c already exists');
    mem.ent(d, [], x, 'w');
    expect(text(() => mem.ent(d, [], x, 'w2'))).toBe('MRG3004 the pruned value from d.v was already grafted or released');
    expect(text(() => mem.release(x))).toBe('MRG3004 the pruned value from d.v was already grafted or released');
    expect(text(() => mem.alias(mem.at(d, ['c']), [], 'al'))).toBe("MRG3002 d.c is not a dag: cannot hold the alias 'al'");
    expect(text(() => mem.alias(mem.at(d, ['fz']), [], 'al'))).toBe("MRG3005 d.fz is frozen (or inert): cannot add the alias 'al'");
    expect(text(() => mem.alias(d, ['w'], 'c'))).toBe('MRG3001 d.c already exists');
    mem.alias(d, ['w'], 'al');
    expect(nodeSnapshot(mem.lookup(mem.root, ['d']).node)).toMatchObject({ children: expect.arrayContaining([['al', { kind: 'alias', frozen: false, acct: null, target: ['d', 'w'] }]]) });
  });
});
