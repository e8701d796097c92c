// Mutation survivors of src/runtime/portability.ts: how a run's ending is put in words (line,
// refusing membrane, requested points), the per-profile lines of runs that ended differently (other
// endings, other row counts, a missing dataframe, other entities), the spread when there is no gap,
// MRG4052's message and hint, topParts' order and percentages, the runs comparePortability leaves
// out, and the profiles usableProfiles / catalogPricings keep and their order.
//
// Prices come from two profiles built in memory over a two-entity basket, so every number below is
// worked out by hand: basket = 1 dag_node + 1 scalar:bool (N = 2).
//   profile a: dag_node 60 B, bool 4 B  -> bytes_a = 64: dag_node 60·2/64 = 1.875 pts, bool 4·2/64 = 0.125
//   profile b: dag_node 60 B, bool 36 B -> bytes_b = 96: dag_node 60·2/96 = 1.25 pts,  bool 36·2/96 = 0.75
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { MergeError } from '../../src/diagnostics.js';
import { defaultRuntimesDir, loadProfile, Pricing, type EntityCounts, type RuntimeProfile, type SpreadBreakdown } from '../../src/model/index.js';
import { standardBasket, type BasketInUse } from '../../src/runtime/basket.js';
import { compareProfiles, type ProfileRun } from '../../src/runtime/compare.js';
import { catalogPricings, comparePortability, runPortability, topParts, usableProfiles } from '../../src/runtime/portability.js';
import type { RunError, RunResult } from '../../src/runtime/run.js';
import { userProfilesDir } from '../../src/user-folders.js';
import { EXAMPLES_DIR } from '../examples.js';

const jvm = loadProfile(join(defaultRuntimesDir(), 'jvm.json'));
const SHIPPED = ['cpython-dev', 'jvm', 'native-compact', 'v8-measured'];

function profile(name: string, bool: number): RuntimeProfile {
  const bytes = new Map(jvm.bytes);
  bytes.set('dag_node', 60);
  bytes.set('scalar:bool', bool);
  return { ...jvm, name, bytes, file: '' };
}

const basketCounts: EntityCounts = { byKind: new Map([['dag_node', 1], ['scalar:bool', 1]]), stringBytes: 0 };
const A = Pricing.fromCounts(profile('a', 4), basketCounts);
const B = Pricing.fromCounts(profile('b', 36), basketCounts);

function counts(dagNodes: number, bools: number): EntityCounts {
  return { byKind: new Map([['dag_node', dagNodes], ['scalar:bool', bools]]), stringBytes: 0 };
}

const NO_ERROR_FIELDS = { name: null, file: null, line: null, column: null, membrane: null, membraneId: null, limitKind: null, limit: null, used: null, requested: null };

function runError(e: Partial<RunError>): RunError {
  return { ...NO_ERROR_FIELDS, code: 'MRG3003', message: 'it failed', diagnostic: { code: 'MRG3003', severity: 'error', message: 'it failed' }, ...e } as RunError;
}

/** The parts of a RunResult portability reads: its profile, ending, dataframes and counts. */
function result(profileName: string, c: EntityCounts, opts: { error?: RunError; dataframes?: { name: string; rows: number }[] } = {}): RunResult {
  return { ok: !opts.error, profile: profileName, error: opts.error ?? null, dataframes: opts.dataframes ?? [], counts: c } as unknown as RunResult;
}

function ran(pricing: Pricing, r: RunResult, mp?: number): ProfileRun {
  return { profile: pricing.profile.name, ran: true, result: r, pricing, mp: mp ?? 0, bytes: 0n };
}

describe('how a run ended, in words', () => {
  it('a real refusal names its line, the refusing membrane and the points it asked for; a run that ends ran to the end', () => {
    // profile-endings.merge: a 2048-bit key costs 4.025 points under cpython-dev, and the quota of 7 refuses the second one (line 15).
    const runs = compareProfiles({ file: join(EXAMPLES_DIR, 'profile-endings.merge') }, ['cpython-dev', 'v8-measured']);
    const p = comparePortability('profile-endings.merge', runs);
    expect(p.outcomes.map((o) => [o.profile, o.ok, o.ending])).toEqual([
      ['cpython-dev', false, "stopped at line 15: quota_error (membrane 'ring' refused 4.025 points)"],
      ['v8-measured', true, 'ran to the end'],
    ]);
    expect(p.differences).toEqual(["cpython-dev: stopped at line 15: quota_error (membrane 'ring' refused 4.025 points)", 'v8-measured: ran to the end']);
    expect(p.outcomesDiffer).toBe(true);
  });

  it('a step limit (no line, membrane or error name): the code alone; a refusal without an amount says "?"', () => {
    const c = counts(1, 1);
    const bare = runPortability('f.merge', result('a', c, { error: runError({ code: 'MRG3010' }) }), [A]);
    expect(bare.outcomes.map((o) => o.ending)).toEqual(['stopped: MRG3010']);
    const noAmount = runPortability('f.merge', result('a', c, { error: runError({ name: 'quota_error', line: 3, membrane: 'box' }) }), [A]);
    expect(noAmount.outcomes.map((o) => o.ending)).toEqual(["stopped at line 3: quota_error (membrane 'box' refused ? points)"]);
  });
});

describe('runPortability: one run priced under each pricing', () => {
  it('its one outcome, no differences; points from its counts; spread, breakdown and MRG4052 above warnSpread', () => {
    // 1 dag_node + 3 bools: a 1.875 + 0.375 = 2.250 pts, b 1.25 + 2.25 = 3.500; spread 3500/2250 = 1.556.
    // The gap of 1.25 is bool +1.875 (150%) and dag_node -0.625 (-50%).
    const r = result('a', counts(1, 3), { dataframes: [{ name: 'log', rows: 2 }] });
    const p = runPortability('f.merge', r, [A, B]);
    expect(p.outcomes).toEqual([{ profile: 'a', ok: true, ending: 'ran to the end', dataframes: [{ name: 'log', rows: 2 }] }]);
    expect([p.differences, p.outcomesDiffer]).toEqual([[], false]);
    expect(p.points).toEqual([{ profile: 'a', mp: 2250 }, { profile: 'b', mp: 3500 }]);
    expect(p.spread).toBeCloseTo(1.5556, 4);
    expect(p.breakdown?.parts.map((x) => [x.kind, x.share])).toEqual([['scalar:bool', 1.5], ['dag_node', -0.5]]);
    expect([p.warnSpread, p.unlikeBasket]).toEqual([1.5, true]);
    expect(p.warning?.code).toBe('MRG4052');
    expect(p.warning?.message).toBe(
      "f.merge is unlike the basket: its RAM-points spread 1.556x across the profiles (b 3.500, a 2.250; priced from this run's entity counts), more than the basket's warnSpread 1.5; most of the gap is scalar:bool (150%)",
    );
    expect(p.warning?.hint).toBe(
      "Its points do not mean the same on every runtime. Make the basket hold programs like it ('merg-e basket fit --corpus DIR'), blend prices (\"portability\" in basket.json), or raise \"warnSpread\" in basket.json.",
    );
  });

  it('a spread exactly at warnSpread is not unlike the basket', () => {
    // 9 dag_nodes + 25 bools: a 16.875 + 3.125 = 20 pts, b 11.25 + 18.75 = 30 pts: spread exactly 1.5, the default warnSpread.
    const p = runPortability('f.merge', result('a', counts(9, 25)), [A, B]);
    expect(p.points).toEqual([{ profile: 'a', mp: 20000 }, { profile: 'b', mp: 30000 }]);
    expect([p.spread, p.unlikeBasket, p.warning]).toEqual([1.5, false, null]);
  });

  it('without a gap: spread 1 over two profiles that cost the same (> 0), null under one profile or at 0 points', () => {
    // 1 dag_node + 1 bool is the basket itself: 2 points under every profile.
    const same = runPortability('f.merge', result('a', counts(1, 1)), [A, B]);
    expect([same.points.map((x) => x.mp), same.spread, same.breakdown]).toEqual([[2000, 2000], 1, null]);
    const one = runPortability('f.merge', result('a', counts(1, 1)), [A]);
    expect([one.points.map((x) => x.mp), one.spread]).toEqual([[2000], null]);
    const nothing = runPortability('f.merge', result('a', counts(0, 0)), [A, B]);
    expect([nothing.points.map((x) => x.mp), nothing.spread]).toEqual([[0, 0], null]);
  });
});

describe('comparePortability: each profile its own run', () => {
  it('points are the runs\' own milli-points, not re-priced from their counts; equal points are spread 1, one at 0 is no spread', () => {
    const none = counts(0, 0);
    const equal = comparePortability('f.merge', [ran(A, result('a', none), 5000), ran(B, result('b', none), 5000)]);
    expect([equal.points, equal.spread, equal.breakdown]).toEqual([[{ profile: 'a', mp: 5000 }, { profile: 'b', mp: 5000 }], 1, null]);
    const zero = comparePortability('f.merge', [ran(A, result('a', none), 0), ran(B, result('b', none), 5000)]);
    expect([zero.points.map((x) => x.mp), zero.spread, zero.breakdown]).toEqual([[0, 5000], null, null]);
  });

  it('leaves out a profile that could not be used (its row, its outcome and its points)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'merg-e-portability-'));
    try {
      writeFileSync(join(dir, 'bad.json'), '{}');
      const runs = compareProfiles({ file: join(EXAMPLES_DIR, 'profile-endings.merge') }, ['v8-measured', join(dir, 'bad.json')]);
      expect(runs.map((r) => [r.profile, r.ran])).toEqual([['v8-measured', true], ['bad', false]]);
      const p = comparePortability('profile-endings.merge', runs);
      expect(p.points.map((x) => x.profile)).toEqual(['v8-measured']);
      expect(p.outcomes.map((o) => [o.profile, o.ending])).toEqual([['v8-measured', 'ran to the end']]);
      expect([p.differences, p.spread]).toEqual([[], null]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('one run: its outcome, no differences', () => {
    const p = comparePortability('f.merge', [ran(A, result('a', counts(1, 1)), 2000)]);
    expect(p.outcomes).toEqual([{ profile: 'a', ok: true, ending: 'ran to the end', dataframes: [] }]);
    expect([p.differences, p.outcomesDiffer]).toEqual([[], false]);
  });
});

describe('comparePortability: how runs under different profiles differ', () => {
  const c = counts(1, 1);
  const diffs = (x: RunResult, y: RunResult) => comparePortability('f.merge', [ran(A, x), ran(B, y)]).differences;

  it('runs that agree (same ending, rows and entities) have no differences', () => {
    const df = [{ name: 'log', rows: 2 }];
    expect(diffs(result('a', c, { dataframes: df }), result('b', c, { dataframes: df }))).toEqual([]);
  });

  it('other endings alone: each profile\'s ending', () => {
    const stop = runError({ name: 'range_error', line: 4 });
    expect(diffs(result('a', c, { error: stop }), result('b', c))).toEqual(['a: stopped at line 4: range_error', 'b: ran to the end']);
  });

  it('other row counts: the rows each profile kept (1 row, 2 rows), and only for the dataframes that differ', () => {
    const x = result('a', c, { dataframes: [{ name: 'd.log', rows: 1 }, { name: 'd.same', rows: 3 }] });
    const y = result('b', c, { dataframes: [{ name: 'd.log', rows: 2 }, { name: 'd.same', rows: 3 }] });
    expect(diffs(x, y)).toEqual(['a: ran to the end; d.log kept 1 row', 'b: ran to the end; d.log kept 2 rows']);
  });

  it('a dataframe that exists under one profile only (with 1 row under the other)', () => {
    const x = result('a', c, { dataframes: [{ name: 'd.log', rows: 1 }] });
    const y = result('b', c, { error: runError({ name: 'quota_error', line: 2, membrane: 'd', requested: 3 }) });
    expect(diffs(x, y)).toEqual(['a: ran to the end; d.log kept 1 row', "b: stopped at line 2: quota_error (membrane 'd' refused 3 points); d.log does not exist"]);
  });

  it('the same endings and rows but other entities', () => {
    expect(diffs(result('a', counts(1, 1)), result('b', counts(1, 2)))).toEqual([
      'a: ran to the end; allocated other entities than under another profile',
      'b: ran to the end; allocated other entities than under another profile',
    ]);
  });

  it('three runs: the third allocating other entities than the first is a difference', () => {
    const runs = [ran(A, result('a', c)), ran(B, result('b', c)), ran(A, result('a2', counts(2, 1)))];
    expect(comparePortability('f.merge', runs).differences).toHaveLength(3);
  });
});

describe('topParts', () => {
  const breakdown = (parts: [string, number][]): SpreadBreakdown => ({
    hi: 'b',
    lo: 'a',
    hiMp: 2000,
    loMp: 1000,
    spread: 2,
    parts: parts.map(([kind, share]) => ({ kind, share, hiPoints: 0, loPoints: 0 })),
  });

  it('the largest positive shares first, whole percent from 10%, one decimal below', () => {
    const b = breakdown([['row', 0.05], ['string', -0.2], ['dag_node', 0.1], ['scope', 0], ['string_byte', 0.6], ['scalar:bool', 0.45]]);
    expect(topParts(b)).toBe('string_byte (60%) and scalar:bool (45%)');
    expect(topParts(b, 6)).toBe('string_byte (60%) and scalar:bool (45%) and dag_node (10%) and row (5.0%)');
  });

  it('a part just under 10% keeps one decimal', () => {
    expect(topParts(breakdown([['dag_node', 0.953], ['row', 0.047]]), 3)).toBe('dag_node (95%) and row (4.7%)');
  });
});

describe('the profiles a run is priced under', () => {
  const b = standardBasket();
  const userDir = userProfilesDir();
  beforeAll(() => {
    mkdirSync(userDir, { recursive: true });
    writeFileSync(join(userDir, 'broken.json'), '{ not json');
  });
  afterAll(() => rmSync(join(userDir, 'broken.json'), { force: true }));

  it('usableProfiles leaves out a user profile that cannot be read (a MergeError)', () => {
    expect(usableProfiles(b).map((p) => p.name)).toEqual(SHIPPED);
  });

  it('an error that is not a MergeError is not taken for an unusable profile: it propagates', () => {
    // A fractional count of extras cannot be made a BigInt: a RangeError, a bug, not a profile problem.
    const odd: BasketInUse = { basket: b.basket, counts: { byKind: new Map([['dag_node', 1]]), stringBytes: 0, extras: new Map([['quota', new Map([['dag_node', 0.5]])]]) } };
    expect(() => usableProfiles(odd)).toThrow(RangeError);
    expect(() => usableProfiles(odd)).not.toThrow(MergeError);
  });

  it('catalogPricings: every usable profile, sorted by name; the own pricing stands for its namesake or is added in order', () => {
    expect(catalogPricings(b).map((p) => p.profile.name)).toEqual(SHIPPED);
    const ownJvm = Pricing.fromCounts(jvm, b.counts);
    const withJvm = catalogPricings(b, ownJvm);
    expect(withJvm.map((p) => p.profile.name)).toEqual(SHIPPED);
    expect(withJvm[1]).toBe(ownJvm);
    const early = Pricing.fromCounts({ ...jvm, name: 'aaa' }, b.counts);
    const late = Pricing.fromCounts({ ...jvm, name: 'zzz' }, b.counts);
    expect(catalogPricings(b, early).map((p) => p.profile.name)).toEqual(['aaa', ...SHIPPED]);
    expect(catalogPricings(b, late).map((p) => p.profile.name)).toEqual([...SHIPPED, 'zzz']);
  });
});
