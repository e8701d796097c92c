import { describe, expect, it } from 'vitest';

import { MergeError } from '../../src/diagnostics.js';
import { bytesOf, formatPoints, kindId, Memory, parseProfile, Pricing, roundHalfEven, type EntityCounts } from '../../src/model/index.js';
import { BASKET, profile, unitProfileJson } from './fixtures.js';

describe('exact arithmetic', () => {
  it('rounds half to even', () => {
    expect([5n, 15n, 25n, -5n, -15n, 14n, 16n].map((n) => roundHalfEven(n, 10n))).toEqual([0n, 2n, 2n, 0n, -2n, 1n, 2n]);
  });

  it('formats milli-points with up to three decimals', () => {
    expect([0, 40000, 12345, 500, 1, -2500].map(formatPoints)).toEqual(['0', '40', '12.345', '0.5', '0.001', '-2.5']);
  });
});

describe('basket normalization (quota.md §4)', () => {
  // Hand-computed: a profile with dag_node 100 B, int32 10 B, string 40 B + 1 B/byte.
  const json = unitProfileJson() as any;
  json.bytes.dag_node = 100;
  json.bytes['scalar:int32'] = 10;
  json.bytes.string = 40;
  const p = parseProfile(JSON.stringify(json), 'unit.json');
  const counts: EntityCounts = { byKind: new Map([['dag_node', 2], ['scalar:int32', 3], ['string', 1]]), stringBytes: 5 };

  it('computes N, bytes and every price exactly', () => {
    // N = 6; bytes = 2·100 + 3·10 + 1·40 + 5·1 = 275; one point = 275/6 bytes.
    expect(bytesOf(p, counts)).toBe(275n);
    const pr = Pricing.fromCounts(p, counts);
    expect(pr.entities).toBe(6n);
    expect(pr.bytes).toBe(275n);
    expect(pr.kindPrice(kindId('dag_node'))).toBe(2182); // 100·6/275 = 2.18181…
    expect(pr.kindPrice(kindId('scalar:int32'))).toBe(218); // 10·6/275 = 0.21818…
    expect(pr.stringPrice(5, 0, 0)).toBe(982); // (40 + 5)·6/275 = 0.98181…
    expect(pr.stringPrice(0, 0, 0)).toBe(873); // 40·6/275 = 0.87272…
    // copy_on_mutate extras of the unit profile: 7 B per entity, 1 B per string byte.
    expect(pr.price(kindId('scalar:int32'), 0, 1)).toBe(218 + 153); // 7·6/275 = 0.15272…
    expect(pr.stringPrice(5, 0, 2)).toBe(982 + 2 * 262); // (7 + 5)·6/275 = 0.26181…
  });

  it('rounds each price once, half to even', () => {
    // N = 4, bytes = 8000: one byte is exactly half a milli-point.
    const q = Pricing.fromCounts(p, { byKind: new Map([['dag_node', 4]]), stringBytes: 7600 });
    expect(q.bytes).toBe(8000n);
    expect([1, 3, 5, 7].map((b) => q.mp(b))).toEqual([0, 2, 2, 4]);
  });

  it('refuses an empty basket, unknown kinds and bad counts (MRG4020)', () => {
    const bad = (counts: EntityCounts) => {
      try {
        Pricing.fromCounts(p, counts);
      } catch (e) {
        return e instanceof MergeError ? e.code : 'other';
      }
      return 'none';
    };
    expect(bad({ byKind: new Map(), stringBytes: 0 })).toBe('MRG4020');
    expect(bad({ byKind: new Map([['scalar:int', 1]]), stringBytes: 0 })).toBe('MRG4020');
    expect(bad({ byKind: new Map([['dag_node', 1.5]]), stringBytes: 0 })).toBe('MRG4020');
    expect(bad({ byKind: new Map([['dag_node', 1]]), stringBytes: -1 })).toBe('MRG4020');
  });

  it('gives the same points on two profiles whose bytes differ by a constant factor', () => {
    const base = unitProfileJson() as any;
    const times4 = structuredClone(base);
    const scale = (t: Record<string, number>) => Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v * 4]));
    times4.bytes = scale(base.bytes);
    times4.extras = { 'membrane:quota': scale(base.extras['membrane:quota']), 'membrane:copy_on_mutate': scale(base.extras['membrane:copy_on_mutate']) };
    const r = base.int_rule;
    times4.int_rule = { ...r, tiers: r.tiers.map((t: any) => ({ ...t, bytes: t.bytes * 4 })), ref: r.ref * 4, header: r.header * 4, unit_bytes: r.unit_bytes * 4, align: r.align * 4 };
    const run = (json: unknown) => {
      const mem = new Memory({ pricing: Pricing.fromCounts(parseProfile(JSON.stringify(json), 'unit.json'), BASKET) });
      const v = mem.quota(mem.root, 'q', 1000, 500, 0);
      const com = mem.copyOnMutate(v, 'c');
      mem.declareScalar(v, ['a', 'b', 'n'], 'int2048', 7n);
      mem.declareScalar(com, ['s'], 'string', 'hello world');
      mem.declareScalar(v, ['big'], 'int', 1n << 200n);
      mem.declareDataframe(v, ['df'], [{ name: 'id', type: 'string' }, { name: 'x', type: 'float256' }]);
      for (let i = 0; i < 10; i++) mem.appendRow(v, ['df'], [`row${i}`, i]);
      return mem.report().totals;
    };
    const a = run(base);
    const b = run(times4);
    expect(b.mp).toBe(a.mp);
    expect(b.bytes).toBe(a.bytes * 4n);
  });

  it('keeps a basket-like program within a few percent across the shipped profiles', () => {
    const points = ['cpython-dev', 'native-compact', 'jvm'].map((n) => {
      const mem = new Memory({ pricing: Pricing.fromCounts(profile(n), BASKET) });
      // The basket's own mix, allocated unmetered.
      for (const [kind, count] of BASKET.byKind) {
        for (let i = 0; i < count; i++) {
          if (kind.startsWith('scalar:')) mem.declareScalar(mem.root, [`${kind}#${i}`], kind.slice(7), kind === 'scalar:bool' ? true : kind.includes('float') ? 1.5 : 1n);
          else if (kind === 'string') mem.declareScalar(mem.root, [`s${i}`], 'string', 'x'.repeat(25));
          else if (kind === 'dag_node') mem.declareDag(mem.root, [`d${i}`]);
        }
      }
      return mem.report().totals.mp;
    });
    const spread = Math.max(...points) / Math.min(...points);
    expect(spread).toBeLessThan(1.15);
  });
});

describe('a profile that gives the basket no bytes', () => {
  it('is MRG4051 naming the profile and its file, not a basket error', () => {
    const json = unitProfileJson() as any;
    const zero = (t: Record<string, number>) => Object.fromEntries(Object.keys(t).map((k) => [k, 0]));
    json.bytes = zero(json.bytes);
    const p = parseProfile(JSON.stringify(json), 'runtimes/unit.json');
    const counts: EntityCounts = { byKind: new Map([['dag_node', 2], ['string', 1]]), stringBytes: 5 };
    try {
      Pricing.fromCounts(p, counts);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(MergeError);
      expect((e as MergeError).code).toBe('MRG4051');
      expect((e as MergeError).message).toContain("runtime profile 'unit' (runtimes/unit.json)");
      expect((e as MergeError).message).not.toContain('basket.json');
    }
  });
});
