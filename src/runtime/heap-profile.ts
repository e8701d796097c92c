// `merg-e profile measure`: this interpreter's own entity sizes on the V8 heap (quota.md §3's
// `v8-measured`). For each entity kind it allocates many entities through the real model (and, for
// scopes, the interpreter's own scope objects), forces garbage collection, and divides the heap's
// growth by the count. The result is an ordinary, strictly valid runtime profile.
import v8 from 'node:v8';

import { diagnostic, MergeError, type Span } from '../diagnostics.js';
import {
  loadProfileByName,
  Memory,
  parseProfile,
  Pricing,
  REQUIRED_BYTES_KEYS,
  type ProfileJson,
  type RuntimeProfile,
  type View,
} from '../model/index.js';
import { forceGc } from './gc.js';
import { World } from './space.js';

export const V8_PROFILE = 'v8-measured';

export interface HeapMeasureOptions {
  /** Entities allocated per sample (default 10 000). */
  count?: number;
  /** Samples per kind; the median is kept (default 3). */
  samples?: number;
  /** Called before each kind is measured. */
  onProgress?: (what: string) => void;
}

/** One measured quantity: bytes per entity (median of the samples) and the samples' spread. */
export interface Sample {
  readonly bytes: number;
  readonly spread: number;
}

export interface HeapMeasurement {
  /** The profile's JSON document (name, description, notes, bytes, int_rule, extras). */
  readonly doc: ProfileDoc;
  /** The same, parsed and validated. */
  readonly profile: RuntimeProfile;
  /** Every raw measurement, by what was measured. */
  readonly samples: ReadonlyMap<string, Sample>;
}

type ProfileDoc = ProfileJson;

// ------------------------------------------------------------------ the heap

/**
 * Bytes in use on the JS heap, code spaces left out (compiling a function is not an allocation of
 * ours); with `buffers`, plus the ArrayBuffer backing stores V8 keeps off its heap (dataframe
 * columns). Only the measurement that grows columns counts those: old buffers are freed by a
 * background sweeper at times of its own choosing, which would add noise to every other one.
 */
function heapUsed(buffers: boolean): number {
  let n = buffers ? process.memoryUsage().arrayBuffers : 0;
  for (const s of v8.getHeapSpaceStatistics()) if (!s.space_name.startsWith('code')) n += s.space_used_size;
  return n;
}

let keep: unknown = null;

/**
 * Bytes one allocation of `work` retains: `setup(n)` builds what must exist before (not measured),
 * `work(state, n)` makes n entities reachable from `state`.
 */
function perEntity<S>(setup: (n: number) => S, work: (s: S, n: number) => void, n: number, buffers: boolean): number {
  const gc = forceGc();
  const state = setup(n);
  gc();
  gc();
  const before = heapUsed(buffers);
  work(state, n);
  gc();
  gc();
  const after = heapUsed(buffers);
  keep = state; // reachable until here, so the collector cannot take it before `after`
  keep = null;
  return (after - before) / n;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

// ------------------------------------------------------------------ what is measured

const SPAN: Span = { file: '<profile measure>', line: 1, column: 1, endLine: 1, endColumn: 1 };
/** Quotas large enough for any measurement (whole points; the model refuses 2^53 milli-points and up). */
const BIG = 1_000_000_000_000;

export type Through = 'plain' | 'quota' | 'copy_on_mutate';

/**
 * Children per parent. Programs declare a handful of names per scope or DAG node, and an entity's
 * share of its parent's hash trie depends on how full that trie is, so entities are measured in
 * parents of this many children (the parents themselves exist before the measurement starts).
 */
const FAN_OUT = 8;

interface Place {
  mem: Memory;
  world: World;
  /** Where entity i goes: a parent of FAN_OUT entities, through the membrane measured. */
  at: (i: number) => View;
  views: (View | null)[];
  keep: unknown[];
}

function place(pricing: Pricing, through: Through, n: number): Place {
  const world = new World(pricing);
  const mem = world.mem;
  mem.declareDag(mem.root, ['p']);
  let view = mem.at(mem.root, ['p']);
  if (through === 'quota') view = mem.quota(view, 'q', BIG, BIG / 2, BIG);
  if (through === 'copy_on_mutate') view = mem.copyOnMutate(view, 'c');
  const groups: View[] = [];
  for (let g = 0; g * FAN_OUT < n; g++) {
    mem.declareDag(view, [`g${g}`]);
    groups.push(mem.at(view, [`g${g}`]));
  }
  const at = (i: number) => groups[Math.floor(i / FAN_OUT)] as View;
  return { mem, world, at, views: new Array<View | null>(n).fill(null), keep: new Array<unknown>(n).fill(null) };
}

/** A flat (sequential) one-byte string of `len` characters, different for every i. */
function text(i: number, len: number): string {
  const b = Buffer.alloc(len, 'x'.charCodeAt(0));
  const tag = String(i);
  b.write(tag.slice(0, len), 0, 'latin1');
  return b.toString('latin1');
}

function intValue(bits: number, i: number): bigint {
  // A value that needs (nearly) the full width, as a declared intN holds in general.
  return (1n << BigInt(bits - 2)) + (BigInt(i) % (1n << BigInt(bits - 3)));
}

interface Kind {
  readonly key: string;
  /** Grows dataframe columns: measure a power-of-two count (a doubling column is then exactly full)
   *  and count ArrayBuffer backing stores. */
  readonly columns?: boolean;
  readonly setup: (n: number) => Place;
  readonly work: (s: Place, n: number) => void;
}

function kinds(pricing: Pricing, through: Through, stringLens: readonly [number, number]): Kind[] {
  const mk = (n: number) => place(pricing, through, n);
  const scalar = (type: string, value: (i: number) => bigint | number | boolean | string): Kind['work'] => (s, n) => {
    for (let i = 0; i < n; i++) s.mem.declareScalar(s.at(i), [`s${i}`], type, value(i));
  };
  // A membrane around each of n DAG nodes that exist before the measurement.
  const membrane = (key: string, make: (s: Place, over: View, name: string) => View): Kind => ({
    key,
    setup: (n) => {
      const s = mk(n);
      for (let i = 0; i < n; i++) s.mem.declareDag(s.at(i), [`m${i}`]);
      return s;
    },
    work: (s, n) => {
      for (let i = 0; i < n; i++) s.views[i] = make(s, s.mem.at(s.at(i), [`m${i}`]), `m${i}`);
    },
  });
  const list: Kind[] = [
    { key: 'dag_node', setup: mk, work: (s, n) => { for (let i = 0; i < n; i++) s.mem.declareDag(s.at(i), [`d${i}`]); } },
    {
      key: 'dataframe',
      setup: mk,
      work: (s, n) => {
        const cols = [{ name: 'id', type: 'string' }, { name: 'startval', type: 'int32' }, { name: 'endval', type: 'int32' }];
        for (let i = 0; i < n; i++) s.mem.declareDataframe(s.at(i), [`f${i}`], cols);
      },
    },
    {
      // The seed's row (string id, int32 startval, int32 endval) with one shared string: the growth is
      // the row's column slots; the values' own slots are subtracted below (they are priced as scalars).
      key: 'row',
      columns: true,
      setup: (n) => {
        const s = mk(n);
        s.mem.declareDataframe(s.at(0), ['f'], [{ name: 'id', type: 'string' }, { name: 'startval', type: 'int32' }, { name: 'endval', type: 'int32' }]);
        return s;
      },
      work: (s, n) => {
        const h = s.mem.dataframe(s.at(0), ['f']);
        for (let i = 0; i < n; i++) h.append(['row', BigInt(i), BigInt(i + 1)]);
      },
    },
    { key: `string@${stringLens[0]}`, setup: mk, work: scalar('string', (i) => text(i, stringLens[0])) },
    { key: `string@${stringLens[1]}`, setup: mk, work: scalar('string', (i) => text(i, stringLens[1])) },
    membrane('membrane:quota', (s, v, name) => s.mem.quota(v, name, 1, 0, 0)),
    membrane('membrane:copy_on_mutate', (s, v, name) => s.mem.copyOnMutate(v, name)),
    {
      // A constructed callable scope: its scope node and the interpreter's ScopeSpace (with its view).
      key: 'scope',
      setup: mk,
      work: (s, n) => {
        for (let i = 0; i < n; i++) s.keep[i] = s.world.scope(s.at(i), `#f${i}`, `f${i}`, SPAN);
      },
    },
    {
      // A blocker: its node and the interpreter's blocker value (an empty list of pending work).
      key: 'blocker',
      setup: mk,
      work: (s, n) => {
        for (let i = 0; i < n; i++) s.mem.declareOpaque(s.at(i), [`b${i}`], 'blocker', { tag: 'blocker', pending: [] });
      },
    },
    { key: 'scalar:bool', setup: mk, work: scalar('bool', (i) => i % 2 === 0) },
  ];
  for (const w of [16, 32, 64, 128, 256]) list.push({ key: `scalar:float${w}`, setup: mk, work: scalar(`float${w}`, (i) => 0.1 + i / 7) });
  for (const w of [8, 16, 32, 64, 128, 256, 2048]) list.push({ key: `scalar:int${w}`, setup: mk, work: scalar(`int${w}`, (i) => intValue(w, i)) });
  return list;
}

/** Kinds whose extras are measured (the rest of `extras` follows `scalar:*`, as in every profile). */
const EXTRA_KEYS = ['dag_node', 'dataframe', 'row', 'string@', 'membrane:quota', 'membrane:copy_on_mutate', 'scope', 'blocker', 'scalar:int64'];

/** The two string lengths measured: string_byte is the slope between them. */
const STRING_LENGTHS: readonly [number, number] = [16, 16 + 256];

/**
 * Bytes per entity of the measured kinds whose key passes `only` (`dag_node`, `scalar:int32`,
 * `string@16`, `row`, …), allocated through no membrane or through one of `through`'s kind; labels
 * are the key, plus ` through <kind>` for a membrane.
 */
export function measureEntityBytes(only: (key: string) => boolean, through: Through = 'plain', opts: HeapMeasureOptions = {}): Map<string, Sample> {
  const count = opts.count ?? 10_000;
  const samplesPer = opts.samples ?? 3;
  if (!Number.isSafeInteger(count) || count < 100) throw new MergeError(diagnostic('MRG4024', `measure at least 100 entities per sample, not ${count}`));
  if (!Number.isSafeInteger(samplesPer) || samplesPer < 1) throw new MergeError(diagnostic('MRG4024', `take at least 1 sample per kind, not ${samplesPer}`));
  // Any pricing will do: sizes do not depend on prices, and the quotas are far from full.
  const pricing = Pricing.fromCounts(loadProfileByName('cpython-dev'), { byKind: new Map([['dag_node', 1]]), stringBytes: 0 });
  const samples = new Map<string, Sample>();
  for (const k of kinds(pricing, through, STRING_LENGTHS)) {
    if (!only(k.key)) continue;
    const label = through === 'plain' ? k.key : `${k.key} through ${through}`;
    opts.onProgress?.(label);
    const buffers = k.columns === true;
    perEntity(k.setup, k.work, 200, buffers); // warm-up: compile the paths before measuring them
    // Columns grow in amortized steps and the buffer sweeper is noisy: rows are cheap, so measure
    // several times as many, a power of two (a full column).
    const n = buffers ? 2 ** Math.ceil(Math.log2(count * 6)) : count;
    const xs = Array.from({ length: samplesPer }, () => perEntity(k.setup, k.work, n, buffers));
    samples.set(label, { bytes: median(xs), spread: Math.max(...xs) - Math.min(...xs) });
  }
  return samples;
}

// ------------------------------------------------------------------ the profile

function round(x: number): number {
  return Math.max(0, Math.round(x));
}

/**
 * Measures this interpreter's entity sizes and returns the `v8-measured` profile. Takes a few seconds
 * with the defaults; allocates about count × 1 KB at a time.
 */
export function measureV8Profile(opts: HeapMeasureOptions = {}): HeapMeasurement {
  const count = opts.count ?? 10_000;
  const samplesPer = opts.samples ?? 3;
  const lens = STRING_LENGTHS;
  const extraKind = (key: string) => EXTRA_KEYS.some((e) => (e.endsWith('@') ? key.startsWith(e) : key === e));
  const samples = new Map([
    ...measureEntityBytes(() => true, 'plain', opts),
    ...measureEntityBytes(extraKind, 'quota', opts),
    ...measureEntityBytes(extraKind, 'copy_on_mutate', opts),
  ]);
  const get = (label: string) => (samples.get(label) as Sample).bytes;
  const bytes: Record<string, number> = {};
  const stringByte = (get(`string@${lens[1]}`) - get(`string@${lens[0]}`)) / (lens[1] - lens[0]);
  const slot = { string: 8, int32: 4 };
  for (const key of REQUIRED_BYTES_KEYS) {
    if (key === 'string_byte') bytes[key] = round(stringByte);
    else if (key === 'string') bytes[key] = round(get(`string@${lens[0]}`) - lens[0] * stringByte);
    else if (key === 'row') bytes[key] = round(get('row') - slot.string - 2 * slot.int32);
    else bytes[key] = round(get(key));
  }
  for (const w of [8, 16, 32, 64, 128, 256, 2048]) bytes[`scalar:int${w}`] = round(get(`scalar:int${w}`));

  // Integers are BigInts: a 16-byte header and 64-bit digits (V8's BigInt layout), held by a scalar
  // node whose own size is what an int64 measures beyond its one-digit BigInt.
  const int64 = get('scalar:int64');
  const intRule = { tiers: [], ref: round(int64 - 24), header: 16, unit_bits: 64, unit_bytes: 8, align: 8 };

  const extras: Record<string, Record<string, number>> = {};
  for (const m of ['quota', 'copy_on_mutate'] as const) {
    const t: Record<string, number> = {};
    const diff = (key: string) => {
      const a = samples.get(key) as Sample;
      const b = samples.get(`${key} through ${m}`) as Sample;
      const d = b.bytes - a.bytes;
      // A difference within the samples' own spread is measurement noise, not a cost.
      return Math.abs(d) <= a.spread + b.spread + 1 ? 0 : d;
    };
    for (const k of ['dag_node', 'dataframe', 'row', 'membrane:quota', 'membrane:copy_on_mutate', 'scope', 'blocker']) t[k] = round(diff(k));
    const s0 = diff(`string@${lens[0]}`);
    const s1 = diff(`string@${lens[1]}`);
    const perByte = (s1 - s0) / (lens[1] - lens[0]);
    t['string'] = round(s0 - lens[0] * perByte);
    t['string_byte'] = round(perByte);
    t['scalar:*'] = round(diff('scalar:int64'));
    extras[`membrane:${m}`] = t;
  }

  const nonZero = (ex: Record<string, Record<string, number>>) =>
    Object.entries(ex)
      .flatMap(([m, t]) => Object.entries(t).filter(([, b]) => b !== 0).map(([k, b]) => `${k} through ${m} ${b}`))
      .join(', ') || 'none';
  const fmt = (label: string) => {
    const s = samples.get(label) as Sample;
    return `${label} ${s.bytes.toFixed(1)}`;
  };
  const doc: ProfileDoc = {
    name: V8_PROFILE,
    description: "This interpreter's own data structures on the V8 heap (Node " + process.version + ', ' + process.arch + '), measured by `merg-e profile measure`.',
    notes: [
      `Measured ${new Date().toISOString().slice(0, 10)} with count ${count}, median of ${samplesPer} samples: allocate count entities of a kind through the real model (src/model; scopes and blockers as the interpreter makes them), force two full GCs before and after, and divide the growth of the JS heap (code spaces left out) by count.`,
      'An entity costs its node record, its payment record (Acct) and its entry in the parent\'s persistent hash trie (NameMap buckets: hashes, keys, values, sequence numbers), which is why every DAG entity costs hundreds of bytes here.',
      `Strings: measured at ${lens[0]} and ${lens[1]} one-byte characters; string_byte is the slope, string the rest. Integers are BigInts (16-byte header + 8-byte digits): explicit entries are measured with values of nearly full width; int_rule: ref = int64's measure minus its one-digit BigInt (24), header 16, 64-bit digits, 8-byte alignment.`,
      "row: a row of the seed's dataframe (string, int32, int32; one shared string) minus its values' column slots (8 + 4 + 4 bytes), which the model prices as scalars. Dataframe values live in typed arrays, so a scalar in a row really takes 4-8 bytes here, far less than scalar:* (a DAG node): the profile format has one price per kind, and this profile overprices dataframe contents.",
      `extras: the same allocations through a quota / copy_on_mutate membrane minus the plain ones; a difference within the samples' spread counts as 0. This interpreter keeps one payment record per entity whatever the membrane, and copy_on_mutate copies nothing until a write, so data entities cost nothing extra; a membrane created inside another is also listed among its parent's children. Non-zero: ${nonZero(extras)}.`,
      `Raw bytes per entity: ${[...samples.keys()].filter((k) => !k.includes(' through ')).map(fmt).join('; ')}.`,
    ],
    bytes,
    int_rule: intRule,
    extras,
  };
  const profile = parseProfile(JSON.stringify(doc), `${V8_PROFILE}.json`);
  return { doc, profile, samples };
}

/** The profile file's text (stable key order, two-space indent); `schema`: its "$schema" reference, for editors. */
export function heapProfileText(m: HeapMeasurement, schema?: string): string {
  return JSON.stringify(schema === undefined ? m.doc : { $schema: schema, ...m.doc }, null, 2) + '\n';
}
