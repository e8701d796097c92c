// What the world has allocated (every entity, metered or not) and the usage report shapes.
import { bump, K_STRING, kindMap } from './kinds.js';
import type { Membrane } from './membrane.js';
import { bytesOf, type EntityCounts } from './rampoints.js';
import type { RuntimeProfile } from './profile.js';

/** Live allocations of the whole run, by entity kind id, with the extras they paid per membrane kind. */
export class Tally {
  readonly count: number[] = [];
  readonly mp: number[] = [];
  stringBytes = 0;
  /** Entities added through quota / copy-on-mutate membranes (one per membrane on the chain). */
  readonly extraQ: number[] = [];
  readonly extraC: number[] = [];
  extraQStringBytes = 0;
  extraCStringBytes = 0;
  totalMp = 0;
  /** @internal The highest totalMp reached (see Membrane.peak). */
  peakMp = 0;

  /** Live strings by UTF-8 length: [how many, Σ quota membranes, Σ copy-on-mutate membranes on their chains]. */
  private readonly strings = new Map<number, [number, number, number]>();

  /**
   * `n` entities of kind `kid` (negative: released) worth `mp`, through `q`/`c` membranes. Strings also
   * say their bytes (`sbytes`, signed like `n`) and, when more than one, each one's length (`lens`):
   * a string's price is rounded per string, so pricing a run's counts under another profile exactly
   * needs how many strings of each length it holds.
   */
  add(kid: number, n: number, mp: number, q: number, c: number, sbytes: number, lens?: readonly number[]): void {
    if (kid === K_STRING && n !== 0) this.addStrings(n, q, c, sbytes, lens);
    bump(this.count, kid, n);
    bump(this.mp, kid, mp);
    this.totalMp += mp;
    this.peakMp = Math.max(this.peakMp, this.totalMp);
    this.stringBytes += sbytes;
    bump(this.extraQ, kid, q * n);
    this.extraQStringBytes += q * sbytes;
    bump(this.extraC, kid, c * n);
    this.extraCStringBytes += c * sbytes;
  }

  private addStrings(n: number, q: number, c: number, sbytes: number, lens: readonly number[] | undefined): void {
    const sign = Math.sign(n);
    if (lens === undefined) {
      if (n !== 1 && n !== -1) throw new Error('Tally: strings tallied in bulk without their lengths');
      this.addString(Math.abs(sbytes), sign, q, c);
      return;
    }
    if (lens.length !== Math.abs(n)) throw new Error(`Tally: ${Math.abs(n)} strings tallied with ${lens.length} lengths`);
    for (const len of lens) this.addString(len, sign, q, c);
  }

  private addString(len: number, sign: number, q: number, c: number): void {
    let e = this.strings.get(len);
    if (e === undefined) {
      e = [0, 0, 0];
      this.strings.set(len, e);
    }
    e[0] += sign;
    e[1] += sign * q;
    e[2] += sign * c;
    if (e[0] === 0) this.strings.delete(len);
  }

  counts(): EntityCounts {
    return {
      byKind: kindMap(this.count),
      stringBytes: this.stringBytes,
      strings: new Map([...this.strings].sort(([a], [b]) => a - b).map(([len, e]) => [len, [e[0], e[1], e[2]] as const])),
      extras: new Map([
        ['quota', kindMap(this.extraQ)],
        ['copy_on_mutate', kindMap(this.extraC)],
      ]),
      extraStringBytes: new Map([
        ['quota', this.extraQStringBytes],
        ['copy_on_mutate', this.extraCStringBytes],
      ]),
    };
  }
}

export interface KindUsage {
  readonly kind: string;
  readonly count: number;
  /** Milli-points. */
  readonly mp: number;
}

function byKind(count: readonly number[], mp: readonly number[]): KindUsage[] {
  const counts = kindMap(count);
  const mps = kindMap(mp);
  const kinds = [...new Set([...counts.keys(), ...mps.keys()])].sort();
  return kinds.map((kind) => ({ kind, count: counts.get(kind) ?? 0, mp: mps.get(kind) ?? 0 }));
}

/** One membrane in a usage report. All amounts are integer milli-points (see formatPoints). */
export interface MembraneUsage {
  readonly id: number;
  readonly name: string;
  readonly kind: 'quota' | 'copy_on_mutate';
  /** Name of the membrane it was created over (any kind), or null. */
  readonly parent: string | null;
  readonly depth: number;
  readonly pool: number;
  readonly total: number;
  readonly direct: number;
  readonly overcommit: number;
  readonly directUsed: number;
  readonly belowUsed: number;
  /** Sum of the totals of the quota membranes stacked inside it (§6's pool use). */
  readonly childTotals: number;
  readonly closed: boolean;
  /** Its direct allocations by entity kind. */
  readonly byKind: readonly KindUsage[];
  readonly children: readonly MembraneUsage[];
}

export interface RunTotals {
  readonly profile: string;
  /** Milli-points of every live allocation (metered or not). */
  readonly mp: number;
  readonly entities: number;
  readonly byKind: readonly KindUsage[];
  readonly stringBytes: number;
  /** The same allocations in bytes under the active profile (extras included). */
  readonly bytes: bigint;
}

export interface UsageReport {
  /** The membrane tree (roots first, children nested). */
  readonly membranes: readonly MembraneUsage[];
  /** The same membranes flattened in pre-order (parents before children). */
  readonly flat: readonly MembraneUsage[];
  readonly totals: RunTotals;
}

export function membraneUsage(m: Membrane, depth: number): MembraneUsage {
  return {
    id: m.id,
    name: m.name,
    kind: m.kind,
    parent: m.parent?.name ?? null,
    depth,
    pool: m.pool,
    total: m.total,
    direct: m.direct,
    overcommit: m.overcommit,
    directUsed: m.directUsed,
    belowUsed: m.belowUsed,
    childTotals: m.childTotals,
    closed: m.closed,
    byKind: byKind(m.directCount, m.directMp),
    children: m.children.filter((c) => !c.closed).map((c) => membraneUsage(c, depth + 1)),
  };
}

export function flatten(ms: readonly MembraneUsage[]): MembraneUsage[] {
  return ms.flatMap((m) => [m, ...flatten(m.children)]);
}

export function runTotals(t: Tally, profile: RuntimeProfile): RunTotals {
  return {
    profile: profile.name,
    mp: t.totalMp,
    entities: t.count.reduce((a, b) => a + b, 0),
    byKind: byKind(t.count, t.mp),
    stringBytes: t.stringBytes,
    bytes: bytesOf(profile, t.counts()),
  };
}
