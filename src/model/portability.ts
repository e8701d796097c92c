// Portability (quota.md §9): a run's points under any profile from its profile-independent counts,
// and the breakdown of a spread — which kinds make the gap between the dearest and the cheapest
// profile. Points are exact integer milli-points; shares are floats (ratios shown to users).
import { fullCounts } from './counts.js';
import { kindId, MEMBRANE_KINDS, type MembraneKind } from './kinds.js';
import type { EntityCounts, Pricing } from './rampoints.js';

/**
 * The milli-points a run that allocated `counts` reports under `pricing`: every price rounded as
 * the charges round it, so this equals the run's own total when the counts carry their strings'
 * lengths (a run's do); without them strings are priced in bulk (within half a milli-point per string).
 */
export function pointsOfCounts(pricing: Pricing, counts: EntityCounts): number {
  let mp = 0;
  for (const [k, n] of counts.byKind) if (k !== 'string') mp += n * pricing.kindPrice(kindId(k));
  for (const m of MEMBRANE_KINDS) {
    for (const [k, n] of counts.extras?.get(m) ?? []) if (k !== 'string') mp += n * pricing.extraPrice(m, kindId(k));
  }
  const strings = counts.strings;
  if (strings !== undefined) {
    for (const [len, [n, q, c]] of strings) {
      mp += n * pricing.stringPart(len) + q * pricing.stringPart(len, 'quota') + c * pricing.stringPart(len, 'copy_on_mutate');
    }
  } else {
    mp += pricing.stringsInBulk(counts.byKind.get('string') ?? 0, counts.stringBytes);
    for (const m of MEMBRANE_KINDS) mp += pricing.stringsInBulk(counts.extras?.get(m)?.get('string') ?? 0, counts.extraStringBytes?.get(m) ?? 0, m);
  }
  return mp;
}

/** The name of the part a membrane kind's extras make in a breakdown. */
export function extrasPart(m: MembraneKind): string {
  return `extras:membrane:${m}`;
}

/**
 * The unrounded points of each part of `counts` under `pricing`: each entity kind (a string's own
 * entity as `string`, its bytes as `string_byte`) and, per membrane kind, all the extras paid through
 * it (`extras:membrane:quota`, `extras:membrane:copy_on_mutate`).
 */
export function pointParts(pricing: Pricing, counts: EntityCounts): Map<string, number> {
  const out = new Map<string, number>();
  const add = (k: string, v: number) => out.set(k, (out.get(k) ?? 0) + v);
  const c = fullCounts(counts);
  for (const [k, n] of c.byKind) add(k, n * pricing.exactPoints(k));
  if (c.stringBytes > 0) add('string_byte', c.stringBytes * pricing.exactPoints('string_byte'));
  for (const m of MEMBRANE_KINDS) {
    let v = 0;
    for (const [k, n] of c.extras.get(m) as ReadonlyMap<string, number>) v += n * pricing.exactPoints(k, m);
    v += (c.extraStringBytes.get(m) as number) * pricing.exactPoints('string_byte', m);
    if (v !== 0) add(extrasPart(m), v);
  }
  return out;
}

/** What one part contributes to the gap between the dearest and the cheapest profile. */
export interface BreakdownPart {
  /** An entity kind, `string_byte`, or `extras:membrane:<kind>`. */
  readonly kind: string;
  /** Its share of the gap; all shares sum to 1 (a part can have a negative share). */
  readonly share: number;
  /** Its unrounded points under the dearest and under the cheapest profile. */
  readonly hiPoints: number;
  readonly loPoints: number;
}

/** The breakdown of a spread (quota.md §9): the gap between `hi` and `lo`, split by part, largest share (by size) first. */
export interface SpreadBreakdown {
  /** The profiles with the most and the fewest points. */
  readonly hi: string;
  readonly lo: string;
  /** Their milli-points (as charged) and the spread hi / lo. */
  readonly hiMp: number;
  readonly loMp: number;
  readonly spread: number;
  readonly parts: readonly BreakdownPart[];
}

/** One profile's side of a spread: its pricing and the counts of the run under it. */
export interface PricedCounts {
  readonly profile: string;
  readonly pricing: Pricing;
  readonly counts: EntityCounts;
  /** The run's milli-points (default: pointsOfCounts). */
  readonly mp?: number;
}

/**
 * Splits the gap between the profile with the most points and the one with the fewest into what
 * each part contributes (its points under `hi` minus under `lo`, over the whole gap). Null when there
 * are fewer than two profiles or no gap (every profile costs the same, or the cheapest costs 0).
 */
export function spreadBreakdown(rows: readonly PricedCounts[]): SpreadBreakdown | null {
  if (rows.length < 2) return null;
  const priced = rows.map((r) => ({ r, mp: r.mp ?? pointsOfCounts(r.pricing, r.counts) }));
  let hi = priced[0] as (typeof priced)[number];
  let lo = hi;
  for (const p of priced) {
    if (p.mp > hi.mp) hi = p;
    if (p.mp < lo.mp) lo = p;
  }
  // Equal milli-points leave hi and lo the same row, whose gap (below) is 0.
  if (lo.mp <= 0) return null;
  const a = pointParts(hi.r.pricing, hi.r.counts);
  const b = pointParts(lo.r.pricing, lo.r.counts);
  const kinds = [...new Set([...a.keys(), ...b.keys()])];
  let gap = 0;
  for (const k of kinds) gap += (a.get(k) ?? 0) - (b.get(k) ?? 0);
  if (!(gap > 0)) return null;
  const parts = kinds
    .map((kind) => ({ kind, hiPoints: a.get(kind) ?? 0, loPoints: b.get(kind) ?? 0, share: ((a.get(kind) ?? 0) - (b.get(kind) ?? 0)) / gap }))
    .filter((p) => p.hiPoints !== 0 || p.loPoints !== 0)
    .sort((x, y) => Math.abs(y.share) - Math.abs(x.share) || (x.kind < y.kind ? -1 : 1));
  return { hi: hi.r.profile, lo: lo.r.profile, hiMp: hi.mp, loMp: lo.mp, spread: hi.mp / lo.mp, parts };
}
