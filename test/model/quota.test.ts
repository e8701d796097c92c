import { describe, expect, it } from 'vitest';

import { MergeError } from '../../src/diagnostics.js';
import { checkInvariants, formatPoints, langDag, snapshot, type Memory, type View } from '../../src/model/index.js';
import { unitWorld, world } from './fixtures.js';
import { thrown } from '../support/errors.js';

/** Expects a quota_error with these details and the world exactly as before. */
function refusedQuota(mem: Memory, details: Record<string, unknown>, fn: () => unknown): MergeError {
  const before = snapshot(mem);
  const e = thrown(fn);
  expect(e.code).toBe('MRG3006');
  expect(e.errorName).toBe('quota_error');
  const { membraneId, ...rest } = Object.fromEntries(e.details);
  expect(rest).toEqual(details);
  // The refusing membrane's model id, so a report can mark it when names repeat.
  const named = mem.allMembranes().find((m) => m.id === membraneId);
  if (named) expect(named.name).toBe(details['membrane']);
  else expect(membraneId).toBe(mem.allMembranes().length + 1); // a declaration refused before it was made
  expect(snapshot(mem)).toEqual(before);
  expect(checkInvariants(mem)).toEqual([]);
  return e;
}

/** The seed's stack over `olddag`: newdag <80,40,30>, dag3 <60,30,10>, dag4 <40,40,0>. */
function seedStack(mem: Memory) {
  mem.declareDag(mem.root, ['olddag']);
  const olddag = mem.at(mem.root, ['olddag']);
  const newdag = mem.quota(olddag, 'newdag', 80, 40, 30);
  const dag3 = mem.quota(newdag, 'dag3', 60, 30, 10);
  const dag4 = mem.quota(dag3, 'dag4', 40, 40, 0);
  return { olddag, newdag, dag3, dag4 };
}

const used = (v: View) => v.quota?.directUsed ?? NaN;

describe('the seed (merge-spec part 17)', () => {
  it('accepts the stack <80,40,30>, <60,30,10> on it, <40,40,0> on that', () => {
    const mem = world();
    const { newdag, dag3, dag4 } = seedStack(mem);
    const flat = mem.report().flat;
    expect(flat.map((m) => [m.name, m.total, m.direct, m.overcommit, m.childTotals])).toEqual([
      ['newdag', 80000, 40000, 30000, 60000],
      ['dag3', 60000, 30000, 10000, 40000],
      ['dag4', 40000, 40000, 0, 0],
    ]);
    expect([newdag, dag3, dag4].map((v) => v.quota?.pool)).toEqual([1, 1, 1]);
    expect(checkInvariants(mem)).toEqual([]);
  });

  it('refuses a fourth membrane on dag4 with any total above 0', () => {
    const mem = world();
    const { dag4 } = seedStack(mem);
    const e = refusedQuota(mem, { membrane: 'dag4', limit: 'pool', limitValue: 0, used: 0, requested: 1000 }, () => mem.quota(dag4, 'dag5', 1, 0, 0));
    expect(e.message).toContain("quota membrane 'dag4'");
    expect(mem.report().flat).toHaveLength(3);
    mem.quota(dag4, 'empty', 0, 0, 0); // total 0 fits
  });

  it('refuses a declaration with D > T', () => {
    const mem = world();
    refusedQuota(mem, { membrane: 'bad', limit: 'total', limitValue: 10000, used: 0, requested: 11000 }, () => mem.quota(mem.root, 'bad', 10, 11, 0));
  });

  it('charges `version`, pruned from the inert scope.imported.lang.Version, when grafted on dag4', () => {
    const mem = world();
    const { dag4 } = seedStack(mem);
    mem.installBuiltin(mem.root, ['scope', 'imported', 'lang'], langDag());
    const version = mem.prune(mem.root, ['scope', 'imported', 'lang', 'Version']);
    const before = used(dag4);
    mem.ent(dag4, [], version, 'Version');
    const cost = used(dag4) - before;
    const p = mem.pricing;
    // one dag node + two int32 scalars, each with three quota layers' extras
    expect(cost).toBe(p.priceOfKind('dag_node', 3, 0) + 2 * p.priceOfKind('scalar:int32', 3, 0));
    expect(cost).toBeGreaterThan(0);
    expect(mem.value(dag4, ['Version', 'minor'])).toBe(3n);
    expect(checkInvariants(mem)).toEqual([]);
  });

  it('grafts `mypi`, pruned from newdag.coolfloat256.pi (paid by newdag), on dag4 for free', () => {
    const mem = world();
    const { newdag, dag4 } = seedStack(mem);
    mem.declareScalar(newdag, ['coolfloat256', 'pi'], 'float256', 3.14159);
    const paidByNewdag = used(newdag);
    const mypi = mem.prune(newdag, ['coolfloat256', 'pi']);
    const before = snapshot(mem);
    mem.ent(dag4, [], mypi, 'Pi');
    expect(used(dag4)).toBe(0);
    expect(used(newdag)).toBe(paidByNewdag);
    expect(mem.lookup(dag4, ['Pi']).node.acct?.by).toBe(newdag.quota?.id);
    expect((snapshot(mem) as any).totals).toEqual((before as any).totals);
    expect(checkInvariants(mem)).toEqual([]);
  });

  it('makes the same graft cost full price across a copy_on_mutate membrane', () => {
    const mem = world();
    const { newdag } = seedStack(mem);
    const com = mem.copyOnMutate(newdag, 'com');
    const inner = mem.quota(com, 'inner', 10, 10, 0);
    expect(inner.quota?.pool).not.toBe(newdag.quota?.pool);
    mem.declareScalar(newdag, ['coolfloat256', 'pi'], 'float256', 3.14159);
    const piPrice = mem.lookup(newdag, ['coolfloat256', 'pi']).node.acct?.mp as number;
    const newdagBefore = used(newdag);
    const belowBefore = newdag.quota?.belowUsed as number;
    const mypi = mem.prune(newdag, ['coolfloat256', 'pi']);
    mem.ent(inner, [], mypi, 'Pi');
    const full = mem.pricing.priceOfKind('scalar:float256', 2, 1);
    expect(used(inner)).toBe(full);
    expect(used(newdag)).toBe(newdagBefore - piPrice); // the old payment is released in the same step
    expect(newdag.quota?.belowUsed).toBe(belowBefore + full);
    expect(mem.lookup(inner, ['Pi']).node.acct).toMatchObject({ by: inner.quota?.id, mp: full, q: 2, c: 1 });
    expect(checkInvariants(mem)).toEqual([]);
  });

  it('makes a graft between unrelated quota membranes cost full price', () => {
    const mem = world();
    mem.declareDag(mem.root, ['a']);
    mem.declareDag(mem.root, ['b']);
    const qa = mem.quota(mem.at(mem.root, ['a']), 'qa', 50, 50, 0);
    const qb = mem.quota(mem.at(mem.root, ['b']), 'qb', 50, 50, 0);
    mem.declareScalar(qa, ['x'], 'int64', 1n);
    const x = mem.prune(qa, ['x']);
    mem.ent(qb, [], x, 'x');
    expect(used(qa)).toBe(0);
    expect(used(qb)).toBe(mem.pricing.priceOfKind('scalar:int64', 1, 0));
  });
});

describe('exact boundaries (wasmtime limits style)', () => {
  // unit profile: a string costs 100 + length mp, a bool 1 mp, no quota extras.
  it('fills to exactly D, then refuses one milli-point more with the exact limit and use', () => {
    const mem = unitWorld();
    mem.declareDag(mem.root, ['d']);
    const q = mem.quota(mem.at(mem.root, ['d']), 'q', 10, 10, 0);
    mem.declareScalar(q, ['s'], 'string', 'x'.repeat(9900));
    expect(used(q)).toBe(10000);
    refusedQuota(mem, { membrane: 'q', limit: 'direct', limitValue: 10000, used: 10000, requested: 1 }, () => mem.declareScalar(q, ['b'], 'bool', true));
    // usable afterwards: free some, allocate again
    mem.release(mem.prune(q, ['s']));
    expect(used(q)).toBe(0);
    mem.declareScalar(q, ['b'], 'bool', true);
    expect(used(q)).toBe(1);
  });

  it('refuses a single allocation of D + 1 milli-points on an empty membrane', () => {
    const mem = unitWorld();
    mem.declareDag(mem.root, ['d']);
    const q = mem.quota(mem.at(mem.root, ['d']), 'q', 10, 10, 0);
    refusedQuota(mem, { membrane: 'q', limit: 'direct', limitValue: 10000, used: 0, requested: 10001 }, () => mem.declareScalar(q, ['s'], 'string', 'x'.repeat(9901)));
    mem.declareScalar(q, ['s'], 'string', 'x'.repeat(9900));
    expect(used(q)).toBe(10000);
  });

  it('names the enclosing membrane whose `below` limit refuses, and changes no level', () => {
    const mem = unitWorld();
    mem.declareDag(mem.root, ['d']);
    const parent = mem.quota(mem.at(mem.root, ['d']), 'parent', 10, 5, 5); // T−D = 5 points below
    const c1 = mem.quota(parent, 'c1', 6, 6, 0);
    const c2 = mem.quota(parent, 'c2', 4, 4, 0);
    const pm = used(parent); // the two membrane entities (500 mp each)
    expect(pm).toBe(1000);
    mem.declareScalar(c1, ['s'], 'string', 'x'.repeat(4900)); // 5000: parent's below is now full
    expect(parent.quota?.belowUsed).toBe(5000);
    refusedQuota(mem, { membrane: 'parent', limit: 'below', limitValue: 5000, used: 5000, requested: 1 }, () => mem.declareScalar(c2, ['b'], 'bool', true));
    expect(used(c2)).toBe(0);
  });

  it('refuses the §6 pool sum at exactly (T − D) + O + 1', () => {
    const mem = unitWorld();
    mem.declareDag(mem.root, ['d']);
    const p = mem.quota(mem.at(mem.root, ['d']), 'p', 10, 4, 3); // pool 9 points
    mem.quota(p, 'a', 5, 0, 0);
    mem.quota(p, 'b', 4, 0, 0); // exactly 9
    refusedQuota(mem, { membrane: 'p', limit: 'pool', limitValue: 9000, used: 9000, requested: 1000 }, () => mem.quota(p, 'c', 1, 0, 0));
    mem.quota(p, 'zero', 0, 0, 0);
  });

  it('counts but does not charge allocations through a view without a quota membrane', () => {
    const mem = unitWorld();
    mem.declareScalar(mem.root, ['s'], 'string', 'x'.repeat(100_000));
    expect(mem.report().totals.mp).toBe(100_100);
    expect(mem.report().totals.bytes).toBe(100_100n);
    expect(mem.lookup(mem.root, ['s']).node.acct?.by).toBe(0);
  });
});

describe('atomic operations', () => {
  it('undoes a refused ent completely: source, target and counters', () => {
    const mem = unitWorld();
    mem.declareDag(mem.root, ['a']);
    mem.declareDag(mem.root, ['b']);
    const qa = mem.quota(mem.at(mem.root, ['a']), 'qa', 100, 100, 0);
    const qb = mem.quota(mem.at(mem.root, ['b']), 'qb', 2, 2, 0);
    mem.declareScalar(qa, ['t', 'x'], 'string', 'x'.repeat(900));
    mem.declareScalar(qa, ['t', 'y'], 'string', 'y'.repeat(900));
    const t = mem.prune(qa, ['t']);
    // dag node 1000 + two strings of 1000 each = 3000 > 2000
    refusedQuota(mem, { membrane: 'qb', limit: 'direct', limitValue: 2000, used: 0, requested: 3000 }, () => mem.ent(qb, [], t, 'T'));
    expect(mem.isLive(t)).toBe(true);
    mem.ent(qa, [], t, 'back'); // still graftable (same membrane: free)
    expect(used(qa)).toBe(3000);
  });

  it('atomically() undoes a group of successful steps when a later one fails', () => {
    const mem = world();
    const { dag4 } = seedStack(mem);
    const before = snapshot(mem);
    const e = thrown(() =>
      mem.atomically(() => {
        const scope = mem.quota(dag4, 'is_prime', 0, 0, 0);
        mem.declareScalar(dag4, ['ok_count'], 'int32', 0n);
        mem.declareScalar(scope, ['x'], 'int', 5n); // D = 0: refused
      }),
    );
    expect(e.code).toBe('MRG3006');
    expect(Object.fromEntries(e.details).membrane).toBe('is_prime');
    expect(snapshot(mem)).toEqual(before);
    expect(checkInvariants(mem)).toEqual([]);
  });

  it('explains a refusal in points', () => {
    const mem = unitWorld();
    mem.declareDag(mem.root, ['d']);
    const q = mem.quota(mem.at(mem.root, ['d']), 'scopeQuota', 1, 1, 0);
    const e = thrown(() => mem.declareScalar(q, ['s'], 'string', 'x'.repeat(1000)));
    expect(e.message).toBe(`allocation refused by quota membrane 'scopeQuota': 0 used + ${formatPoints(1100)} requested > 1 points (direct allocation limit D)`);
  });
});

describe('usage report', () => {
  it('shows the membrane tree with T, D, O, direct and below use and totals by kind', () => {
    const mem = unitWorld();
    mem.declareDag(mem.root, ['d']);
    const p = mem.quota(mem.at(mem.root, ['d']), 'p', 10, 5, 0);
    const c = mem.quota(p, 'c', 5, 5, 0);
    mem.declareScalar(c, ['flag'], 'bool', true);
    mem.declareScalar(c, ['n'], 'int32', 1n);
    const r = mem.report();
    expect(r.membranes).toHaveLength(1);
    const [top] = r.membranes;
    expect(top).toMatchObject({ name: 'p', total: 10000, direct: 5000, overcommit: 0, directUsed: 500, belowUsed: 251, depth: 0 });
    expect(top?.children[0]).toMatchObject({ name: 'c', parent: 'p', depth: 1, directUsed: 251 });
    expect(top?.children[0]?.byKind).toEqual([
      { kind: 'scalar:bool', count: 1, mp: 1 },
      { kind: 'scalar:int32', count: 1, mp: 250 },
    ]);
    expect(mem.report(c).membranes.map((m) => m.name)).toEqual(['c']);
    expect(r.totals.byKind.find((k) => k.kind === 'membrane:quota')).toEqual({ kind: 'membrane:quota', count: 2, mp: 1000 });
    expect(JSON.parse(JSON.stringify(r.flat))).toHaveLength(2);
  });

  it('closes an empty membrane and returns its share to the parent', () => {
    const mem = unitWorld();
    mem.declareDag(mem.root, ['d']);
    const p = mem.quota(mem.at(mem.root, ['d']), 'p', 10, 4, 0);
    const c = mem.quota(p, 'c', 6, 6, 0);
    expect(() => mem.quota(p, 'c2', 1, 1, 0)).toThrow(MergeError);
    mem.declareScalar(c, ['b'], 'bool', true);
    expect(() => mem.closeMembrane(c)).toThrow(/still holds/);
    mem.release(mem.prune(c, ['b']));
    mem.closeMembrane(c);
    expect(used(p)).toBe(0);
    mem.quota(p, 'c2', 6, 6, 0);
    expect(checkInvariants(mem)).toEqual([]);
  });
});

describe('errors carry what the interpreter needs', () => {
  it('keeps details when a span is attached', async () => {
    const { withSpan } = await import('../../src/model/index.js');
    const mem = unitWorld();
    const e = thrown(() => mem.quota(mem.root, 'q', 1, 2, 0));
    const span = { file: 'a.merge', line: 3, column: 1, endLine: 3, endColumn: 10 };
    const w = withSpan(e, span);
    expect(w.diagnostic.span).toEqual(span);
    expect(w.code).toBe('MRG3006');
    expect(w.details.get('membrane')).toBe('q');
  });

  it('refuses negative and absurdly large quotas', () => {
    const mem = unitWorld();
    expect(thrown(() => mem.quota(mem.root, 'neg', -1n, 0n, 0n)).code).toBe('MRG3006');
    expect(thrown(() => mem.quota(mem.root, 'huge', 10n ** 30n, 0n, 0n)).message).toContain('must stay below');
    expect(mem.report().flat).toHaveLength(0);
  });

  it('refuses a membrane around a scalar or a dataframe', () => {
    const mem = unitWorld();
    mem.declareScalar(mem.root, ['x'], 'int32', 1n);
    expect(thrown(() => mem.quota(mem.at(mem.root, ['x']), 'q', 1, 1, 0)).code).toBe('MRG3002');
  });
});

describe('grafting a sub-DAG paid by several payers', () => {
  it('releases each payer and charges the target once; a refusal restores every payment', () => {
    const mem = unitWorld();
    mem.declareDag(mem.root, ['A'], { inert: false });
    mem.declareDag(mem.root, ['C'], { inert: false });
    const A = mem.at(mem.root, ['A']);
    const qa = mem.quota(A, 'qa', 100, 100, 0);
    const qa2 = mem.quota(A, 'qa2', 100, 100, 0); // another pool over the same node
    mem.declareScalar(qa, ['t', 'x'], 'string', 'x'.repeat(400), { inert: false }); // t (1000) + x (500) by qa
    mem.declareScalar(qa2, ['t', 'y'], 'int32', 1n); // 250 by qa2
    mem.declareScalar(A, ['t', 'z'], 'bool', true); // 1, unmetered
    mem.installBuiltin(A, ['t', 'lang'], langDag()); // lang, Version, major, minor: unpaid built-ins
    expect([used(qa), used(qa2)]).toEqual([1500, 250]);
    const t = mem.prune(A, ['t']);
    const full = 1000 + 500 + 250 + 1 + 2 * 1000 + 2 * 250; // every node at full price (no quota extras)
    const tight = mem.quota(mem.at(mem.root, ['C']), 'tight', 4, 4, 0);
    refusedQuota(mem, { membrane: 'tight', limit: 'direct', limitValue: 4000, used: 0, requested: full }, () => mem.ent(tight, [], t, 't'));
    expect((t.node as any).children.get('y').acct).toMatchObject({ by: qa2.quota?.id, mp: 250 });
    const roomy = mem.quota(mem.at(mem.root, ['C']), 'roomy', 10, 10, 0);
    const before = mem.report().totals;
    mem.ent(roomy, [], t, 't');
    expect([used(qa), used(qa2), used(roomy)]).toEqual([0, 0, full]);
    const after = mem.report().totals;
    expect(after.mp - before.mp).toBe(2 * 1000 + 2 * 250); // only the unpaid built-ins are new
    expect(after.entities - before.entities).toBe(4);
    expect(mem.report(roomy).membranes[0]?.byKind).toEqual([
      { kind: 'dag_node', count: 3, mp: 3000 },
      { kind: 'scalar:bool', count: 1, mp: 1 },
      { kind: 'scalar:int32', count: 3, mp: 750 },
      { kind: 'string', count: 1, mp: 500 },
    ]);
    expect(checkInvariants(mem)).toEqual([]);
  });

  it('an unpaid node met before the paid ones is not released from their payer', () => {
    const mem = unitWorld();
    mem.declareDag(mem.root, ['A'], { inert: false });
    mem.declareDag(mem.root, ['C'], { inert: false });
    const A = mem.at(mem.root, ['A']);
    const qa = mem.quota(A, 'qa', 100, 100, 0);
    mem.installBuiltin(A, ['u', 'lang'], langDag()); // u: an unpaid, mutable intermediate
    mem.declareScalar(qa, ['u', 'x'], 'int32', 1n, { inert: false }); // 250 by qa, below unpaid u
    const u = mem.prune(A, ['u']);
    const full = 1000 + 2 * 1000 + 2 * 250 + 250; // u, lang, Version, major, minor, x
    const tight = mem.quota(mem.at(mem.root, ['C']), 'tight', 1, 1, 0);
    refusedQuota(mem, { membrane: 'tight', limit: 'direct', limitValue: 1000, used: 0, requested: full }, () => mem.ent(tight, [], u, 'u'));
    expect((u.node as any).acct).toMatchObject({ by: -1, mp: 0 });
    expect((u.node as any).children.get('x').acct).toMatchObject({ by: qa.quota?.id, mp: 250 });
    const roomy = mem.quota(mem.at(mem.root, ['C']), 'roomy', 10, 10, 0);
    mem.ent(roomy, [], u, 'u');
    expect([used(qa), used(roomy)]).toEqual([0, full]);
    expect(checkInvariants(mem)).toEqual([]);
  });
});
