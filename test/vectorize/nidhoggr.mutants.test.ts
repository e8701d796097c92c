// The sorting actorcito and Níðhöggr driven row by row with hand-picked outcomes and operation counts:
// what is appended and when, which failure wins, the step budget charged in input order (a row that
// lands exactly on the budget still fits), and every count worked out by hand.
import { describe, expect, it } from 'vitest';

import { diagnostic, MergeError } from '../../src/diagnostics.js';
import type { ScalarValue } from '../../src/model/index.js';
import { Nidhoggr, SortingActorcito } from '../../src/runtime/vectorize/nidhoggr.js';
import type { RowOutcome } from '../../src/runtime/vectorize/sandbox.js';

const ok = (x: number, ops: number): RowOutcome => ({ ok: true, values: [BigInt(x)], ops });
const quota = new MergeError(diagnostic('MRG3006', 'over quota'));
const raised = (ops: number): RowOutcome => ({ ok: false, error: quota, ops });
const fatal = (ops: number): RowOutcome => ({ ok: false, fatal: true, error: 'boom', ops });

function actorcito(n: number, budget?: number, refuse: (values: readonly ScalarValue[], i: number) => void = () => {}) {
  const nid = new Nidhoggr();
  const appended: [number, ScalarValue][] = [];
  const sorter = new SortingActorcito(
    n,
    (values, i) => {
      refuse(values, i);
      appended.push([i, values[0] as ScalarValue]);
    },
    nid,
    budget,
  );
  const counts = () => ({ kept: sorter.kept, delivered: sorter.delivered, discarded: sorter.discarded, abandoned: sorter.abandoned, totalOps: sorter.totalOps, countedOps: sorter.countedOps() });
  return { nid, sorter, appended, counts };
}

describe('SortingActorcito', () => {
  it('appends rows arriving in any order in input order, each as soon as the prefix before it is in', () => {
    const { nid, sorter, appended, counts } = actorcito(4);
    expect(counts()).toEqual({ kept: 0, delivered: 0, discarded: 0, abandoned: 4, totalOps: 0, countedOps: 0 });
    sorter.deliver(2, ok(20, 5));
    expect(appended).toEqual([]);
    sorter.deliver(0, ok(0, 3));
    expect(appended).toEqual([[0, 0n]]);
    sorter.deliver(3, ok(30, 7));
    expect(appended).toEqual([[0, 0n]]);
    sorter.deliver(1, ok(10, 2));
    expect(appended).toEqual([[0, 0n], [1, 10n], [2, 20n], [3, 30n]]);
    expect(counts()).toEqual({ kept: 4, delivered: 4, discarded: 0, abandoned: 0, totalOps: 17, countedOps: 17 });
    expect([sorter.failure, nid.stopped]).toEqual([null, false]);
  });

  it('midway, with no failure, counts the operations of the kept rows only (not of rows waiting past a gap)', () => {
    const { sorter, counts } = actorcito(4);
    sorter.deliver(0, ok(0, 5));
    sorter.deliver(2, ok(20, 7));
    expect(counts()).toEqual({ kept: 1, delivered: 2, discarded: 1, abandoned: 2, totalOps: 12, countedOps: 5 });
  });

  it('f raising on a row stops new tasks, drops rows held past it, keeps rows before it and ignores later ones', () => {
    const { nid, sorter, appended, counts } = actorcito(5);
    sorter.deliver(3, ok(30, 4));
    sorter.deliver(1, raised(6));
    expect(nid.stopped).toBe(true);
    expect(sorter.failure).toEqual({ index: 1, kind: 'f', error: quota });
    sorter.deliver(0, ok(0, 1));
    sorter.deliver(2, ok(20, 2));
    expect(appended).toEqual([[0, 0n]]);
    // Delivered 4 (rows 3, 1, 0, 2), kept 1; row 4 never ran. Counted: rows 0 and 1 (1 + 6).
    expect(counts()).toEqual({ kept: 1, delivered: 4, discarded: 3, abandoned: 1, totalOps: 13, countedOps: 7 });
  });

  it('a failure past the first one changes nothing; rows that have not arrived count no operations', () => {
    const { sorter, counts } = actorcito(5);
    sorter.deliver(1, raised(2));
    sorter.deliver(3, fatal(4));
    expect(sorter.failure).toEqual({ index: 1, kind: 'f', error: quota });
    // Row 0 has not arrived: counted so far are rows 0 (nothing yet) and 1.
    expect(counts()).toEqual({ kept: 0, delivered: 2, discarded: 2, abandoned: 3, totalOps: 6, countedOps: 2 });
  });

  it('an earlier failure replaces a later one', () => {
    const { sorter, appended, counts } = actorcito(4);
    sorter.deliver(2, raised(1));
    sorter.deliver(1, fatal(1));
    expect(sorter.failure).toEqual({ index: 1, kind: 'fatal', error: 'boom' });
    sorter.deliver(0, ok(0, 1));
    expect(appended).toEqual([[0, 0n]]);
    expect(counts()).toEqual({ kept: 1, delivered: 3, discarded: 2, abandoned: 1, totalOps: 3, countedOps: 2 });
  });

  it('charges rows in input order against the budget: a row landing exactly on it fits, the next one is a steps failure', () => {
    const { nid, sorter, appended, counts } = actorcito(4, 10);
    sorter.deliver(1, ok(10, 6));
    sorter.deliver(2, ok(20, 1));
    sorter.deliver(0, ok(0, 4));
    expect(appended).toEqual([[0, 0n], [1, 10n]]);
    expect(sorter.failure).toEqual({ index: 2, kind: 'steps' });
    expect(nid.stopped).toBe(true);
    // Counted up to the row that overran: 4 + 6 + 1.
    expect(counts()).toEqual({ kept: 2, delivered: 3, discarded: 1, abandoned: 1, totalOps: 11, countedOps: 11 });
  });

  it('weighs the failing row’s own operations once the rows before it are in: over the budget it is a steps failure', () => {
    const over = actorcito(3, 5);
    over.sorter.deliver(1, raised(3));
    expect(over.sorter.failure?.kind).toBe('f');
    over.sorter.deliver(0, ok(0, 3));
    expect(over.appended).toEqual([[0, 0n]]);
    expect(over.sorter.failure).toEqual({ index: 1, kind: 'steps' });

    const exact = actorcito(3, 6);
    exact.sorter.deliver(1, raised(3));
    exact.sorter.deliver(0, ok(0, 3));
    expect(exact.sorter.failure).toEqual({ index: 1, kind: 'f', error: quota });
  });

  it('a failing row 0 is weighed at once; a fatal row is never weighed', () => {
    const f = actorcito(2, 2);
    f.sorter.deliver(0, raised(3));
    expect(f.sorter.failure).toEqual({ index: 0, kind: 'steps' });
    const fat = actorcito(2, 2);
    fat.sorter.deliver(0, fatal(3));
    expect(fat.sorter.failure).toEqual({ index: 0, kind: 'fatal', error: 'boom' });
    expect(fat.counts()).toEqual({ kept: 0, delivered: 1, discarded: 1, abandoned: 1, totalOps: 3, countedOps: 3 });
  });

  it('an append the membranes refuse is the failure at that row; limits and bugs from the append propagate', () => {
    const refused = actorcito(3, undefined, (_v, i) => {
      if (i === 1) throw quota;
    });
    refused.sorter.deliver(2, ok(20, 1));
    refused.sorter.deliver(1, ok(10, 1));
    refused.sorter.deliver(0, ok(0, 1));
    expect(refused.appended).toEqual([[0, 0n]]);
    expect(refused.sorter.failure).toEqual({ index: 1, kind: 'append', error: quota });
    expect(refused.nid.stopped).toBe(true);
    expect(refused.counts()).toEqual({ kept: 1, delivered: 3, discarded: 2, abandoned: 0, totalOps: 3, countedOps: 2 });

    const steps = new MergeError(diagnostic('MRG3010', 'step limit'));
    const limit = actorcito(2, undefined, () => {
      throw steps;
    });
    expect(() => limit.sorter.deliver(0, ok(0, 1))).toThrow(steps);
    // Only a MergeError is a language error, whatever else an error object carries.
    const odd = Object.assign(new Error('odd'), { errorName: 'quota_error' });
    const oddOne = actorcito(2, undefined, () => {
      throw odd;
    });
    expect(() => oddOne.sorter.deliver(0, ok(0, 1))).toThrow(odd);
    const bug = new TypeError('bug');
    const broken = actorcito(2, undefined, () => {
      throw bug;
    });
    expect(() => broken.sorter.deliver(0, ok(0, 1))).toThrow(bug);
    expect([limit.sorter.failure, broken.sorter.failure]).toEqual([null, null]);
  });
});

describe('Nidhoggr', () => {
  it('starts running and stops for good when told', () => {
    const nid = new Nidhoggr();
    expect(nid.stopped).toBe(false);
    nid.notify();
    nid.notify();
    expect(nid.stopped).toBe(true);
  });
});
