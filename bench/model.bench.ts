// Core model: hierarchical charges through quota stacks, metered vs unmetered `ent`, dataframe
// appends through a quota membrane, and one node edit in DAGs of growing size. Compared things are
// measured side by side in this one run; ratios are the point, absolute rates are indicative.
import { performance } from 'node:perf_hooks';

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

/** µs per scalar edit in a DAG of `size` nodes: one wide node (the worst case for flat objects). */
function editMicros(size: number): { build: number; edit: number } {
  const mem = world();
  const t0 = performance.now();
  mem.declareDag(mem.root, ['wide'], { inert: false });
  const w = mem.at(mem.root, ['wide']);
  for (let i = 0; i < size; i++) mem.declareScalar(w, [`k${i}`], 'int32', 0n, { inert: false });
  const build = (performance.now() - t0) / 1000;
  const edits = 20_000;
  let seed = 12345;
  const ms = bestOf(7, () => {
    for (let i = 0; i < edits; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      mem.assign(w, [`k${seed % size}`], BigInt(i & 1023));
    }
  });
  return { build, edit: (ms * 1000) / edits };
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
  const edits = [10_000, 100_000, 1_000_000].map((n) => [n, editMicros(n)] as const);
  const at8 = depths[1]![1];
  const e10k = edits[0]![1].edit;
  const e100k = edits[1]![1].edit;
  const e1m = edits[2]![1].edit;
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
      ['nodes', 'µs per edit', 'build s (N declarations)'],
      edits.map(([n, e]) => [n.toLocaleString('en-US'), fmt(e.edit, 2), fmt(e.build, 2)]),
    ),
    '',
    `Target ≤ 20 µs at 100 k: ${verdict(e100k <= 20)}; 1 M / 10 k = ${fmt(e1m / e10k, 2)}x (target ≤ 2x: ${verdict(e1m / e10k <= 2)}).`,
    'An edit copies the same handful of ≤16-slot arrays at every size; what grows at 1 M is the',
    'garbage collector copying the surviving new buckets out of a larger heap, and cache misses.',
  ].join('\n');
}

const bench: Bench = { name: 'model', title: 'Core model: charges, grafts, appends, DAG edits', run };
export default bench;
