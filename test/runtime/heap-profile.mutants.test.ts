// Mutation tests of src/runtime/heap-profile.ts (`merg-e profile measure` as a library). The heap is
// scripted: v8.getHeapSpaceStatistics and process.memoryUsage return growths chosen per kind and
// sample, and forced GCs are counted instead of run, so the arithmetic is pinned exactly — the
// per-entity division and its counts (row: a power of two), the median and spread of the samples,
// code spaces and (except for rows) ArrayBuffers left out, derived bytes (string, string_byte, row,
// int_rule.ref), extras within the samples' spread counting 0, rounding and clamping at 0, the notes'
// texts, the document's key order and its text with and without "$schema". What is measured, in what
// order and under which label, through which membrane, and the option defaults and validation are
// pinned too; one test measures the real heap.
import v8 from 'node:v8';

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { DataframeHandle, Memory, parseProfile, type View } from '../../src/model/index.js';
import { heapProfileText, measureEntityBytes, measureV8Profile, V8_PROFILE, type Through } from '../../src/runtime/heap-profile.js';
import { World } from '../../src/runtime/space.js';
import { thrown } from '../support/errors.js';

const h = vi.hoisted(() => ({ realGc: false, gcs: 0 }));
vi.mock('../../src/runtime/gc.js', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../src/runtime/gc.js')>();
  const count = () => {
    h.gcs++;
  };
  return { ...m, forceGc: () => (h.realGc ? m.forceGc() : count) };
});

const PLAIN = [
  'dag_node', 'dataframe', 'row', 'string@16', 'string@272', 'membrane:quota', 'membrane:copy_on_mutate', 'scope', 'blocker', 'scalar:bool',
  'scalar:float16', 'scalar:float32', 'scalar:float64', 'scalar:float128', 'scalar:float256',
  'scalar:int8', 'scalar:int16', 'scalar:int32', 'scalar:int64', 'scalar:int128', 'scalar:int256', 'scalar:int2048',
];
const EXTRA = ['dag_node', 'dataframe', 'row', 'string@16', 'string@272', 'membrane:quota', 'membrane:copy_on_mutate', 'scope', 'blocker', 'scalar:int64'];

/**
 * A scripted heap. `perEntity(label, sample)` is the growth per entity the measurement should see
 * (sample -1: the warm-up); `n(label)` the entities the code is expected to allocate per sample.
 * Rows get a quarter of their growth as ArrayBuffers; other kinds see ArrayBuffers jump by a
 * million (which they must ignore), and code spaces jump on every call (always ignored).
 */
function scriptHeap(perEntity: (label: string, sample: number) => number, n: (label: string) => number) {
  let label = '';
  let calls = 0;
  const progress: string[] = [];
  const heapCalls: Record<string, number> = {};
  const growth = (c: number): number => {
    if (c % 2 === 0) return 0;
    const sample = (c - 3) / 2;
    return perEntity(label, sample) * (sample < 0 ? 200 : n(label));
  };
  const buffers = (c: number) => (label.startsWith('row') ? 4096 + growth(c) / 4 : c % 2 ? 1_000_000 : 0);
  vi.spyOn(process, 'memoryUsage').mockImplementation(
    () => ({ rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: buffers(calls) }) as NodeJS.MemoryUsage,
  );
  vi.spyOn(v8, 'getHeapSpaceStatistics').mockImplementation(() => {
    const c = calls++;
    heapCalls[label] = calls;
    const g = label.startsWith('row') ? (growth(c) * 3) / 4 : growth(c);
    const space = (space_name: string, space_used_size: number) => ({ space_name, space_used_size, space_size: 0, space_available_size: 0, physical_space_size: 0 });
    return [
      space('new_space', 5000 + c),
      space('old_space', 90_000 - c + g),
      space('code_space', 77_000 * (c + 1)),
      space('code_large_object_space', 13_000 * (c + 1)),
    ];
  });
  const onProgress = (what: string) => {
    progress.push(what);
    label = what;
    calls = 0;
  };
  return { onProgress, progress, heapCalls };
}

beforeEach(() => {
  h.realGc = false;
  h.gcs = 0;
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

/** Entities per sample for count 100: rows 2^ceil(log2(600)), the rest 100. */
const n100 = (label: string) => (label.startsWith('row') ? 1024 : 100);

describe('V8_PROFILE', () => {
  it("is the profile's name", () => {
    expect(V8_PROFILE).toBe('v8-measured');
  });
});

describe('measureEntityBytes: options', () => {
  it('refuses fewer than 100 entities per sample, or a count that is not a safe whole number, with MRG4024', () => {
    for (const [count, shown] of [[99, '99'], [0, '0'], [-100, '-100'], [100.5, '100.5'], [Number.NaN, 'NaN'], [Infinity, 'Infinity'], [2 ** 53, '9007199254740992']] as const) {
      const e = thrown(() => measureEntityBytes(() => true, 'plain', { count }));
      expect(e.code).toBe('MRG4024');
      expect(e.message).toBe(`measure at least 100 entities per sample, not ${shown}`);
    }
  });

  it('refuses fewer than 1 sample per kind, or a fractional number of them, with MRG4024 (the profile too)', () => {
    // Once: 0 samples gave NaN bytes (and a profile parseProfile refused), -1 a RangeError, 1.5 one sample noted as 1.5.
    for (const [samples, shown] of [[0, '0'], [-1, '-1'], [1.5, '1.5'], [Number.NaN, 'NaN']] as const) {
      for (const e of [thrown(() => measureEntityBytes(() => true, 'plain', { count: 100, samples })), thrown(() => measureV8Profile({ count: 100, samples }))]) {
        expect(e.code).toBe('MRG4024');
        expect(e.message).toBe(`take at least 1 sample per kind, not ${shown}`);
      }
    }
  });

  it('takes 100, and measures nothing when no key passes', () => {
    const progress: string[] = [];
    expect(measureEntityBytes(() => false, 'plain', { count: 100, onProgress: (w) => progress.push(w) })).toEqual(new Map());
    expect(progress).toEqual([]);
  });

  it('offers every kind, in order, to `only`', () => {
    const offered: string[] = [];
    measureEntityBytes((k) => (offered.push(k), false));
    expect(offered).toEqual(PLAIN);
  });

  it('defaults to 10 000 entities, 3 samples, no membrane; onProgress is optional', () => {
    const s = scriptHeap((_, j) => [5, 7, 6][j] ?? 1, () => 10_000);
    const got = measureEntityBytes((k) => k === 'scalar:bool');
    // Not told the label, the script sees every call as one kind's: warm-up and three samples.
    expect(s.heapCalls).toEqual({ '': 8 });
    expect(got).toEqual(new Map([['scalar:bool', { bytes: 6, spread: 2 }]]));
    expect(h.gcs).toBe(16);
  });
});

describe('measureEntityBytes: the arithmetic', () => {
  const one = (key: string, xs: number[], count = 100) => {
    h.gcs = 0;
    const s = scriptHeap((_, j) => (j < 0 ? 999 : (xs[j] as number)), (l) => (l.startsWith('row') ? 2 ** Math.ceil(Math.log2(count * 6)) : count));
    const got = measureEntityBytes((k) => k === key, 'plain', { count, samples: xs.length, onProgress: s.onProgress });
    expect(s.progress).toEqual([key]);
    expect(s.heapCalls).toEqual({ [key]: 2 + 2 * xs.length });
    // Two forced GCs before and two after each measurement, the warm-up's too.
    expect(h.gcs).toBe(4 * (1 + xs.length));
    return got.get(key);
  };

  it('one sample: its growth per entity, spread 0', () => {
    expect(one('dag_node', [231.25])).toEqual({ bytes: 231.25, spread: 0 });
  });

  it('two samples: their mean and difference', () => {
    expect(one('dag_node', [5, 3])).toEqual({ bytes: 4, spread: 2 });
  });

  it('three samples: the numeric median (not the middle one, not the text order) and max - min', () => {
    expect(one('scope', [10, 9, 2])).toEqual({ bytes: 9, spread: 8 });
    expect(one('scope', [2, 10, 9])).toEqual({ bytes: 9, spread: 8 });
  });

  it('four samples: the mean of the middle two', () => {
    expect(one('blocker', [10, 9, 2, 100])).toEqual({ bytes: 9.5, spread: 98 });
  });

  it('five samples', () => {
    expect(one('scalar:int32', [50, 40, 30, 20, 10])).toEqual({ bytes: 30, spread: 40 });
  });

  it('rows: a power-of-two count of at least six times count, ArrayBuffers counted', () => {
    expect(one('row', [40.5])).toEqual({ bytes: 40.5, spread: 0 }); // 1024 rows
    expect(one('row', [40.5], 171)).toEqual({ bytes: 40.5, spread: 0 }); // 1026 -> 2048 rows
    expect(one('row', [40.5], 512)).toEqual({ bytes: 40.5, spread: 0 }); // 3072 -> 4096 rows
  });

  it('other kinds: count entities per sample', () => {
    expect(one('string@272', [500], 333)).toEqual({ bytes: 500, spread: 0 });
  });
});

describe('measureEntityBytes: labels and membranes', () => {
  it('labels a membrane\'s measurements "<key> through <kind>"', () => {
    for (const through of ['quota', 'copy_on_mutate'] as const) {
      const s = scriptHeap(() => 3, n100);
      const got = measureEntityBytes((k) => k.startsWith('membrane:') || k === 'row', through, { count: 100, samples: 1, onProgress: s.onProgress });
      const labels = ['row', 'membrane:quota', 'membrane:copy_on_mutate'].map((k) => `${k} through ${through}`);
      expect(s.progress).toEqual(labels);
      expect([...got.keys()]).toEqual(labels);
      for (const v of got.values()) expect(v).toEqual({ bytes: 3, spread: 0 });
    }
  });

  /** The chain of membranes (kind name) of every view entities are declared through, and their paths. */
  function declaredThrough(through: Through, key: string) {
    const seen: { chain: string; parent: string; name: string }[] = [];
    const record = (v: View, path: readonly string[]) => seen.push({ chain: v.chain.map((m) => `${m.kind} ${m.name}`).join(','), parent: v.path.join('.'), name: path.join('.') });
    const scalar = vi.spyOn(Memory.prototype, 'declareScalar');
    const dag = vi.spyOn(Memory.prototype, 'declareDag');
    scriptHeap(() => 1, n100);
    measureEntityBytes((k) => k === key, through, { count: 100, samples: 1 });
    for (const [v, p] of scalar.mock.calls) record(v, p);
    for (const [v, p] of dag.mock.calls) record(v, p);
    return seen;
  }

  it('plain: entities go into groups of 8 under root.p, no membrane', () => {
    const seen = declaredThrough('plain', 'scalar:int8');
    const scalars = seen.filter((d) => d.name.startsWith('s'));
    // Warm-up 200, then 100.
    expect(scalars.map((d) => d.name)).toEqual([...Array.from({ length: 200 }, (_, i) => `s${i}`), ...Array.from({ length: 100 }, (_, i) => `s${i}`)]);
    expect(scalars.slice(0, 200).map((d) => d.parent)).toEqual(Array.from({ length: 200 }, (_, i) => `p.g${Math.floor(i / 8)}`));
    expect(new Set(seen.map((d) => d.chain))).toEqual(new Set(['']));
    // The groups: 25 for 200 entities, 13 for 100; root.p first each time.
    const groups = seen.filter((d) => !d.name.startsWith('s')).map((d) => `${d.parent}|${d.name}`);
    const g = (k: number) => ['|p', ...Array.from({ length: k }, (_, i) => `p|g${i}`)];
    expect(groups).toEqual([...g(25), ...g(13)]);
  });

  it('quota: through one quota membrane q of 10^12 points, direct half of it', () => {
    const quota = vi.spyOn(Memory.prototype, 'quota');
    const seen = declaredThrough('quota', 'dag_node');
    expect(new Set(seen.filter((d) => d.name !== 'p').map((d) => d.chain))).toEqual(new Set(['quota q']));
    expect(quota.mock.calls.map((c) => c.slice(1))).toEqual([
      ['q', 1e12, 5e11, 1e12],
      ['q', 1e12, 5e11, 1e12],
    ]);
    expect(seen.filter((d) => d.name.startsWith('d')).length).toBe(300);
  });

  it('copy_on_mutate: through one copy_on_mutate membrane c', () => {
    const seen = declaredThrough('copy_on_mutate', 'dag_node');
    expect(new Set(seen.filter((d) => d.name !== 'p').map((d) => d.chain))).toEqual(new Set(['copy_on_mutate c']));
  });
});

// ------------------------------------------------------------------ the profile

/** Per-entity growths of three samples by label (one number: all three the same). */
const GROWTH: Record<string, number | [number, number, number]> = {
  dag_node: [228, 230, 233], // median 230, spread 5
  dataframe: 1900,
  row: 60.5, // minus 8 + 4 + 4 column slots: 44.5, rounds to 45
  'string@16': 200,
  'string@272': 584, // slope 384 / 256 = 1.5 -> string_byte 2; string 200 - 16 * 1.5 = 176
  'membrane:quota': [1000, 900, 950], // median 950, spread 100
  'membrane:copy_on_mutate': 870,
  scope: 584,
  blocker: 262.4,
  'scalar:bool': 197.5,
  'scalar:float16': 16,
  'scalar:float32': 32,
  'scalar:float64': 64,
  'scalar:float128': -5, // clamped to 0
  'scalar:float256': 256.49,
  'scalar:int8': 8.5,
  'scalar:int16': 16,
  'scalar:int32': 32,
  'scalar:int64': 250, // int_rule.ref 250 - 24
  'scalar:int128': 128,
  'scalar:int256': 256,
  'scalar:int2048': 2048,
  // through quota: differences from the plain medians, and the spreads' sum + 1 they must exceed
  'dag_node through quota': [241, 238, 243], // 241 - 230 = 11 = 5 + 5 + 1: noise, 0
  'dataframe through quota': 1901, // 1 = 0 + 0 + 1: noise
  'row through quota': 63, // 2.5 -> 3
  'string@16 through quota': 190, // -10
  'string@272 through quota': 702, // +118: slope 128 / 256 = 0.5 -> 1; string -10 - 8 -> 0
  'membrane:quota through quota': [1050, 1100, 1150], // 150 within 100 + 100 + 1
  'membrane:copy_on_mutate through quota': 902, // 32
  'scope through quota': 564, // -20 -> 0
  'blocker through quota': 263.8, // 1.4 -> 1
  'scalar:int64 through quota': 257, // 7
  // through copy_on_mutate
  'dag_node through copy_on_mutate': [240, 242, 245], // 12 > 5 + 5 + 1
  'dataframe through copy_on_mutate': 3080, // 1180
  'row through copy_on_mutate': 91.5, // 31
  'string@16 through copy_on_mutate': 819, // 619
  'string@272 through copy_on_mutate': 1459, // 875: slope 256 / 256 = 1; string 619 - 16 = 603
  'membrane:quota through copy_on_mutate': [1000, 1134, 1100], // 150 within 100 + 134 + 1
  'membrane:copy_on_mutate through copy_on_mutate': 909, // 39
  'scope through copy_on_mutate': 1030, // 446
  'blocker through copy_on_mutate': 514.4, // 252
  'scalar:int64 through copy_on_mutate': 250, // 0
};

function growth(label: string, sample: number): number {
  const g = GROWTH[label];
  if (g === undefined) throw new Error(`no growth for ${label}`);
  return typeof g === 'number' ? g : sample < 0 ? 1 : g[sample]!;
}

const NOTES_1 =
  "An entity costs its node record, its payment record (Acct) and its entry in the parent's persistent hash trie (NameMap buckets: hashes, keys, values, sequence numbers), which is why every DAG entity costs hundreds of bytes here.";
const NOTES_2 =
  "Strings: measured at 16 and 272 one-byte characters; string_byte is the slope, string the rest. Integers are BigInts (16-byte header + 8-byte digits): explicit entries are measured with values of nearly full width; int_rule: ref = int64's measure minus its one-digit BigInt (24), header 16, 64-bit digits, 8-byte alignment.";
const NOTES_3 =
  "row: a row of the seed's dataframe (string, int32, int32; one shared string) minus its values' column slots (8 + 4 + 4 bytes), which the model prices as scalars. Dataframe values live in typed arrays, so a scalar in a row really takes 4-8 bytes here, far less than scalar:* (a DAG node): the profile format has one price per kind, and this profile overprices dataframe contents.";
const extrasNote = (nonZero: string) =>
  `extras: the same allocations through a quota / copy_on_mutate membrane minus the plain ones; a difference within the samples' spread counts as 0. This interpreter keeps one payment record per entity whatever the membrane, and copy_on_mutate copies nothing until a write, so data entities cost nothing extra; a membrane created inside another is also listed among its parent's children. Non-zero: ${nonZero}.`;
const measuredNote = (date: string, count: number, samples: number) =>
  `Measured ${date} with count ${count}, median of ${samples} samples: allocate count entities of a kind through the real model (src/model; scopes and blockers as the interpreter makes them), force two full GCs before and after, and divide the growth of the JS heap (code spaces left out) by count.`;

const EXPECTED_DOC = {
  name: 'v8-measured',
  description: `This interpreter's own data structures on the V8 heap (Node ${process.version}, ${process.arch}), measured by \`merg-e profile measure\`.`,
  notes: [
    measuredNote('2031-04-05', 100, 3),
    NOTES_1,
    NOTES_2,
    NOTES_3,
    extrasNote(
      'row through membrane:quota 3, membrane:copy_on_mutate through membrane:quota 32, blocker through membrane:quota 1, string_byte through membrane:quota 1, ' +
        'scalar:* through membrane:quota 7, dag_node through membrane:copy_on_mutate 12, dataframe through membrane:copy_on_mutate 1180, row through membrane:copy_on_mutate 31, ' +
        'membrane:copy_on_mutate through membrane:copy_on_mutate 39, scope through membrane:copy_on_mutate 446, blocker through membrane:copy_on_mutate 252, string through membrane:copy_on_mutate 603, ' +
        'string_byte through membrane:copy_on_mutate 1',
    ),
    'Raw bytes per entity: dag_node 230.0; dataframe 1900.0; row 60.5; string@16 200.0; string@272 584.0; membrane:quota 950.0; membrane:copy_on_mutate 870.0; scope 584.0; ' +
      'blocker 262.4; scalar:bool 197.5; scalar:float16 16.0; scalar:float32 32.0; scalar:float64 64.0; scalar:float128 -5.0; scalar:float256 256.5; scalar:int8 8.5; ' +
      'scalar:int16 16.0; scalar:int32 32.0; scalar:int64 250.0; scalar:int128 128.0; scalar:int256 256.0; scalar:int2048 2048.0.',
  ],
  bytes: {
    dag_node: 230,
    dataframe: 1900,
    row: 45,
    string: 176,
    'membrane:quota': 950,
    'membrane:copy_on_mutate': 870,
    scope: 584,
    blocker: 262,
    string_byte: 2,
    'scalar:bool': 198,
    'scalar:float16': 16,
    'scalar:float32': 32,
    'scalar:float64': 64,
    'scalar:float128': 0,
    'scalar:float256': 256,
    'scalar:int8': 9,
    'scalar:int16': 16,
    'scalar:int32': 32,
    'scalar:int64': 250,
    'scalar:int128': 128,
    'scalar:int256': 256,
    'scalar:int2048': 2048,
  },
  int_rule: { tiers: [], ref: 226, header: 16, unit_bits: 64, unit_bytes: 8, align: 8 },
  extras: {
    'membrane:quota': {
      dag_node: 0,
      dataframe: 0,
      row: 3,
      'membrane:quota': 0,
      'membrane:copy_on_mutate': 32,
      scope: 0,
      blocker: 1,
      string: 0,
      string_byte: 1,
      'scalar:*': 7,
    },
    'membrane:copy_on_mutate': {
      dag_node: 12,
      dataframe: 1180,
      row: 31,
      'membrane:quota': 0,
      'membrane:copy_on_mutate': 39,
      scope: 446,
      blocker: 252,
      string: 603,
      string_byte: 1,
      'scalar:*': 0,
    },
  },
};

/** Every object's keys, depth first: pins the order JSON.stringify writes them in. */
function keyOrder(x: unknown): string[] {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) return [];
  return Object.entries(x).flatMap(([k, v]) => [k, ...keyOrder(v).map((c) => `${k}.${c}`)]);
}

describe('measureV8Profile', () => {
  function measured(count = 100, samples = 3) {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2031-04-05T23:59:59Z'));
    const s = scriptHeap(growth, n100);
    const m = measureV8Profile({ count, samples, onProgress: s.onProgress });
    return { m, progress: s.progress };
  }

  it('measures every kind plainly, then the extras kinds through quota, then through copy_on_mutate', () => {
    const { m, progress } = measured();
    const expected = [...PLAIN, ...EXTRA.map((k) => `${k} through quota`), ...EXTRA.map((k) => `${k} through copy_on_mutate`)];
    expect(progress).toEqual(expected);
    expect([...m.samples.keys()]).toEqual(expected);
    expect(m.samples.get('dag_node')).toEqual({ bytes: 230, spread: 5 });
    expect(m.samples.get('membrane:quota through copy_on_mutate')).toEqual({ bytes: 1100, spread: 134 });
  });

  it('builds the document from the medians: bytes, int_rule, extras, notes, in this key order', () => {
    const { m } = measured();
    expect(m.doc).toEqual(EXPECTED_DOC);
    expect(keyOrder(m.doc)).toEqual(keyOrder(EXPECTED_DOC));
  });

  it('returns the document parsed as a strict profile named v8-measured.json', () => {
    const { m } = measured();
    expect(m.profile).toEqual(parseProfile(JSON.stringify(EXPECTED_DOC), 'v8-measured.json'));
    expect(m.profile.file).toBe('v8-measured.json');
    expect(m.profile.name).toBe('v8-measured');
    expect(Object.fromEntries(m.profile.bytes)).toEqual(EXPECTED_DOC.bytes);
  });

  it('writes the document as two-space JSON and a newline, "$schema" first when given', () => {
    const { m } = measured();
    expect(heapProfileText(m)).toBe(JSON.stringify(EXPECTED_DOC, null, 2) + '\n');
    const withSchema = heapProfileText(m, '../schemas/runtime-profile.schema.json');
    expect(withSchema).toBe(JSON.stringify({ $schema: '../schemas/runtime-profile.schema.json', ...EXPECTED_DOC }, null, 2) + '\n');
    expect(withSchema.startsWith('{\n  "$schema": "../schemas/runtime-profile.schema.json",\n  "name": "v8-measured",\n')).toBe(true);
    expect(heapProfileText(m, '')).toContain('{\n  "$schema": "",\n  "name"');
  });

  it('with no membrane costs, notes "Non-zero: none"; the count and samples are in the first note', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2030-12-31T00:00:01Z'));
    const s = scriptHeap((label, j) => growth(label.replace(/ through .*/, ''), j), (l) => (l.startsWith('row') ? 2048 : 200));
    const m = measureV8Profile({ count: 200, samples: 1, onProgress: s.onProgress });
    expect(m.doc.notes[0]).toBe(measuredNote('2030-12-31', 200, 1));
    expect(m.doc.notes[4]).toBe(extrasNote('none'));
    for (const t of Object.values(m.doc.extras)) expect(Object.values(t)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('defaults to 3 samples', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2031-04-05T12:00:00Z'));
    const s = scriptHeap(growth, n100);
    const m = measureV8Profile({ count: 100, onProgress: s.onProgress });
    expect(m.doc).toEqual(EXPECTED_DOC);
  });
});

describe('what each kind allocates', () => {
  /** Runs the kinds passing `only` (count 100, one sample) and returns the spied method's calls after the warm-up. */
  function calls<T extends (...a: never[]) => unknown>(spy: { mock: { calls: Parameters<T>[] } }, only: (k: string) => boolean): Parameters<T>[] {
    scriptHeap(() => 1, n100);
    measureEntityBytes(only, 'plain', { count: 100, samples: 1 });
    return spy.mock.calls;
  }
  const sample = <T>(all: T[], n = 100) => all.slice(all.length - n);

  it('strings: 16 and 272 one-byte characters, the index then x', () => {
    const spy = vi.spyOn(Memory.prototype, 'declareScalar');
    const all = calls<Memory['declareScalar']>(spy, (k) => k.startsWith('string@'));
    expect(all.length).toBe(600);
    const at = (i: number) => all[i]!.slice(1) as unknown[];
    expect(at(0)).toEqual([['s0'], 'string', 'xxxxxxxxxxxxxxxx'.replace(/^x/, '0')]);
    expect(at(299)).toEqual([['s99'], 'string', '99xxxxxxxxxxxxxx']);
    expect(at(300 + 200 + 7)).toEqual([['s7'], 'string', '7' + 'x'.repeat(271)]);
    expect(at(300 + 123)).toEqual([['s123'], 'string', '123' + 'x'.repeat(269)]);
  });

  it('scalars: bool alternating from true, floats 0.1 + i/7, ints of nearly full width', () => {
    const spy = vi.spyOn(Memory.prototype, 'declareScalar');
    const all = sample(calls<Memory['declareScalar']>(spy, (k) => k === 'scalar:bool'));
    expect(all.slice(0, 3).map((c) => c.slice(1))).toEqual([[['s0'], 'bool', true], [['s1'], 'bool', false], [['s2'], 'bool', true]]);
    spy.mockClear();
    const floats = sample(calls<Memory['declareScalar']>(spy, (k) => k === 'scalar:float32'));
    expect(floats[14]!.slice(1)).toEqual([['s14'], 'float32', 0.1 + 2]);
    expect(floats.every((c, i) => c[3] === 0.1 + i / 7)).toBe(true);
    spy.mockClear();
    const ints = calls<Memory['declareScalar']>(spy, (k) => k === 'scalar:int8' || k === 'scalar:int2048');
    const int8 = ints.slice(200, 300);
    expect(int8.slice(0, 2).map((c) => c.slice(1))).toEqual([[['s0'], 'int8', 64n], [['s1'], 'int8', 65n]]);
    expect(int8[35]![3]).toBe(64n + 3n); // 35 mod 32
    const int2048 = ints.slice(ints.length - 100);
    expect(int2048[99]!.slice(1)).toEqual([['s99'], 'int2048', (1n << 2046n) + 99n]);
  });

  it('dataframes: the seed\'s columns; rows: appended to one dataframe f', () => {
    const df = vi.spyOn(Memory.prototype, 'declareDataframe');
    const cols = [{ name: 'id', type: 'string' }, { name: 'startval', type: 'int32' }, { name: 'endval', type: 'int32' }];
    const all = sample(calls<Memory['declareDataframe']>(df, (k) => k === 'dataframe'));
    expect(all[5]!.slice(1)).toEqual([['f5'], cols]);
    df.mockClear();
    const rowDfs = calls<Memory['declareDataframe']>(df, (k) => k === 'row');
    expect(rowDfs.map((c) => [c[0].path.join('.'), c[1], c[2]])).toEqual([['p.g0', ['f'], cols], ['p.g0', ['f'], cols]]);
  });

  it('membranes: quota <1, 0, 0> and copy_on_mutate over DAG nodes m<i>', () => {
    const quota = vi.spyOn(Memory.prototype, 'quota');
    const com = vi.spyOn(Memory.prototype, 'copyOnMutate');
    const dag = vi.spyOn(Memory.prototype, 'declareDag');
    calls<Memory['quota']>(quota, (k) => k.startsWith('membrane:'));
    expect(quota.mock.calls.length).toBe(300);
    expect(quota.mock.calls[201]!.slice(1)).toEqual(['m1', 1, 0, 0]);
    expect(quota.mock.calls[201]![0].path).toEqual(['p', 'g0', 'm1']);
    expect(com.mock.calls.length).toBe(300);
    expect(com.mock.calls[299]![1]).toBe('m99');
    expect(com.mock.calls[299]![0].path).toEqual(['p', 'g12', 'm99']);
    expect(dag.mock.calls.filter((c) => c[1][0]!.startsWith('m')).length).toBe(600);
  });

  it('rows: the seed\'s row with a shared id string and int32s i, i + 1', () => {
    const append = vi.spyOn(DataframeHandle.prototype, 'append');
    const all = calls<DataframeHandle['append']>(append, (k) => k === 'row');
    expect(all.length).toBe(200 + 1024);
    expect(all[200 + 1023]).toEqual([['row', 1023n, 1024n]]);
  });

  it('scopes: the interpreter\'s scope #f<i> labelled f<i>, at <profile measure>:1:1', () => {
    const scope = vi.spyOn(World.prototype, 'scope');
    const all = sample(calls<World['scope']>(scope, (k) => k === 'scope'));
    expect(all[17]!.slice(1)).toEqual(['#f17', 'f17', { file: '<profile measure>', line: 1, column: 1, endLine: 1, endColumn: 1 }]);
    expect(all[17]![0].path).toEqual(['p', 'g2']);
  });

  it('blockers: opaque blocker entities with no pending work', () => {
    const op = vi.spyOn(Memory.prototype, 'declareOpaque');
    const all = sample(calls<Memory['declareOpaque']>(op, (k) => k === 'blocker'));
    expect(all[9]!.slice(1)).toEqual([['b9'], 'blocker', { tag: 'blocker', pending: [] }]);
  });
});

describe('the real heap', () => {
  it('measures finite sizes; one sample has spread 0', () => {
    h.realGc = true;
    const got = measureEntityBytes((k) => k === 'dag_node' || k === 'row', 'plain', { count: 100, samples: 1 });
    expect([...got.keys()]).toEqual(['dag_node', 'row']);
    for (const s of got.values()) {
      expect(Number.isFinite(s.bytes)).toBe(true);
      expect(s.spread).toBe(0);
    }
  });

  it('a scope is kept alive while measured: it costs far more than a DAG node', () => {
    h.realGc = true;
    const got = measureEntityBytes((k) => k === 'dag_node' || k === 'scope', 'plain', { count: 3000, samples: 3 });
    expect(got.get('scope')!.bytes - got.get('dag_node')!.bytes).toBeGreaterThan(150); // about 340 B; 0 if the ScopeSpaces were not kept
  });
});
