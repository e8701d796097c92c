// RAM-points (quota.md §1, §4): basket normalization in exact integer milli-points.
// One RAM-point of profile p is bytes_p / N bytes; an entity of b bytes costs b·N/bytes_p points,
// rounded once, half to even, to whole milli-points. Charges only ever add those integers.
import { fail } from '../diagnostics.js';
import { isEntityKind, kindId, kindName, MEMBRANE_KINDS, type MembraneKind } from './kinds.js';
import { extraBytes, profileBytes, type RuntimeProfile } from './profile.js';

/** Milli-points per RAM-point. */
export const MP = 1000;

/**
 * What a set of programs allocated, independent of any profile: entities per kind, string bytes, and
 * how many of them were added through each membrane kind (they pay that membrane's extras).
 */
export interface EntityCounts {
  readonly byKind: ReadonlyMap<string, number>;
  readonly stringBytes: number;
  readonly extras?: ReadonlyMap<MembraneKind, ReadonlyMap<string, number>>;
  readonly extraStringBytes?: ReadonlyMap<MembraneKind, number>;
  /**
   * Strings by UTF-8 length: [how many, Σ quota membranes, Σ copy-on-mutate membranes on their
   * chains]. A run's counts have it (a string's price is rounded per string, so pricing the counts
   * under another profile is exact only with it); a basket's do not need it.
   */
  readonly strings?: ReadonlyMap<number, readonly [number, number, number]>;
}

/** num/den rounded to the nearest integer, ties to even (den > 0). */
export function roundHalfEven(num: bigint, den: bigint): bigint {
  if (den <= 0n) throw new Error('roundHalfEven: denominator must be positive');
  let q = num / den;
  let r = num % den;
  if (r < 0n) {
    q -= 1n;
    r += den;
  }
  const twice = 2n * r;
  if (twice > den || (twice === den && q % 2n !== 0n)) q += 1n;
  return q;
}

/** Bytes of a set of counts under a profile: Σ c_k·b(k) + s·b(string_byte) + membrane extras. */
export function bytesOf(p: RuntimeProfile, counts: EntityCounts): bigint {
  let total = BigInt(counts.stringBytes) * BigInt(profileBytes(p, 'string_byte'));
  for (const [k, c] of counts.byKind) total += BigInt(c) * BigInt(profileBytes(p, k));
  for (const m of MEMBRANE_KINDS) {
    for (const [k, c] of counts.extras?.get(m) ?? []) total += BigInt(c) * BigInt(extraBytes(p, m, k));
    total += BigInt(counts.extraStringBytes?.get(m) ?? 0) * BigInt(extraBytes(p, m, 'string_byte'));
  }
  return total;
}

/** Points (a decimal string with up to three decimals) for milli-points: 12345 → "12.345", 40000 → "40". */
export function formatPoints(mp: number | bigint): string {
  const v = BigInt(mp);
  const neg = v < 0n;
  const a = neg ? -v : v;
  const whole = a / 1000n;
  const frac = (a % 1000n).toString().padStart(3, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
}

/** Milli-points as a JS number of points (for JSON output; exact to three decimals). */
export function mpToPoints(mp: number): number {
  return Number(formatPoints(mp));
}

/** Whole points (bigint or number, as the parser gives them) to milli-points; refuses non-integers. */
export function pointsToMp(points: bigint | number): number {
  const mp = BigInt(points) * 1000n;
  if (mp > BigInt(Number.MAX_SAFE_INTEGER)) return Number.MAX_SAFE_INTEGER;
  if (mp < -BigInt(Number.MAX_SAFE_INTEGER)) return -Number.MAX_SAFE_INTEGER;
  return Number(mp);
}

/** Weights of a blended pricing are effective bytes in units of 1/BLEND_UNIT byte (an exact integer). */
export const BLEND_UNIT = 65536;

/** The quota.md §9 blend: 0 ≤ lambda ≤ 1 toward the geometric mean of the reference profiles' prices. */
export interface Blend {
  readonly lambda: number;
  /** The profiles in use: the geometric mean of a kind's price is taken over these. */
  readonly reference: readonly RuntimeProfile[];
}

/** What a Pricing is made of, as plain data (a vectorize worker rebuilds it from this). */
export interface PricingSpec {
  readonly profile: RuntimeProfile;
  readonly counts: EntityCounts;
  readonly blend?: Blend;
}

/** Σ c_k and the §4 checks on a basket's counts (MRG4020). */
function basketEntities(counts: EntityCounts): bigint {
  let n = 0n;
  for (const [k, c] of counts.byKind) {
    if (!isEntityKind(k)) fail('MRG4020', `the basket counts an unknown entity kind '${k}'`);
    if (!Number.isSafeInteger(c) || c < 0) fail('MRG4020', `basket count for '${k}' must be a non-negative integer, got ${c}`);
    n += BigInt(c);
  }
  if (!Number.isSafeInteger(counts.stringBytes) || counts.stringBytes < 0) {
    fail('MRG4020', `basket string bytes must be a non-negative integer, got ${counts.stringBytes}`);
  }
  if (n === 0n) fail('MRG4020', 'the basket allocates no entities (N = 0); a RAM-point is undefined');
  return n;
}

/** bytes_p of a basket (extras included, quota.md §4 step 2); MRG4051 naming the profile when it is 0. */
function basketBytes(profile: RuntimeProfile, counts: EntityCounts): bigint {
  const b = bytesOf(profile, counts);
  if (b === 0n) {
    fail(
      'MRG4051',
      `runtime profile '${profile.name}'${profile.file ? ` (${profile.file})` : ''} gives every kind the basket holds 0 bytes, so one of its RAM-points would be 0 bytes and every price infinite`,
      undefined,
      'Give the profile the real byte counts of its runtime (at least the kinds the basket allocates must be above 0).',
    );
  }
  return b;
}

/** Effective bytes of one entity (or string byte) of a kind; `m` set: its extra through that membrane kind. */
type WeightOf = (kind: string, m?: MembraneKind) => number;

/**
 * quota.md §9: with o_p(k) = b_p(k)·N/bytes_p and c(k) their geometric mean over the reference
 * profiles, the blended price is proportional to (1 − λ)·o_p(k) + λ·c(k); in bytes of p that is
 * e_p(k) = (1 − λ)·b_p(k) + λ·bytes_p·G(k), G(k) = geomean_q(b_q(k)/bytes_q). Weights are e_p(k) in
 * 1/BLEND_UNIT bytes, rounded to integers, so the rest of the arithmetic stays exact; at λ = 0 they
 * are exactly b_p(k)·BLEND_UNIT.
 */
function blendedWeights(profile: RuntimeProfile, bytesP: bigint, counts: EntityCounts, blend: Blend): WeightOf {
  const refBytes = blend.reference.map((q) => Number(basketBytes(q, counts)));
  const lambda = blend.lambda;
  const own = Number(bytesP);
  const cache = new Map<string, number>();
  return (kind, m) => {
    const key = m === undefined ? kind : `${m}|${kind}`;
    let w = cache.get(key);
    if (w === undefined) {
      const b = (p: RuntimeProfile) => (m === undefined ? profileBytes(p, kind) : extraBytes(p, m, kind));
      // A reference profile that holds the kind in 0 bytes makes the log sum −∞ and the mean 0.
      let logSum = 0;
      blend.reference.forEach((q, i) => {
        logSum += Math.log(b(q) / (refBytes[i] as number));
      });
      const g = blend.reference.length === 0 ? 0 : Math.exp(logSum / blend.reference.length);
      w = Math.round(BLEND_UNIT * ((1 - lambda) * b(profile) + lambda * own * g));
      cache.set(key, w);
    }
    return w;
  };
}

/** Σ over the counts of count × weight: the denominator the prices are normalized by. */
function weightTotal(counts: EntityCounts, weight: WeightOf): bigint {
  let total = BigInt(counts.stringBytes) * BigInt(weight('string_byte'));
  for (const [k, c] of counts.byKind) total += BigInt(c) * BigInt(weight(k));
  for (const m of MEMBRANE_KINDS) {
    for (const [k, c] of counts.extras?.get(m) ?? []) total += BigInt(c) * BigInt(weight(k, m));
    total += BigInt(counts.extraStringBytes?.get(m) ?? 0) * BigInt(weight('string_byte', m));
  }
  return total;
}

/**
 * The prices of one profile normalized over one basket's counts. Prices are cached per kind; the
 * hot paths (`price`, `stringPrice`) are plain number arithmetic, exact while products stay below
 * 2^53 and falling back to bigint above.
 *
 * A price is an entity's *weight* times N / (the basket's total weight), rounded once, half to even,
 * to milli-points. Without a blend a weight is the entity's bytes and the total is bytes_p (quota.md
 * §4); with one (§9) weights are blended effective bytes.
 */
export class Pricing {
  /** N: entities in the basket. */
  readonly entities: bigint;
  /** bytes_p of the basket, membrane extras included (quota.md §4 step 2). */
  readonly bytes: bigint;
  /** λ of the blend (0: the seed's normalization). */
  readonly lambda: number;
  /** The basket's total weight: bytes_p without a blend. */
  private readonly total: bigint;
  private readonly weight: WeightOf;
  private readonly scaleN: number;
  private readonly denom: number;
  private readonly base: number[] = [];
  private readonly extra: [number[], number[]] = [[], []];
  private readonly sBase: number;
  private readonly sByte: number;
  private readonly sExtra: [number, number];
  private readonly sByteExtra: [number, number];

  private constructor(
    readonly profile: RuntimeProfile,
    readonly counts: EntityCounts,
    readonly blend: Blend | undefined,
  ) {
    const n = basketEntities(counts);
    const b = basketBytes(profile, counts);
    this.entities = n;
    this.bytes = b;
    this.lambda = blend?.lambda ?? 0;
    if (blend !== undefined && !(blend.lambda >= 0 && blend.lambda <= 1)) fail('MRG4020', `the portability blend must be between 0 and 1, got ${blend.lambda}`);
    this.weight = blend === undefined ? (k, m) => (m === undefined ? profileBytes(profile, k) : extraBytes(profile, m, k)) : blendedWeights(profile, b, counts, blend);
    this.total = blend === undefined ? b : weightTotal(counts, this.weight);
    if (this.total <= 0n) fail('MRG4051', `runtime profile '${profile.name}'${profile.file ? ` (${profile.file})` : ''}: the blended basket weighs nothing`);
    const scale = n * BigInt(MP);
    this.scaleN = scale <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(scale) : NaN;
    this.denom = this.total <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(this.total) : NaN;
    this.sBase = this.weight('string');
    this.sByte = this.weight('string_byte');
    this.sExtra = [this.weight('string', 'quota'), this.weight('string', 'copy_on_mutate')];
    this.sByteExtra = [this.weight('string_byte', 'quota'), this.weight('string_byte', 'copy_on_mutate')];
  }

  /** Normalizes `profile` over a basket's counts (quota.md §4). */
  static fromCounts(profile: RuntimeProfile, counts: EntityCounts): Pricing {
    return new Pricing(profile, counts, undefined);
  }

  /** Normalizes `profile` over a basket's counts with the portability blend of quota.md §9. */
  static blended(profile: RuntimeProfile, counts: EntityCounts, blend: Blend): Pricing {
    return new Pricing(profile, counts, blend);
  }

  /** Rebuilds a pricing from its spec (`spec()`), e.g. in another thread. */
  static fromSpec(spec: PricingSpec): Pricing {
    return new Pricing(spec.profile, spec.counts, spec.blend);
  }

  /** The plain data this pricing is made of. */
  spec(): PricingSpec {
    return this.blend === undefined ? { profile: this.profile, counts: this.counts } : { profile: this.profile, counts: this.counts, blend: this.blend };
  }

  /** A short text that differs whenever any price may differ (memo keys). */
  signature(): string {
    const ref = this.blend ? ` blend ${this.blend.lambda} ${this.blend.reference.map((p) => p.name).join(',')}` : '';
    return `${this.profile.name} ${this.entities} ${this.bytes} ${this.total}${ref}`;
  }

  /** Milli-points of weight `w` (bytes without a blend): round_half_even(w · N · 1000 / total). */
  mp(w: number): number {
    const num = w * this.scaleN;
    if (Number.isSafeInteger(num) && this.denom === this.denom) {
      // Exact: for integers below 2^53, the floor of their correctly rounded quotient is the
      // quotient's floor (the rounding error is below 1/d, the distance to the next integer).
      const d = this.denom;
      let q = Math.floor(num / d);
      const r = num - q * d;
      if (2 * r > d || (2 * r === d && q % 2 !== 0)) q += 1;
      return q;
    }
    return Number(roundHalfEven(BigInt(w) * this.entities * BigInt(MP), this.total));
  }

  /** Milli-points of a kind's weight (or an extra's, with `m`): what one entity of it adds. */
  mpOf(kind: string, m?: MembraneKind): number {
    return this.mp(this.weight(kind, m));
  }

  /** The unrounded points of one entity of a kind (or of its extra through `m`): for shares and ratios. */
  exactPoints(kind: string, m?: MembraneKind): number {
    return (this.weight(kind, m) * Number(this.entities)) / Number(this.total);
  }

  /** Milli-points of a string of `len` bytes (with `m`: its extra through one membrane of that kind). */
  stringPart(len: number, m?: MembraneKind): number {
    return this.mp(this.weight('string', m) + len * this.weight('string_byte', m));
  }

  /** Milli-points of `n` strings holding `bytes` bytes in all, rounded once (when their lengths are unknown). */
  stringsInBulk(n: number, bytes: number, m?: MembraneKind): number {
    const w = BigInt(n) * BigInt(this.weight('string', m)) + BigInt(bytes) * BigInt(this.weight('string_byte', m));
    return Number(roundHalfEven(w * this.entities * BigInt(MP), this.total));
  }

  /** Bytes in one RAM-point, as an exact fraction. */
  pointSize(): { bytes: bigint; entities: bigint } {
    return { bytes: this.bytes, entities: this.entities };
  }

  /** Milli-points of one entity of a kind (by id), without membrane extras. */
  kindPrice(id: number): number {
    let v = this.base[id];
    if (v === undefined) {
      v = this.base[id] = this.mp(this.weight(kindName(id)));
    }
    return v;
  }

  /** Milli-points one entity of a kind costs extra when added through a membrane of kind `m`. */
  extraPrice(m: MembraneKind, id: number): number {
    const arr = this.extra[m === 'quota' ? 0 : 1];
    let v = arr[id];
    if (v === undefined) {
      v = arr[id] = this.mp(this.weight(kindName(id), m));
    }
    return v;
  }

  /** An entity's price through a chain with `q` quota and `c` copy-on-mutate membranes. */
  price(id: number, q: number, c: number): number {
    let v = this.kindPrice(id);
    if (q !== 0) v += q * this.extraPrice('quota', id);
    if (c !== 0) v += c * this.extraPrice('copy_on_mutate', id);
    return v;
  }

  /** A string of `len` UTF-8 bytes through a chain with `q` quota and `c` copy-on-mutate membranes. */
  stringPrice(len: number, q: number, c: number): number {
    let v = this.mp(this.sBase + len * this.sByte);
    if (q !== 0) v += q * this.mp(this.sExtra[0] + len * this.sByteExtra[0]);
    if (c !== 0) v += c * this.mp(this.sExtra[1] + len * this.sByteExtra[1]);
    return v;
  }

  /** Price of a kind by name (convenience for reports and built-ins). */
  priceOfKind(kind: string, q = 0, c = 0): number {
    return this.price(kindId(kind), q, c);
  }
}
