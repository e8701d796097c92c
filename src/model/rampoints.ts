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

/**
 * The prices of one profile normalized over one basket's counts. Prices are cached per kind; the
 * hot paths (`price`, `stringPrice`) are plain number arithmetic, exact while products stay below
 * 2^53 and falling back to bigint above.
 */
export class Pricing {
  /** N: entities in the basket. */
  readonly entities: bigint;
  /** bytes_p of the basket. */
  readonly bytes: bigint;
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
  ) {
    let n = 0n;
    for (const [k, c] of counts.byKind) {
      if (!isEntityKind(k)) fail('MRG4020', `the basket counts an unknown entity kind '${k}'`);
      if (!Number.isSafeInteger(c) || c < 0) fail('MRG4020', `basket count for '${k}' must be a non-negative integer, got ${c}`);
      n += BigInt(c);
    }
    if (!Number.isSafeInteger(counts.stringBytes) || counts.stringBytes < 0) {
      fail('MRG4020', `basket string bytes must be a non-negative integer, got ${counts.stringBytes}`);
    }
    const b = bytesOf(profile, { byKind: counts.byKind, stringBytes: counts.stringBytes });
    if (n === 0n || b === 0n) fail('MRG4020', `the basket allocates no entities (N = ${n}, bytes = ${b}); a RAM-point is undefined`);
    this.entities = n;
    this.bytes = b;
    const scale = n * BigInt(MP);
    this.scaleN = scale <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(scale) : NaN;
    this.denom = b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : NaN;
    this.sBase = profileBytes(profile, 'string');
    this.sByte = profileBytes(profile, 'string_byte');
    this.sExtra = [extraBytes(profile, 'quota', 'string'), extraBytes(profile, 'copy_on_mutate', 'string')];
    this.sByteExtra = [extraBytes(profile, 'quota', 'string_byte'), extraBytes(profile, 'copy_on_mutate', 'string_byte')];
  }

  /** Normalizes `profile` over a basket's counts (quota.md §4). */
  static fromCounts(profile: RuntimeProfile, counts: EntityCounts): Pricing {
    return new Pricing(profile, counts);
  }

  /** Milli-points of `b` bytes: round_half_even(b · N · 1000 / bytes_p). */
  mp(b: number): number {
    const num = b * this.scaleN;
    if (Number.isSafeInteger(num) && this.denom === this.denom) {
      const d = this.denom;
      let q = Math.floor(num / d);
      let r = num - q * d;
      if (r < 0) {
        q -= 1;
        r += d;
      } else if (r >= d) {
        q += 1;
        r -= d;
      }
      if (2 * r > d || (2 * r === d && q % 2 !== 0)) q += 1;
      return q;
    }
    return Number(roundHalfEven(BigInt(b) * this.entities * BigInt(MP), this.bytes));
  }

  /** Bytes in one RAM-point, as an exact fraction. */
  pointSize(): { bytes: bigint; entities: bigint } {
    return { bytes: this.bytes, entities: this.entities };
  }

  /** Milli-points of one entity of a kind (by id), without membrane extras. */
  kindPrice(id: number): number {
    let v = this.base[id];
    if (v === undefined) {
      v = this.mp(profileBytes(this.profile, kindName(id)));
      this.cache(this.base, id, v);
    }
    return v;
  }

  /** Milli-points one entity of a kind costs extra when added through a membrane of kind `m`. */
  extraPrice(m: MembraneKind, id: number): number {
    const arr = this.extra[m === 'quota' ? 0 : 1];
    let v = arr[id];
    if (v === undefined) {
      v = this.mp(extraBytes(this.profile, m, kindName(id)));
      this.cache(arr, id, v);
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

  private cache(arr: number[], id: number, v: number): void {
    while (arr.length < id) arr.push(undefined as unknown as number);
    arr[id] = v;
  }
}
