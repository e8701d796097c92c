// Core model: hierarchical charges through quota stacks, metered vs unmetered `ent`, dataframe
// appends through a quota membrane, and one node edit in DAGs of growing size. Compared things are
// measured side by side in this one run; ratios are the point, absolute rates are indicative.
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { applyCharge, checkCharge } from '../src/model/membrane.js';
import { loadProfileByName, Memory, Pricing, type EntityCounts, type View } from '../src/model/index.js';
import { bestOf, fmt, table, type Bench } from './timing.js';

/** A small stand-in basket (the real one comes from running baskets/standard). */
const COUNTS: EntityCounts = {
  byKind: new Map([
    ['dag_node', 100],
    ['scalar:int32', 300],
    ['string', 50],
    ['row', 400],
    ['dataframe', 5],
    ['membrane:quota', 8],
  ]),
  stringBytes: 1000,
};

// A full collection after building a large world, so the timed edits do not pay for collecting the
// build's garbage (a 1 M-node build leaves hundreds of MB of dead intermediate versions).
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function world(): Memory {
  return new Memory({ pricing: Pricing.fromCounts(loadProfileByName('cpython-dev'), COUNTS) });
}

/** A stack of `depth` quota membranes, each leaving its children the room they need. */
function stack(mem: Memory, depth: number, base = 'base'): View {
  mem.declareDag(mem.root, [base], { inert: false });
  let v = mem.at(mem.root, [base]);
  for (let i = 0; i < depth; i++) v = mem.quota(v, `${base}${i}`, 10_000_000_000, 5_000_000_000, 5_000_000_000);
  return v;
}

function charges(depth: number): number {
  const mem = world();
  const m = stack(mem, depth).quota!;
  const n = 1_000_000;
  const ms = bestOf(5, () => {
    for (let i = 0; i < n; i++) {
      checkCharge(m, 7);
      applyCharge(m, 7);
    }
    applyCharge(m, -7 * n);
  });
  return n / (ms / 1000);
}

type Graft = 'plain' | 'same-pool' | 'cross-pool';

/** prune + ent of a 1000-node sub-DAG back and forth between two places. */
function entTime(kind: Graft): number {
  const mem = world();
  let a: View;
  let b: View;
  if (kind === 'cross-pool') [a, b] = [stack(mem, 1, 'a'), stack(mem, 1, 'b')];
  else if (kind === 'same-pool') {
    a = stack(mem, 1, 'a');
    mem.declareDag(a, ['inner'], { inert: false });
    b = mem.quota(mem.at(a, ['inner']), 'inner', 1_000_000, 1_000_000, 0);
  } else {
    [a, b] = [0, 1].map((i) => (mem.declareDag(mem.root, [`p${i}`]), mem.at(mem.root, [`p${i}`]))) as [View, View];
  }
  for (let i = 0; i < 999; i++) mem.declareScalar(a, ['sub', `k${i}`], 'int32', BigInt(i), { inert: false });
  let here = a;
  let there = b;
  const rounds = 50;
  return (
    bestOf(10, () => {
      for (let i = 0; i < rounds; i++) {
        mem.ent(there, [], mem.prune(here, ['sub']), 'sub');
        [here, there] = [there, here];
      }
    }) / rounds
  );
}

function appends(rows: number): number {
  const mem = world();
  const q = stack(mem, 1);
  let n = 0;
  const t0 = performance.now();
  mem.declareDataframe(q, ['df'], [{ name: 'id', type: 'string' }, { name: 'a', type: 'int32' }, { name: 'b', type: 'int32' }], { inert: false });
  const df = mem.dataframe(q, ['df']);
  const row = ['foo', 17n, 99n];
  for (; n < rows; n++) df.append(row);
  return performance.now() - t0;
}

const EDITS = 20_000;

/** Main-thread GC pauses (ms) by start time, to say how much of a timed window was collection. */
const gcPauses: { start: number; ms: number }[] = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcPauses.push({ start: e.startTime, ms: e.duration });
}).observe({ entryTypes: ['gc'] });

interface Window {
  /** Best (minimum) time of one trial, ms, and when that trial ran. */
  readonly ms: number;
  readonly start: number;
  readonly end: number;
}

/** bestOf(), remembering when the best trial ran. */
function bestWindow(trials: number, fn: () => void): Window {
  fn();
  let best: Window = { ms: Infinity, start: 0, end: 0 };
  for (let i = 0; i < trials; i++) {
    const start = performance.now();
    fn();
    const end = performance.now();
    if (end - start < best.ms) best = { ms: end - start, start, end };
  }
  return best;
}

/** µs per edit of a window of EDITS edits, and µs per edit spent in GC pauses inside it. */
async function perEdit(w: Window): Promise<{ edit: number; gc: number }> {
  await new Promise((resolve) => setTimeout(resolve, 50)); // GC entries arrive on a later turn
  const gc = gcPauses.filter((p) => p.start >= w.start && p.start < w.end).reduce((a, p) => a + p.ms, 0);
  return { edit: (w.ms * 1000) / EDITS, gc: (gc * 1000) / EDITS };
}

/** One scalar edit in a DAG of `size` nodes: one wide node (the worst case for flat objects). */
async function editMicros(size: number): Promise<{ build: number; edit: number; gc: number }> {
  const mem = world();
  const t0 = performance.now();
  mem.declareDag(mem.root, ['wide'], { inert: false });
  const w = mem.at(mem.root, ['wide']);
  for (let i = 0; i < size; i++) mem.declareScalar(w, [`k${i}`], 'int32', 0n, { inert: false });
  const build = (performance.now() - t0) / 1000;
  collectGarbage();
  let seed = 12345;
  const best = bestWindow(7, () => {
    for (let i = 0; i < EDITS; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      mem.assign(w, [`k${seed % size}`], BigInt(i & 1023));
    }
  });
  return { build, ...(await perEdit(best)) };
}

/**
 * A floor for the same edits: a plain mutable Map from the same names to frozen node-like records
 * (each with its own payment record); an edit looks the name up, reads the payment and stores a
 * fresh record. No persistence, no accounting, no checks: what grows with size here is what the
 * machine charges for touching one random entry and keeping one new object alive. (Its edits are
 * short enough for the CPU to overlap one edit's cache misses with the next one's, so this is a
 * lower bound.)
 */
async function floorMicros(size: number): Promise<{ edit: number; gc: number }> {
  type Rec = { readonly kind: string; readonly value: bigint; readonly acct: { by: number; mp: number } };
  const map = new Map<string, Rec>();
  for (let i = 0; i < size; i++) map.set(`k${i}`, Object.freeze({ kind: 'scalar', value: 0n, acct: { by: 1, mp: 250 } }));
  collectGarbage();
  let seed = 12345;
  let paid = 0;
  const best = bestWindow(7, () => {
    for (let i = 0; i < EDITS; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const k = `k${seed % size}`;
      const old = map.get(k) as Rec;
      paid += old.acct.by;
      map.set(k, Object.freeze({ kind: old.kind, value: BigInt(i & 1023), acct: old.acct }));
    }
  });
  if (paid === 0) throw new Error('floor: nothing read');
  return perEdit(best);
}

async function run(): Promise<string> {
  const depths = [1, 8, 32].map((d) => [d, charges(d)] as const);
  // Interleaved, best of three pairs: the machine is shared.
  let entPlain = Infinity;
  let entSame = Infinity;
  let entCross = Infinity;
  for (let i = 0; i < 3; i++) {
    entPlain = Math.min(entPlain, entTime('plain'));
    entSame = Math.min(entSame, entTime('same-pool'));
    entCross = Math.min(entCross, entTime('cross-pool'));
  }
  appends(100_000); // warm-up: JIT and typed-array growth paths
  const t100k = Math.min(appends(100_000), appends(100_000), appends(100_000));
  const t1m = Math.min(appends(1_000_000), appends(1_000_000));
  const edits: [number, { build: number; edit: number; gc: number }, { edit: number; gc: number }][] = [];
  for (const n of [10_000, 100_000, 1_000_000]) edits.push([n, await editMicros(n), await floorMicros(n)]);
  const at8 = depths[1]![1];
  const e10k = edits[0]![1].edit;
  const e100k = edits[1]![1].edit;
  const e1m = edits[2]![1].edit;
  const floorRatio = edits[2]![2].edit / edits[0]![2].edit;
  const mapExtra = edits[2]![2].edit - edits[0]![2].edit;
  const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');
  return [
    '### Hierarchical charges (check every level, then apply)',
    '',
    table(
      ['stack depth', 'charges/s'],
      depths.map(([d, r]) => [d, fmt(r / 1e6, 2) + ' M']),
    ),
    '',
    `Target ≥ 2 M charges/s at depth 8: ${verdict(at8 >= 2e6)} (${fmt(at8 / 1e6, 2)} M/s).`,
    '',
    '### `prune` + `ent` of a 1,000-node sub-DAG',
    '',
    table(
      ['graft', 'ms per prune+ent', 'vs no membrane'],
      [
        ['no membrane (payments unchanged)', fmt(entPlain, 3), '1.00x'],
        ['within one quota pool (every node checked, free: payments stay)', fmt(entSame, 3), `${fmt(entSame / entPlain, 2)}x`],
        ['between two quota pools (every node re-paid, old payment released)', fmt(entCross, 3), `${fmt(entCross / entPlain, 2)}x`],
      ],
    ),
    '',
    `Metered / unmetered, target ≤ 1.3x: same-pool graft ${verdict(entSame / entPlain <= 1.3)}; cross-pool graft ${verdict(entCross / entPlain <= 1.3)}.`,
    '',
    '### Dataframe appends through a quota membrane (string, int32, int32)',
    '',
    table(
      ['rows', 'ms', 'rows/s'],
      [
        ['100,000', fmt(t100k, 1), fmt(100_000 / (t100k / 1000) / 1e6, 2) + ' M'],
        ['1,000,000', fmt(t1m, 1), fmt(1_000_000 / (t1m / 1000) / 1e6, 2) + ' M'],
      ],
    ),
    '',
    `Target ≥ 2 M rows/s: ${verdict(1_000_000 / (t1m / 1000) >= 2e6)}; t(1 M)/t(100 k) = ${fmt(t1m / t100k, 2)} (target ≤ 11: ${verdict(t1m / t100k <= 11)}).`,
    '',
    '### One scalar edit (`assign`) in a DAG node with N children',
    '',
    table(
      ['nodes', 'µs per edit', 'of which GC pauses', 'floor: mutable Map, µs per edit', 'of which GC pauses', 'build s (N declarations)'],
      edits.map(([n, e, f]) => [n.toLocaleString('en-US'), fmt(e.edit, 2), fmt(e.gc, 2), fmt(f.edit, 2), fmt(f.gc, 2), fmt(e.build, 2)]),
    ),
    '',
    `Target ≤ 20 µs at 100 k: ${verdict(e100k <= 20)}; 1 M / 10 k = ${fmt(e1m / e10k, 2)}x (target ≤ 2x: ${verdict(e1m / e10k <= 2)}).`,
    `At 1 M an edit costs ${fmt(e1m - e10k, 2)} µs more than at 10 k (GC pauses: ${fmt(edits[2]![1].gc - edits[0]![1].gc, 2)} µs more); the mutable Map pays ${fmt(mapExtra, 2)} µs more (${fmt(floorRatio, 2)}x).`,
    `An edit that paid only the Map's extra at 1 M would measure ${fmt((e10k + mapExtra) / e10k, 2)}x.`,
    '',
    'Why 1 M costs more: an edit copies the same few small arrays at every size (a bucket of ≤ 32',
    'entries and the ≤ 17-slot branches above it), but a 1 M-node world no longer fits the CPU caches.',
    'Its lookup is a chain of dependent cache misses (the lower trie levels, the bucket, the key',
    'string, the node, its payment record), each paid in full because an edit is too',
    'long for the CPU to overlap it with the next one; and a random edit\'s new node and bucket copy',
    'outlive the young generation, which the collector then copies out (GC column). The mutable Map',
    'column is the floor of that kind of cost on this machine: no persistence, one surviving record per',
    'edit, and short edits whose misses do overlap. Path copying adds about one more cold trie level',
    'and the surviving copies to it. The heap is collected after each build, so the timed edits do not',
    'pay for collecting the build.',
  ].join('\n');
}

const bench: Bench = { name: 'model', title: 'Core model: charges, grafts, appends, DAG edits', run };
export default bench;
