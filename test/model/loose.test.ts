// Loose payments (frame slots paid for like their nodes): against the same scalars declared as nodes in
// a twin world, every counter, tally and report agrees after paying, re-paying and releasing; placing
// one gives exactly the world a declaration would have; refusals and undone groups change nothing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { checkInvariants, intKindId, kindId, looseRecord, minimalIntBytes, scalarKindId, scalarType, signedBits, snapshot, utf8Length, type Memory, type ScalarValue, type View } from '../../src/model/index.js';
import { codeOf, thrown } from '../support/errors.js';
import { world } from './fixtures.js';

/** Two identical worlds: a quota stack with a copy_on_mutate membrane, and an unmetered DAG. */
function twin(): { mem: Memory; views: View[] } {
  const mem = world();
  mem.declareDag(mem.root, ['s'], { inert: false });
  mem.declareDag(mem.root, ['u'], { inert: false });
  const q = mem.quota(mem.at(mem.root, ['s']), 'q', 60, 30, 10);
  const r = mem.quota(q, 'r', 30, 8, 0);
  const c = mem.copyOnMutate(r, 'c');
  return { mem, views: [mem.at(mem.root, ['u']), q, r, c] };
}

/** What the two worlds must agree on: counters, per-kind tallies, run totals and counts (not the DAG). */
function accounting(mem: Memory) {
  const { dag: _dag, live: _live, loose: _loose, ...rest } = snapshot(mem) as Record<string, unknown>;
  return rest;
}

const values: [string, ScalarValue][] = [
  ['int', 5n],
  ['int', 1n << 40n],
  ['int', -(1n << 100n)],
  ['int32', 7n],
  ['bool', true],
  ['float64', 2.5],
  ['string', 'héllo'],
];

const kid = (type: string, v: ScalarValue) => scalarKindId(scalarType(type), v);
const len = (v: ScalarValue) => (typeof v === 'string' ? utf8Length(v) : 0);

describe('loose payments', () => {
  it('charge, re-pay and release exactly as declared nodes do', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(3), fc.nat(values.length - 1), fc.nat(values.length - 1), fc.nat(3), fc.boolean()), { minLength: 1, maxLength: 12 }),
        (ops) => {
          const a = twin();
          const b = twin();
          const held: { name: string; view: number; type: string; l: ReturnType<typeof looseRecord> }[] = [];
          ops.forEach(([vi, x, y, w0, drop], i) => {
            let wi = w0;
            const [type, v] = values[x] as [string, ScalarValue];
            const name = `n${i}`;
            const l = looseRecord();
            const ca = codeOf(() => a.mem.declareScalar(a.views[vi] as View, [name], type, v));
            const cb = codeOf(() => b.mem.payLoose(l, b.views[vi] as View, kid(type, v), len(v)));
            expect(cb).toBe(ca);
            if (ca === 'none') held.push({ name, view: vi, type, l });
            // A new value of the same type (another size, maybe) through another view: the node is re-paid.
            const h = held[held.length - 1];
            if (h && (values[y] as [string, ScalarValue])[0] === h.type) {
              const w = (values[y] as [string, ScalarValue])[1];
              // Any view over the same DAG (0 is over u; 1–3 are over s through the membranes).
              if (h.view === 0) wi = 0;
              else wi = 1 + (wi % 3);
              const ea = codeOf(() => a.mem.assign(a.views[wi] as View, [h.name], w));
              const eb = codeOf(() => b.mem.repayLoose(h.l, b.views[wi] as View, kid(h.type, w), len(w), 'assignment'));
              expect(eb).toBe(ea);
            }
            if (drop && held.length > 0) {
              const g = held.shift() as (typeof held)[number];
              a.mem.release(a.mem.prune(a.views[g.view] as View, [g.name]));
              b.mem.releaseLoose(g.l);
            }
            expect(accounting(b.mem)).toEqual(accounting(a.mem));
            expect(checkInvariants(a.mem)).toEqual([]);
            expect(checkInvariants(b.mem)).toEqual([]);
          });
          expect(b.mem.loosePayments()).toHaveLength(held.length);
        },
      ),
      { numRuns: 300, seed: 20261206 },
    );
  });

  it('a refusal is the same quota_error and changes nothing', () => {
    const a = twin();
    const b = twin();
    const big = 'x'.repeat(20_000);
    const ea = thrown(() => a.mem.declareScalar(a.views[2] as View, ['s'], 'string', big));
    const before = snapshot(b.mem);
    const eb = thrown(() => b.mem.payLoose(looseRecord(), b.views[2] as View, kid('string', big), big.length));
    expect([eb.code, eb.message, Object.fromEntries(eb.details)]).toEqual([ea.code, ea.message, Object.fromEntries(ea.details)]);
    expect(snapshot(b.mem)).toEqual(before);
  });

  it('placing one gives exactly the world the declaration gives, and charges nothing again', () => {
    const a = twin();
    const b = twin();
    a.mem.declareScalar(a.views[3] as View, ['p'], 'int', 300n, { inert: true });
    const l = looseRecord();
    b.mem.payLoose(l, b.views[3] as View, kid('int', 300n), 0);
    b.mem.placeLoose(l, b.views[3] as View, 'p', scalarType('int'), 300n, { inert: true });
    expect(snapshot(b.mem)).toEqual(snapshot(a.mem));
    // The node has the payment now: releasing the record does nothing.
    b.mem.releaseLoose(l);
    expect(snapshot(b.mem)).toEqual(snapshot(a.mem));
    expect(() => b.mem.placeLoose(looseRecord(), b.views[3] as View, 'p2', scalarType('int'), 1n)).toThrow(/nothing is paid/);
  });

  it('pay, re-pay, release and place inside an undone group leave everything as before', () => {
    const { mem, views } = twin();
    const kept = looseRecord();
    mem.payLoose(kept, views[1] as View, kid('string', 'ab'), 2);
    const before = snapshot(mem);
    expect(
      codeOf(() =>
        mem.atomically(() => {
          const l = looseRecord();
          mem.payLoose(l, views[2] as View, kid('int32', 1n), 0);
          mem.repayLoose(kept, views[3] as View, kid('string', 'abcdef'), 6, 'assignment');
          mem.placeLoose(l, views[2] as View, 'placed', scalarType('int32'), 1n);
          mem.releaseLoose(kept);
          mem.quota(views[0] as View, 'bad', 1, 2, 0);
        }),
      ),
    ).toBe('MRG3006');
    expect(snapshot(mem)).toEqual(before);
    expect(checkInvariants(mem)).toEqual([]);
  });

  it('a retired payer closes when its last loose payment is released', () => {
    const { mem, views } = twin();
    const n = mem.quota(views[1] as View, 'n', 5, 5, 0);
    const l = looseRecord();
    mem.payLoose(l, n, kid('int32', 1n), 0);
    mem.retireMembrane(n.membrane!);
    expect(n.membrane?.closed).toBe(false);
    expect(codeOf(() => mem.payLoose(looseRecord(), n, kid('int32', 1n), 0))).toBe('MRG3015');
    mem.releaseLoose(l);
    expect(n.membrane?.closed).toBe(true);
    expect(checkInvariants(mem)).toEqual([]);
  });
});

describe('integer kinds without printing the value in binary', () => {
  it('signedBits and intKindId agree with the definition', () => {
    const slow = (v: bigint) => {
      const mag = v < 0n ? -v - 1n : v;
      return mag === 0n ? 1 : mag.toString(2).length + 1;
    };
    const edges = [0n, 1n, -1n, 127n, 128n, -128n, -129n, 32767n, 32768n, (1n << 31n) - 1n, 1n << 31n, -(1n << 31n), -(1n << 31n) - 1n, (1n << 63n) - 1n, 1n << 63n, 1n << 200n];
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...edges), fc.bigInt({ min: -(1n << 80n), max: 1n << 80n }), fc.bigInt({ min: -300n, max: 300n })), (v) => {
        expect(signedBits(v)).toBe(slow(v));
        expect(intKindId(v)).toBe(kindId(`scalar:int${8 * Math.ceil(slow(v) / 8)}`));
        expect(minimalIntBytes(v)).toBe(Math.ceil(slow(v) / 8));
      }),
      { numRuns: 2000, seed: 7 },
    );
  });
});
