// Payments summed by (payer, chain signature, kind): a graft of a large sub-DAG releases and charges
// a handful of group totals instead of one counter update per node.

import { K_STRING } from './kinds.js';

export interface PaymentGroup {
  readonly by: number;
  readonly q: number;
  readonly c: number;
  /** Milli-points of the whole group. */
  mp: number;
  /** Per kind id: how many entities and their milli-points. */
  readonly count: number[];
  readonly kmp: number[];
  stringBytes: number;
  /** Each string's UTF-8 length. */
  readonly stringLens: number[];
}

export class PaymentGroups {
  private readonly groups = new Map<string, PaymentGroup>();
  private last: PaymentGroup | null = null;

  add(by: number, q: number, c: number, kid: number, mp: number, sbytes: number, n = 1): void {
    let g = this.last;
    if (g === null || g.by !== by || g.q !== q || g.c !== c) {
      // A text key: a number packing q and c into 7 bits each mixed up chains of 128 or more membranes
      // (payer 1 through 129 quota membranes and payer 2 through 1 had one key). Reached only when the
      // group changes, so its cost does not matter.
      const key = `${by} ${q} ${c}`;
      g = this.groups.get(key) ?? null;
      if (g === null) {
        g = { by, q, c, mp: 0, count: [], kmp: [], stringBytes: 0, stringLens: [] };
        this.groups.set(key, g);
      }
      this.last = g;
    }
    g.mp += mp;
    while (g.count.length <= kid) {
      g.count.push(0);
      g.kmp.push(0);
    }
    g.count[kid] = (g.count[kid] as number) + n;
    g.kmp[kid] = (g.kmp[kid] as number) + mp;
    g.stringBytes += sbytes;
    if (kid === K_STRING) for (let i = 0; i < n; i++) g.stringLens.push(sbytes / n);
  }

  values(): IterableIterator<PaymentGroup> {
    return this.groups.values();
  }
}
