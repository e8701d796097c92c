// The auditor (audit.ts) against worlds whose counters were broken on purpose: each check of
// quota.md §6 (I1–I4) and of counter consistency must name exactly what is wrong, with the numbers
// worked out by hand under the unit profile (1 byte = 1 milli-point). And the plain-data snapshot.
import { describe, expect, it } from 'vitest';

import { checkInvariants, nodeSnapshot, snapshot } from '../../src/model/audit.js';
import { langDag } from '../../src/model/builtins.js';
import type { DagNode } from '../../src/model/dag.js';
import { kindId } from '../../src/model/kinds.js';
import { looseRecord } from '../../src/model/loose.js';
import type { Membrane } from '../../src/model/membrane.js';
import type { Memory } from '../../src/model/memory.js';
import { unitWorld } from '../../src/testing/unit-world.js';

/** A membrane's limits are readonly: only a broken world has them changed. */
function setLimits(m: Membrane, limits: { total?: number; direct?: number }): void {
  Object.assign(m, limits);
}

/**
 * Quota A <100, 40, 5> over the root (its entity unmetered, 500), holding: quota B <30, 10, 0>
 * (entity 500 charged to A; a dag node 1000 charged to B), a bool (1), copy-on-mutate C (entity 300)
 * and a bool through C (1 + 7 extras = 8), quota D <10, 5, 0> (entity 500). A: direct 1309,
 * below 1000, child totals 30 000 + 10 000 = 40 000; the run total is 500 + 1309 + 1000 = 2809.
 */
function world() {
  const mem = unitWorld();
  const a = mem.quota(mem.root, 'A', 100, 40, 5);
  const b = mem.quota(a, 'B', 30, 10, 0);
  mem.declareDag(b, ['x']);
  mem.declareScalar(a, ['f'], 'bool', true);
  const c = mem.copyOnMutate(a, 'C');
  mem.declareScalar(c, ['g'], 'bool', false);
  const d = mem.quota(a, 'D', 10, 5, 0);
  const [A, B, C, D] = [a, b, c, d].map((v) => v.membrane as Membrane) as [Membrane, Membrane, Membrane, Membrane];
  return { mem, A, B, C, D, dView: d };
}

describe('checkInvariants', () => {
  it('finds nothing wrong in the world as built', () => {
    const { mem, A, B } = world();
    expect([A.directUsed, A.belowUsed, A.childTotals, B.directUsed]).toEqual([1309, 1000, 40000, 1000]);
    expect(mem.report().totals.mp).toBe(2809);
    expect(checkInvariants(mem)).toEqual([]);
  });

  it('a direct use that its payments do not add up to', () => {
    const { mem, A } = world();
    A.directUsed += 5;
    expect(checkInvariants(mem)).toEqual(["membrane 'A': direct use 1314 ≠ 1309 paid by it", "membrane 'A': by-kind milli-points 1309 ≠ direct use 1314"]);
  });

  it('a direct use at a membrane nothing was paid by, seen in its parent’s below use too', () => {
    const { mem, D } = world();
    D.directUsed = 5;
    expect(checkInvariants(mem)).toEqual([
      "membrane 'A': below use 1000 ≠ 1005 charged inside it",
      "membrane 'D': direct use 5 ≠ 0 paid by it",
      "membrane 'D': by-kind milli-points 0 ≠ direct use 5",
    ]);
  });

  it('a copy-on-mutate membrane holding anything (its limits are 0; it is not below use of A)', () => {
    const { mem, C } = world();
    C.directUsed = 5;
    expect(checkInvariants(mem)).toEqual([
      "membrane 'C': direct use 5 ≠ 0 paid by it",
      "membrane 'C': by-kind milli-points 0 ≠ direct use 5",
      "I1 membrane 'C': direct 5 > D 0",
      "I3 membrane 'C': direct + below 5 > T 0",
    ]);
  });

  it('I1 alone: D lowered to 1000 under a direct use of 1309', () => {
    const { mem, A } = world();
    setLimits(A, { direct: 1000 });
    expect(checkInvariants(mem)).toEqual(["I1 membrane 'A': direct 1309 > D 1000"]);
  });

  it('I2 and I4: T lowered to 40 999 leaves T − D = 999 for a below use of 1000', () => {
    const { mem, A } = world();
    setLimits(A, { total: 40999 });
    expect(checkInvariants(mem)).toEqual(["I2 membrane 'A': below 1000 > T−D 999", "I4 membrane 'A': child totals 40000 > (T−D)+O 5999"]);
  });

  it('I1, I3 and I4: T 2000 and D 1000 under 1309 direct + 1000 below', () => {
    const { mem, A } = world();
    setLimits(A, { total: 2000, direct: 1000 });
    expect(checkInvariants(mem)).toEqual([
      "I1 membrane 'A': direct 1309 > D 1000",
      "I3 membrane 'A': direct + below 2309 > T 2000",
      "I4 membrane 'A': child totals 40000 > (T−D)+O 6000",
    ]);
  });

  it('I4 alone: D raised to 65 001 leaves (T − D) + O = 39 999 for child totals of 40 000', () => {
    const { mem, A } = world();
    setLimits(A, { direct: 65001 });
    expect(checkInvariants(mem)).toEqual(["I4 membrane 'A': child totals 40000 > (T−D)+O 39999"]);
  });

  it('a child-totals counter that disagrees with the open children', () => {
    const { mem, A } = world();
    A.childTotals = 12345;
    expect(checkInvariants(mem)).toEqual(["membrane 'A': child totals 12345 ≠ 40000"]);
  });

  it('I4 holds while overcommit covers child totals above T − D', () => {
    const { mem, A } = world();
    // T − D = 39 000 < 40 000 ≤ (T − D) + O = 44 000.
    setLimits(A, { direct: 61000 });
    expect(checkInvariants(mem)).toEqual([]);
  });

  it('a closed membrane leaves the audit: its child total and its counters no longer count', () => {
    const { mem, A, D, dView } = world();
    mem.closeMembrane(dView);
    expect([D.closed, A.directUsed, A.childTotals]).toEqual([true, 809, 30000]);
    expect(checkInvariants(mem)).toEqual([]);
    D.childTotals = 5;
    D.directUsed = 7;
    setLimits(D, { direct: -1, total: -1 });
    expect(checkInvariants(mem)).toEqual([]);
  });

  it('below use counts every quota membrane inside, not only the children', () => {
    // P <100, 10, 0> ⊃ Q <50, 10, 0> ⊃ S <20, 10, 0>: Q's entity (500) is paid by P, S's (500) by Q,
    // a dag node (1000) by S. P: direct 500, below 500 + 1000; Q: direct 500, below 1000.
    const mem = unitWorld();
    const p = mem.quota(mem.root, 'P', 100, 10, 0);
    const q = mem.quota(p, 'Q', 50, 10, 0);
    const s = mem.quota(q, 'S', 20, 10, 0);
    mem.declareDag(s, ['y']);
    const [P, Q, S] = [p, q, s].map((v) => v.membrane as Membrane) as [Membrane, Membrane, Membrane];
    expect([P.directUsed, P.belowUsed, Q.directUsed, Q.belowUsed, S.directUsed]).toEqual([500, 1500, 500, 1000, 1000]);
    expect(checkInvariants(mem)).toEqual([]);
    S.directUsed += 1;
    expect(checkInvariants(mem)).toEqual([
      "membrane 'P': below use 1500 ≠ 1501 charged inside it",
      "membrane 'Q': below use 1000 ≠ 1001 charged inside it",
      "membrane 'S': direct use 1001 ≠ 1000 paid by it",
      "membrane 'S': by-kind milli-points 1000 ≠ direct use 1001",
    ]);
  });

  it('a run total that the payment records do not add up to', () => {
    const { mem, A } = world();
    (A.paid as { mp: number }).mp += 7;
    expect(checkInvariants(mem)).toEqual(['run total 2809 ≠ 2816 in payment records']);
  });

  it('an unpaid built-in whose record holds milli-points', () => {
    const { mem } = world();
    mem.installBuiltin(mem.root, ['imported', 'lang'], langDag());
    expect(checkInvariants(mem)).toEqual([]);
    const major = mem.lookup(mem.root, ['imported', 'lang', 'Version', 'major']).node;
    (major.acct as { mp: number }).mp = 7;
    expect(checkInvariants(mem)).toEqual(['run total 2809 ≠ 2816 in payment records']);
  });
});

describe('snapshots', () => {
  /** Quota A <10, 4, 1> with copy-on-mutate C (300) over it, a pruned dag node d (1000) and a loose bool (1), all paid by A. */
  function small(): { mem: Memory; dId: number } {
    const mem = unitWorld();
    const a = mem.quota(mem.root, 'A', 10, 4, 1);
    mem.copyOnMutate(a, 'C');
    mem.declareDag(a, ['d']);
    const d = mem.prune(a, ['d']);
    mem.payLoose(looseRecord(), a, kindId('scalar:bool'), 0);
    return { mem, dId: d.id };
  }

  it('lists every membrane with its limits, counters, payment and children', () => {
    const { mem } = small();
    const s = snapshot(mem) as { membranes: unknown[] };
    expect(s.membranes).toEqual([
      {
        id: 1,
        name: 'A',
        kind: 'quota',
        limits: [10000, 4000, 1000],
        directUsed: 1301,
        belowUsed: 0,
        childTotals: 0,
        closed: false,
        paid: [0, 500, 0, 0],
        count: new Map([['dag_node', 1], ['membrane:copy_on_mutate', 1], ['scalar:bool', 1]]),
        mp: new Map([['dag_node', 1000], ['membrane:copy_on_mutate', 300], ['scalar:bool', 1]]),
        children: [2],
      },
      {
        id: 2,
        name: 'C',
        kind: 'copy_on_mutate',
        limits: [0, 0, 0],
        directUsed: 0,
        belowUsed: 0,
        childTotals: 0,
        closed: false,
        paid: [1, 300, 1, 0],
        count: new Map(),
        mp: new Map(),
        children: [],
      },
    ]);
  });

  it('lists the live pruned values and the loose payments', () => {
    const { mem, dId } = small();
    const s = snapshot(mem) as { live: unknown; loose: unknown };
    expect(s.live).toEqual([{ id: dId, from: ['d'], node: { kind: 'dag', frozen: false, acct: [1, 1000, 1, 0], entity: 'dag_node', children: [] } }]);
    expect(s.loose).toEqual([[1, 1, 1, 0, kindId('scalar:bool'), 0]]);
  });

  it('pictures a dataframe’s columns and rows and an alias’s target', () => {
    const mem = unitWorld();
    mem.declareDataframe(mem.root, ['df'], [{ name: 'n', type: 'int32' }, { name: 's', type: 'string' }]);
    mem.appendRow(mem.root, ['df'], [5n, 'hi']);
    mem.appendRow(mem.root, ['df'], [-1n, '']);
    mem.declareDag(mem.root, ['t']);
    mem.alias(mem.root, ['t'], 'al');
    const df = nodeSnapshot(mem.dag.children.get('df') as DagNode) as { df: { columns: unknown; rows: unknown; frozen: unknown } };
    expect([df.df.columns, df.df.rows, df.df.frozen]).toEqual([['int32 n', 'string s'], [['5', 'hi'], ['-1', '']], false]);
    expect(nodeSnapshot(mem.dag.children.get('al') as DagNode)).toEqual({ kind: 'alias', frozen: false, acct: null, target: ['t'] });
  });
});
