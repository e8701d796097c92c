// PaymentGroups (groups.ts): payments summed per (payer, quota count, copy-on-mutate count), with
// per-kind tallies and each string's length; sums worked out by hand.
import { describe, expect, it } from 'vitest';

import { PaymentGroups, type PaymentGroup } from '../../src/model/groups.js';
import { K_DAG_NODE, K_STRING } from '../../src/model/kinds.js';

/** Every group as (by, q, c, mp, stringBytes, stringLens, count and mp of dag_node and string). */
function groups(g: PaymentGroups) {
  return [...g.values()].map((x: PaymentGroup) => ({
    key: [x.by, x.q, x.c],
    mp: x.mp,
    stringBytes: x.stringBytes,
    stringLens: x.stringLens,
    dag: [x.count[K_DAG_NODE] ?? 0, x.kmp[K_DAG_NODE] ?? 0],
    str: [x.count[K_STRING] ?? 0, x.kmp[K_STRING] ?? 0],
  }));
}

describe('PaymentGroups', () => {
  it('keeps payments that differ only in payer, only in q or only in c apart, also when they alternate', () => {
    const g = new PaymentGroups();
    g.add(1, 0, 0, K_DAG_NODE, 100, 0);
    g.add(2, 0, 0, K_DAG_NODE, 200, 0);
    g.add(2, 1, 0, K_DAG_NODE, 300, 0);
    g.add(2, 1, 1, K_DAG_NODE, 400, 0);
    g.add(1, 0, 0, K_DAG_NODE, 1000, 0);
    g.add(2, 1, 1, K_DAG_NODE, 4000, 0);
    g.add(2, 0, 0, K_DAG_NODE, 2000, 0);
    expect(groups(g)).toEqual([
      { key: [1, 0, 0], mp: 1100, stringBytes: 0, stringLens: [], dag: [2, 1100], str: [0, 0] },
      { key: [2, 0, 0], mp: 2200, stringBytes: 0, stringLens: [], dag: [2, 2200], str: [0, 0] },
      { key: [2, 1, 0], mp: 300, stringBytes: 0, stringLens: [], dag: [1, 300], str: [0, 0] },
      { key: [2, 1, 1], mp: 4400, stringBytes: 0, stringLens: [], dag: [2, 4400], str: [0, 0] },
    ]);
  });

  it('keeps an unpaid payer (-1) with one quota membrane apart from payer 127 with none', () => {
    const g = new PaymentGroups();
    g.add(127, 0, 0, K_DAG_NODE, 5, 0);
    g.add(-1, 1, 0, K_DAG_NODE, 7, 0);
    g.add(127, 0, 0, K_DAG_NODE, 11, 0);
    expect(groups(g).map((x) => [x.key, x.mp])).toEqual([
      [[127, 0, 0], 16],
      [[-1, 1, 0], 7],
    ]);
  });

  it('keeps payments apart through chains of 128 membranes or more', () => {
    const g = new PaymentGroups();
    g.add(1, 129, 0, K_DAG_NODE, 1, 0);
    g.add(2, 1, 0, K_DAG_NODE, 2, 0);
    g.add(1, 129, 0, K_DAG_NODE, 4, 0);
    g.add(5, 1, 128, K_DAG_NODE, 8, 0);
    g.add(5, 2, 0, K_DAG_NODE, 16, 0);
    g.add(5, 1, 128, K_DAG_NODE, 32, 0);
    expect(groups(g).map((x) => [x.key, x.mp])).toEqual([
      [[1, 129, 0], 5],
      [[2, 1, 0], 2],
      [[5, 1, 128], 40],
      [[5, 2, 0], 16],
    ]);
  });

  it('splits n strings of one payment into n equal lengths', () => {
    const g = new PaymentGroups();
    g.add(3, 1, 0, K_STRING, 900, 12, 3);
    g.add(3, 1, 0, K_STRING, 250, 5);
    g.add(3, 1, 0, K_DAG_NODE, 40, 0, 2);
    expect(groups(g)).toEqual([{ key: [3, 1, 0], mp: 1190, stringBytes: 17, stringLens: [4, 4, 4, 5], dag: [2, 40], str: [4, 1150] }]);
  });
});
