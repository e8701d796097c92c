// Mutation survivors of src/runtime/basket.ts: which folders are baskets, what basket.json and
// counts.json refuse (every message word for word), what they give back, counts.json's text, the
// basket read once per process, how a --basket value finds its folder (paths, the user's baskets,
// the shipped ones), the kinds `merg-e basket` prices and their order, and the prices of a profile
// over a basket, unblended and blended (quota.md §4, §9).
//
// Prices come from two profiles built in memory over a two-entity basket, so every number below is
// worked out by hand: basket = 1 dag_node + 1 scalar:bool (N = 2).
//   P: dag_node 60 B, bool 4 B  -> bytes_P = 64, one point = 32 B: a kind of b bytes costs b·2000/64 = b·31.25 mp
//   Q: as P but bool 36 B        -> bytes_Q = 96
// Rounding is half to even: 62.5 -> 62, 187.5 -> 188, 312.5 -> 312, 437.5 -> 438, 937.5 -> 938.
// Blended with λ = 1 over {P, Q}, every kind costs G(k)·N / Σ_k c_k G(k) with G(k) the geometric mean
// of b_q(k)/bytes_q: G(dag_node) = 60/√6144, G(bool) = √(4·36)/√6144 = 12/√6144, so a kind held in b
// bytes by both profiles costs b·2000/72 = b·250/9 mp (dag_node 1666.7 -> 1667, bool 333.3 -> 333).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { BASE_KINDS, defaultRuntimesDir, type EntityCounts, type RuntimeProfile } from '../../src/model/index.js';
import {
  basketAt,
  basketCountsText,
  basketFolder,
  basketPrices,
  basketPricing,
  countsJson,
  DEFAULT_WARN_SPREAD,
  defaultBasketsDir,
  isBasketPath,
  listBaskets,
  loadBasket,
  loadBasketFile,
  parseBasket,
  parseBasketCounts,
  pricedKinds,
  readBasketCounts,
  resolveBasket,
  standardBasket,
  standardBasketCounts,
  weightedTotal,
  type Basket,
  type BasketCounts,
  type BasketInUse,
} from '../../src/runtime/basket.js';
import { thrown } from '../support/errors.js';

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** A fresh folder under the system's temporary folder. */
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'merg-e-basket-mut-'));
  made.push(d);
  return d;
}

/** Writes `files` (paths relative to `root`, folders made as needed). */
function put(root: string, files: Record<string, string>): string {
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, f)), { recursive: true });
    writeFileSync(join(root, f), text);
  }
  return root;
}

const basketJson = (name: string, programs: unknown, extra: Record<string, unknown> = {}) => JSON.stringify({ name, description: 'a test basket', programs, ...extra });

/** `fn` with MERG_E_CONFIG_DIR set to `dir` (the user's baskets: DIR/baskets), restored after. */
function withConfig<T>(dir: string, fn: () => T): T {
  const old = process.env['MERG_E_CONFIG_DIR'];
  process.env['MERG_E_CONFIG_DIR'] = dir;
  try {
    return fn();
  } finally {
    if (old === undefined) delete process.env['MERG_E_CONFIG_DIR'];
    else process.env['MERG_E_CONFIG_DIR'] = old;
  }
}

// ------------------------------------------------------------------ profiles and counts by hand

const INT_RULE = { tiers: [{ maxBits: 64, bytes: 8 }], ref: 8, header: 16, unitBits: 64, unitBytes: 8, align: 8 };

function profile(name: string, bool: number): RuntimeProfile {
  const bytes = new Map<string, number>([
    ['dag_node', 60],
    ['dataframe', 40],
    ['row', 20],
    ['string', 30],
    ['membrane:quota', 50],
    ['membrane:copy_on_mutate', 70],
    ['scope', 80],
    ['blocker', 10],
    ['string_byte', 1],
    ['scalar:bool', bool],
    ['scalar:float16', 2],
    ['scalar:float32', 4],
    ['scalar:float64', 8],
    ['scalar:float128', 16],
    ['scalar:float256', 32],
  ]);
  const quota = new Map<string, number>([
    ['dag_node', 2],
    ['dataframe', 4],
    ['row', 6],
    ['string', 8],
    ['membrane:quota', 10],
    ['membrane:copy_on_mutate', 12],
    ['scope', 14],
    ['blocker', 16],
    ['string_byte', 1],
    ['scalar:*', 3],
  ]);
  const com = new Map<string, number>([...BASE_KINDS.map((k): [string, number] => [k, 0]), ['dag_node', 20], ['string_byte', 2], ['scalar:*', 32]]);
  return { name, description: '', notes: [], bytes, intRule: INT_RULE, extras: new Map([['quota', quota], ['copy_on_mutate', com]]), file: '' } as RuntimeProfile;
}

const P = profile('p', 4);
const Q = profile('q', 36);
const K: EntityCounts = { byKind: new Map([['dag_node', 1], ['scalar:bool', 1]]), stringBytes: 0 };

const NO_EXTRAS = { 'membrane:quota': { byKind: {}, stringBytes: 0 }, 'membrane:copy_on_mutate': { byKind: {}, stringBytes: 0 } };

/** Counts as the canonical shape fullCounts gives (kinds sorted, zeros dropped, both membrane kinds). */
function full(byKind: [string, number][], stringBytes: number, quota: [string, number][] = [], quotaBytes = 0, com: [string, number][] = [], comBytes = 0): EntityCounts {
  return {
    byKind: new Map(byKind),
    stringBytes,
    extras: new Map([
      ['quota', new Map(quota)],
      ['copy_on_mutate', new Map(com)],
    ]),
    extraStringBytes: new Map([
      ['quota', quotaBytes],
      ['copy_on_mutate', comBytes],
    ]),
  } as EntityCounts;
}

// ------------------------------------------------------------------ folders

describe('listBaskets', () => {
  it('the sub-folders holding a basket.json, sorted; not files, not folders without one', () => {
    const root = put(tmp(), { 'zeta/basket.json': '{}', 'alpha/basket.json': '{}', 'beta/a.merge': '', gamma: '' });
    expect(listBaskets(root)).toEqual(['alpha', 'zeta']);
    expect(listBaskets()).toEqual(['standard']);
    // Sorted by UTF-16 code units: U+1F600 (D83D DE00) before U+FF21, which Node's directory listing
    // (libuv sorts by bytes: EF BC A1 before F0 9F 98 80) gives the other way round.
    expect(listBaskets(put(tmp(), { '\uFF21/basket.json': '{}', '\u{1F600}/basket.json': '{}' }))).toEqual(['\u{1F600}', '\uFF21']);
    expect(defaultBasketsDir()).toBe(dirname(defaultRuntimesDir()));
  });

  it('a folder that cannot be listed is MRG4001 with the reason\'s code', () => {
    const root = tmp();
    const e = thrown(() => listBaskets(join(root, 'gone')));
    expect([e.code, e.message]).toEqual(['MRG4001', `cannot list baskets in ${join(root, 'gone')}: ENOENT`]);
    put(root, { file: '' });
    expect(thrown(() => listBaskets(join(root, 'file'))).message).toBe(`cannot list baskets in ${join(root, 'file')}: ENOTDIR`);
  });
});

describe('basket.json', () => {
  const good = () =>
    put(tmp(), {
      'mine/a.merge': 'mutable int32 x = 1;\n',
      'mine/sub/b.mrg': 'mutable int32 y = 2;\n',
      'mine/basket.json': basketJson('mine', [{ file: 'a.merge', weight: 3 }, { file: 'sub/b.mrg', weight: 1 }]),
      'outside.merge': 'mutable int32 z = 3;\n',
      'mine/d.merge/x.merge': '',
    });

  it('gives its name, description, folder, programs and the defaults of warnSpread (1.5) and portability (0)', () => {
    const root = good();
    const dir = join(root, 'mine');
    const want: Basket = { name: 'mine', description: 'a test basket', dir, programs: [{ file: 'a.merge', weight: 3 }, { file: 'sub/b.mrg', weight: 1 }], warnSpread: 1.5, portability: 0 };
    expect(DEFAULT_WARN_SPREAD).toBe(1.5);
    expect(loadBasket('mine', root)).toEqual(want);
    expect(loadBasketFile(dir)).toEqual(want);
    const text = basketJson('mine', [{ file: 'a.merge', weight: 3 }], { warnSpread: 2.5, portability: 0.25 });
    expect(parseBasket(text, join(dir, 'basket.json'))).toEqual({ ...want, programs: [{ file: 'a.merge', weight: 3 }], warnSpread: 2.5, portability: 0.25 });
  });

  it('refuses a name that is not its folder\'s, a program outside the folder, missing, a folder, or listed twice (MRG4020, word for word)', () => {
    const root = good();
    const file = join(root, 'mine', 'basket.json');
    const refused = (text: string) => {
      const e = thrown(() => parseBasket(text, file));
      expect(e.code).toBe('MRG4020');
      return e.message;
    };
    const a = { file: 'a.merge', weight: 1 };
    expect(refused(basketJson('other', [a]))).toBe(`${file}: key "name": "other" does not match its folder "mine"`);
    // ../outside.merge exists: only the check keeps it out.
    expect(refused(basketJson('mine', [a, { file: '../outside.merge', weight: 1 }]))).toBe(`${file}: key "programs[1].file": "../outside.merge" must lie inside the basket's folder`);
    expect(refused(basketJson('mine', [a, { file: 'sub/../../outside.merge', weight: 1 }]))).toBe(`${file}: key "programs[1].file": "sub/../../outside.merge" must lie inside the basket's folder`);
    const abs = join(root, 'outside.merge');
    expect(refused(basketJson('mine', [{ file: abs, weight: 1 }]))).toBe(`${file}: key "programs[0].file": "${abs}" must lie inside the basket's folder`);
    expect(refused(basketJson('mine', [a, { file: 'gone.merge', weight: 1 }]))).toBe(`${file}: key "programs[1].file": no such program "gone.merge" beside basket.json`);
    expect(refused(basketJson('mine', [{ file: 'd.merge', weight: 1 }]))).toBe(`${file}: key "programs[0].file": no such program "d.merge" beside basket.json`);
    expect(refused(basketJson('mine', [a, { file: 'sub/b.mrg', weight: 1 }, { file: 'a.merge', weight: 2 }]))).toBe(`${file}: key "programs[2].file": "a.merge" is listed twice`);
  });

  it('loadBasket: a name that is not a basket name, or no such basket, is MRG4021 naming the baskets there', () => {
    const root = good();
    // Folders whose names only a broken name pattern would accept, each with a basket.json.
    put(root, { 'Xmine/basket.json': '{}', 'mineX/basket.json': '{}', '-mine/basket.json': '{}', 'my-basket_2/a.merge': '' });
    put(root, { 'my-basket_2/basket.json': basketJson('my-basket_2', [{ file: 'a.merge', weight: 1 }]) });
    expect(loadBasket('my-basket_2', root).name).toBe('my-basket_2');
    const have = '-mine, Xmine, mine, mineX, my-basket_2';
    for (const name of ['Xmine', 'mineX', '-mine', 'nope']) {
      const e = thrown(() => loadBasket(name, root));
      expect([e.code, e.message]).toEqual(['MRG4021', `no basket named '${name}' in ${root} (have: ${have})`]);
    }
    const gone = join(root, 'gone');
    expect(thrown(() => loadBasket('mine', gone)).message).toBe(`no basket named 'mine' in ${gone} (have: none)`);
    const empty = tmp();
    expect(thrown(() => loadBasket('mine', empty)).message).toBe(`no basket named 'mine' in ${empty} (have: none)`);
    expect(thrown(() => loadBasket('nope')).message).toBe(`no basket named 'nope' in ${defaultBasketsDir()} (have: standard)`);
  });
});

// ------------------------------------------------------------------ counts.json

// Program a (weight 2): 1 dag_node, 1 scope, 3 string bytes, 1 dag_node and 2 string bytes through a quota membrane.
// Program b (weight 1): 2 int8. Total: 2 dag_node, 2 int8, 2 scope, 6 string bytes; quota extras 2 dag_node, 4 bytes.
const progA = full([['dag_node', 1], ['scope', 1]], 3, [['dag_node', 1]], 2);
const progB = full([['scalar:int8', 2]], 0);
const total = full([['dag_node', 2], ['scalar:int8', 2], ['scope', 2]], 6, [['dag_node', 2]], 4);
const COUNTS: BasketCounts = { basket: 'mine', total, programs: [{ file: 'a.merge', weight: 2, counts: progA }, { file: 'b.merge', weight: 1, counts: progB }] };

const NOTE = 'Entities the basket programs allocate (live at the end of each run), written by `merg-e basket --write`. extras: how many of them were added through each membrane kind (they pay its extra bytes). total = Σ weight × program.';

describe('counts.json as text', () => {
  it('countsJson: byKind in kind order without zeros, stringBytes, and both membrane kinds\' extras', () => {
    const c: EntityCounts = { byKind: new Map([['scope', 2], ['scalar:int8', 0], ['dag_node', 3]]), stringBytes: 7, extras: new Map([['quota', new Map([['row', 1], ['dag_node', 1]])]]), extraStringBytes: new Map([['quota', 2]]) };
    expect(JSON.stringify(countsJson(c))).toBe(
      '{"byKind":{"dag_node":3,"scope":2},"stringBytes":7,"extras":{"membrane:quota":{"byKind":{"dag_node":1,"row":1},"stringBytes":2},"membrane:copy_on_mutate":{"byKind":{},"stringBytes":0}}}',
    );
  });

  it('basketCountsText: basket, note, total, then each program\'s file, weight and counts, two-space indented, one newline at the end', () => {
    const extras = (dagNodes: number, bytes: number) => ({ 'membrane:quota': { byKind: dagNodes ? { dag_node: dagNodes } : {}, stringBytes: bytes }, 'membrane:copy_on_mutate': { byKind: {}, stringBytes: 0 } });
    const want = {
      basket: 'mine',
      note: NOTE,
      total: { byKind: { dag_node: 2, 'scalar:int8': 2, scope: 2 }, stringBytes: 6, extras: extras(2, 4) },
      programs: [
        { file: 'a.merge', weight: 2, byKind: { dag_node: 1, scope: 1 }, stringBytes: 3, extras: extras(1, 2) },
        { file: 'b.merge', weight: 1, byKind: { 'scalar:int8': 2 }, stringBytes: 0, extras: extras(0, 0) },
      ],
    };
    const text = basketCountsText(COUNTS);
    expect(text).toBe(JSON.stringify(want, null, 2) + '\n');
    expect(text.split('\n').slice(0, 4)).toEqual(['{', '  "basket": "mine",', `  "note": "${NOTE}",`, '  "total": {']);
    expect(parseBasketCounts(text, 'c.json')).toEqual(COUNTS);
  });

  it('weightedTotal: Σ weight × program', () => {
    expect(weightedTotal(COUNTS.programs)).toEqual(total);
  });
});

describe('counts.json is strict (MRG4020, word for word)', () => {
  const row = (byKind: Record<string, unknown>, stringBytes: unknown = 0, extras: unknown = NO_EXTRAS) => ({ byKind, stringBytes, extras });
  const ok = { basket: 'b', note: '', total: row({ dag_node: 2 }), programs: [{ file: 'a.merge', weight: 2, ...row({ dag_node: 1 }) }] };
  const refused = (o: unknown) => {
    const e = thrown(() => parseBasketCounts(JSON.stringify(o), 'c.json'));
    expect(e.code).toBe('MRG4020');
    return e.message;
  };
  const mustWhole = (key: string, got: string) => `c.json: key "${key}": must be a non-negative whole number, got ${got}`;

  it('reads a good one: its basket, its total and each program\'s file, weight and counts', () => {
    const two = { ...ok, total: row({ dag_node: 3, 'scalar:int8': 0 }, 5), programs: [...ok.programs, { file: 'b.merge', weight: 1, ...row({ dag_node: 1 }, 5) }] };
    expect(parseBasketCounts(JSON.stringify(two), 'c.json')).toEqual({
      basket: 'b',
      total: full([['dag_node', 3]], 5),
      programs: [
        { file: 'a.merge', weight: 2, counts: full([['dag_node', 1]], 0) },
        { file: 'b.merge', weight: 1, counts: full([['dag_node', 1]], 5) },
      ],
    });
  });

  it('the document\'s keys, basket, total and programs', () => {
    expect(refused({ ...ok, more: 1 })).toBe('c.json: key "more": unknown key (allowed: basket, note, total, programs)');
    const { note: _, ...noNote } = ok;
    expect(refused(noNote)).toBe('c.json: key "note": missing');
    expect(refused({ ...ok, basket: 5 })).toBe('c.json: key "basket": must be the basket name');
    expect(refused({ ...ok, total: 5 })).toBe('c.json: key "total": must be an object {"byKind", "stringBytes", "extras"}');
    expect(refused({ ...ok, total: [1] })).toBe('c.json: key "total": must be an object {"byKind", "stringBytes", "extras"}');
    expect(refused({ ...ok, total: { ...ok.total, more: 1 } })).toBe('c.json: key "total.more": unknown key (allowed: byKind, stringBytes, extras)');
    expect(refused({ ...ok, programs: {} })).toBe('c.json: key "programs": must be a non-empty array (one entry per basket program)');
    expect(refused({ ...ok, programs: [] })).toBe('c.json: key "programs": must be a non-empty array (one entry per basket program)');
  });

  it('byKind and the whole numbers', () => {
    expect(refused({ ...ok, total: { ...ok.total, byKind: [] } })).toBe('c.json: key "total.byKind": must be an object of kind -> count');
    expect(refused({ ...ok, total: { stringBytes: 0, extras: NO_EXTRAS } })).toBe('c.json: key "total.byKind": must be an object of kind -> count');
    expect(refused({ ...ok, total: row({ dag_node: 2, widget: 1 }) })).toBe('c.json: key "total.byKind.widget": unknown entity kind');
    expect(refused({ ...ok, total: row({ dag_node: -1 }) })).toBe(mustWhole('total.byKind.dag_node', '-1'));
    expect(refused({ ...ok, total: row({ dag_node: 0.5 }) })).toBe(mustWhole('total.byKind.dag_node', '0.5'));
    expect(refused({ ...ok, total: row({ dag_node: '2' }) })).toBe(mustWhole('total.byKind.dag_node', '"2"'));
    expect(refused({ ...ok, total: row({ dag_node: 2 ** 53 }) })).toBe(mustWhole('total.byKind.dag_node', '9007199254740992'));
    expect(refused({ ...ok, total: { byKind: { dag_node: 2 }, extras: NO_EXTRAS } })).toBe(mustWhole('total.stringBytes', 'undefined'));
    expect(refused({ ...ok, total: row({ dag_node: 2 }, -1) })).toBe(mustWhole('total.stringBytes', '-1'));
    // 0 is a count.
    expect(parseBasketCounts(JSON.stringify({ ...ok, total: row({ dag_node: 2, row: 0 }, 0) }), 'c.json').total.byKind).toEqual(new Map([['dag_node', 2]]));
  });

  it('extras: both membrane kinds, each {byKind, stringBytes}', () => {
    const ex = (e: unknown) => ({ ...ok, total: row({ dag_node: 2 }, 0, e) });
    expect(refused({ ...ok, total: { byKind: { dag_node: 2 }, stringBytes: 0 } })).toBe(
      'c.json: key "total.extras": must be an object {"membrane:quota", "membrane:copy_on_mutate"} (a counts.json written before membrane extras were counted: run \'merg-e basket --write\')',
    );
    expect(refused(ex({ ...NO_EXTRAS, 'membrane:x': {} }))).toBe('c.json: key "total.extras.membrane:x": unknown key (allowed: membrane:quota, membrane:copy_on_mutate)');
    expect(refused(ex({ 'membrane:quota': NO_EXTRAS['membrane:quota'] }))).toBe('c.json: key "total.extras.membrane:copy_on_mutate": missing');
    expect(refused(ex({ ...NO_EXTRAS, 'membrane:quota': 1 }))).toBe('c.json: key "total.extras.membrane:quota": must be an object {"byKind", "stringBytes"}');
    expect(refused(ex({ ...NO_EXTRAS, 'membrane:copy_on_mutate': { byKind: {}, stringBytes: 0, more: 1 } }))).toBe(
      'c.json: key "total.extras.membrane:copy_on_mutate.more": unknown key (allowed: byKind, stringBytes)',
    );
    expect(refused(ex({ ...NO_EXTRAS, 'membrane:quota': { stringBytes: 0 } }))).toBe('c.json: key "total.extras.membrane:quota.byKind": missing');
    expect(refused(ex({ ...NO_EXTRAS, 'membrane:quota': { byKind: { widget: 1 }, stringBytes: 0 } }))).toBe('c.json: key "total.extras.membrane:quota.byKind.widget": unknown entity kind');
    expect(refused(ex({ ...NO_EXTRAS, 'membrane:quota': { byKind: {}, stringBytes: -1 } }))).toBe(mustWhole('total.extras.membrane:quota.stringBytes', '-1'));
    expect(refused(ex({ ...NO_EXTRAS, 'membrane:copy_on_mutate': { byKind: { row: 1.5 }, stringBytes: 0 } }))).toBe(mustWhole('total.extras.membrane:copy_on_mutate.byKind.row', '1.5'));
  });

  it('programs: objects with file, weight (a whole number of at least 1) and counts', () => {
    const p0 = ok.programs[0]!;
    const withProgram = (p: unknown) => ({ ...ok, programs: [p] });
    expect(refused(withProgram(5))).toBe('c.json: key "programs[0]": must be an object');
    expect(refused({ ...ok, programs: [p0, { ...p0, byKind: { widget: 1 } }] })).toBe('c.json: key "programs[1].byKind.widget": unknown entity kind');
    expect(refused({ ...ok, programs: [p0, { ...p0, more: 1 }] })).toBe('c.json: key "programs[1].more": unknown key (allowed: file, weight, byKind, stringBytes, extras)');
    const { file: _, ...noFile } = p0;
    expect(refused(withProgram(noFile))).toBe('c.json: key "programs[0].file": missing');
    expect(refused(withProgram({ ...p0, file: 5 }))).toBe('c.json: key "programs[0].file": must be a string');
    for (const weight of ['2', 1.5, 0, 2 ** 53]) expect(refused(withProgram({ ...p0, weight }))).toBe('c.json: key "programs[0].weight": must be a whole number of at least 1');
    // A weight of 1 is a weight.
    expect(parseBasketCounts(JSON.stringify({ ...ok, total: row({ dag_node: 1 }), programs: [{ ...p0, weight: 1 }] }), 'c.json').programs[0]!.weight).toBe(1);
  });

  it('a total that is not Σ weight × program is MRG4050 showing three differences and how many more', () => {
    const mismatch = (byKind: Record<string, number>) => {
      const e = thrown(() => parseBasketCounts(JSON.stringify({ ...ok, total: row(byKind) }), 'c.json'));
      expect(e.code).toBe('MRG4050');
      return e.message;
    };
    const head = 'c.json: the total does not match its programs (Σ weight × program): ';
    expect(mismatch({ dag_node: 3 })).toBe(`${head}dag_node is 3, the programs add up to 2`);
    const three = 'blocker is 1, the programs add up to 0; dag_node is 3, the programs add up to 2; row is 1, the programs add up to 0';
    expect(mismatch({ blocker: 1, dag_node: 3, row: 1 })).toBe(`${head}${three}`);
    expect(mismatch({ blocker: 1, dag_node: 3, row: 1, scope: 1 })).toBe(`${head}${three}; and 1 more`);
    expect(mismatch({ blocker: 1, dag_node: 3, row: 1, scope: 1, 'scalar:bool': 4 })).toBe(`${head}${three}; and 2 more`);
  });
});

// ------------------------------------------------------------------ committed counts, read once

/** A baskets folder with basket `name` (one program a.merge, weight 2) and, unless null, its counts.json naming `countsName`. */
function committed(name: string, countsName: string | null = name): string {
  const root = tmp();
  const files: Record<string, string> = { [`${name}/a.merge`]: 'mutable dag d;\n', [`${name}/basket.json`]: basketJson(name, [{ file: 'a.merge', weight: 2 }]) };
  if (countsName !== null) {
    const row = (n: number) => ({ byKind: { dag_node: n }, stringBytes: 0, extras: NO_EXTRAS });
    files[`${name}/counts.json`] = JSON.stringify({ basket: countsName, note: '', total: row(2), programs: [{ file: 'a.merge', weight: 2, ...row(1) }] });
  }
  return put(root, files);
}

describe('a basket file that cannot be read is MRG4020 naming it', () => {
  const unreadable = (fn: () => unknown, path: string, why: string) => {
    const e = thrown(fn);
    expect([e.code, e.message]).toEqual(['MRG4020', `cannot read ${path}: ${why}`]);
  };

  it('basket.json missing (loadBasketFile) or a folder (loadBasket, basketAt)', () => {
    const root = put(tmp(), { 'mine/a.merge': '', 'mine/basket.json/x': '' });
    const dir = join(root, 'mine');
    unreadable(() => loadBasketFile(join(root, 'gone')), join(root, 'gone', 'basket.json'), 'no such file');
    unreadable(() => loadBasket('mine', root), join(dir, 'basket.json'), 'it is a directory');
    unreadable(() => basketAt(dir), join(dir, 'basket.json'), 'it is a directory');
  });

  it('counts.json a folder (readBasketCounts, basketAt)', () => {
    const root = put(tmp(), { 'mine/a.merge': '', 'mine/basket.json': basketJson('mine', [{ file: 'a.merge', weight: 1 }]), 'mine/counts.json/x': '' });
    const dir = join(root, 'mine');
    unreadable(() => readBasketCounts(loadBasket('mine', root)), join(dir, 'counts.json'), 'it is a directory');
    unreadable(() => basketAt(dir), join(dir, 'counts.json'), 'it is a directory');
  });
});

describe('committed counts', () => {
  it('readBasketCounts: null without a counts.json; its counts; MRG4020 when it names another basket', () => {
    expect(readBasketCounts(loadBasket('mine', committed('mine', null)))).toBeNull();
    const c = readBasketCounts(loadBasket('mine', committed('mine')));
    expect(c).toEqual({ basket: 'mine', total: full([['dag_node', 2]], 0), programs: [{ file: 'a.merge', weight: 2, counts: full([['dag_node', 1]], 0) }] });
    const root = committed('mine', 'other');
    const path = join(root, 'mine', 'counts.json');
    const e = thrown(() => readBasketCounts(loadBasket('mine', root)));
    expect([e.code, e.message]).toEqual(['MRG4020', `${path}: key "basket": "other" is not this basket ("mine")`]);
  });

  it('basketAt: the basket and its committed total, read once per process', () => {
    const dir = join(committed('mine'), 'mine');
    const b = basketAt(dir);
    expect(b).toEqual({ basket: loadBasketFile(dir), counts: full([['dag_node', 2]], 0) });
    // Read once: what changes in the folder afterwards is not seen.
    rmSync(join(dir, 'counts.json'));
    expect(basketAt(dir)).toBe(b);
  });

  it('basketAt: MRG4020 without counts.json (saying how to measure it) or when it names another basket', () => {
    const dir = join(committed('mine', null), 'mine');
    const e = thrown(() => basketAt(dir));
    expect([e.code, e.message]).toEqual(['MRG4020', `${join(dir, 'counts.json')} is missing: run 'merg-e basket --write --basket ${dir}' to measure the basket`]);
    // The standard basket is measured without naming it.
    const std = join(committed('standard', null), 'standard');
    expect(thrown(() => basketAt(std)).message).toBe(`${join(std, 'counts.json')} is missing: run 'merg-e basket --write' to measure the basket`);
    const other = join(committed('mine', 'other'), 'mine');
    const e2 = thrown(() => basketAt(other));
    expect([e2.code, e2.message]).toEqual(['MRG4020', `${join(other, 'counts.json')}: key "basket": "other" is not this basket ("mine")`]);
  });

  it('standardBasket: the shipped standard basket, read once; standardBasketCounts its total', () => {
    const s = standardBasket();
    expect(s).toBe(basketAt(join(defaultBasketsDir(), 'standard')));
    expect(s.basket.name).toBe('standard');
    expect(standardBasket()).toBe(s);
    expect(standardBasketCounts()).toBe(s.counts);
  });
});

// ------------------------------------------------------------------ --basket

describe('which folder a --basket value names', () => {
  it('isBasketPath: a value with a slash or starting with a dot is a folder path', () => {
    expect(['a/b', 'mine/', '/abs', '.', '..', '.x', './mine'].map(isBasketPath)).toEqual([true, true, true, true, true, true, true]);
    expect(['mine', 'x.', 'a.b', 'my-basket_2'].map(isBasketPath)).toEqual([false, false, false, false]);
  });

  it('no value: the shipped standard basket; a path: that folder (from cwd) when it holds basket.json, else MRG4021', () => {
    expect(basketFolder(undefined)).toBe(join(defaultBasketsDir(), 'standard'));
    const root = committed('mine');
    expect(basketFolder('./mine', root)).toBe(join(root, 'mine'));
    expect(basketFolder('mine/', root)).toBe(join(root, 'mine'));
    expect(basketFolder(join(root, 'mine'), '/')).toBe(join(root, 'mine'));
    const e = thrown(() => basketFolder('./nope', root));
    expect([e.code, e.message]).toEqual(['MRG4021', `no basket in ${join(root, 'nope')} (a basket folder holds basket.json and counts.json)`]);
    // A folder that exists but holds no basket.json is no basket either.
    put(root, { 'empty/a.merge': '' });
    expect(thrown(() => basketFolder('./empty', root)).message).toBe(`no basket in ${join(root, 'empty')} (a basket folder holds basket.json and counts.json)`);
    expect(resolveBasket('./mine', root)).toBe(basketAt(join(root, 'mine')));
    expect(resolveBasket(undefined)).toBe(standardBasket());
  });

  it('a name: the user\'s basket of that name first, then the shipped one; else MRG4021 listing both, once each, sorted', () => {
    const cfg = tmp();
    const user = join(cfg, 'baskets');
    const shipped = defaultBasketsDir();
    // Folders whose names only a broken name pattern would accept, a user basket `standard` and two more.
    put(user, { 'zzz/basket.json': '{}', 'aaa/basket.json': '{}', 'standard/basket.json': '{}', 'Xmine/basket.json': '{}', 'mineX/basket.json': '{}', 'no-basket/a.merge': '' });
    withConfig(cfg, () => {
      expect(basketFolder('zzz', '/')).toBe(join(user, 'zzz'));
      expect(basketFolder('standard', '/')).toBe(join(user, 'standard'));
      const hint = `Baskets are folders with a basket.json: yours in ${user}, the shipped ones in ${shipped}; or give a folder path.`;
      for (const name of ['nope', 'Xmine', 'mineX', 'no-basket']) {
        const e = thrown(() => basketFolder(name, '/'));
        expect([e.code, e.message, e.diagnostic.hint]).toEqual(['MRG4021', `no basket named '${name}' (have: Xmine, aaa, mineX, standard, zzz)`, hint]);
      }
    });
    // No user baskets folder: only the shipped ones; a shipped name is the shipped folder.
    withConfig(join(cfg, 'none'), () => {
      expect(basketFolder('standard', '/')).toBe(join(shipped, 'standard'));
      expect(thrown(() => basketFolder('nope', '/')).message).toBe("no basket named 'nope' (have: standard)");
      // Shipped folders without a basket.json are not baskets.
      for (const name of ['runtimes', 'corpus']) expect(thrown(() => basketFolder(name, '/')).message).toBe(`no basket named '${name}' (have: standard)`);
    });
    // The shipped `standard` sorts between the user's `aaa` and `zzz`.
    const cfg2 = tmp();
    put(join(cfg2, 'baskets'), { 'zzz/basket.json': '{}', 'aaa/basket.json': '{}' });
    withConfig(cfg2, () => expect(thrown(() => basketFolder('nope', '/')).message).toBe("no basket named 'nope' (have: aaa, standard, zzz)"));
  });
});

// ------------------------------------------------------------------ prices

describe('basketPricing', () => {
  const inUse = (portability: number): BasketInUse => ({ basket: { name: 't', description: '', dir: tmpdir(), programs: [], warnSpread: 1.5, portability }, counts: K });

  it('portability 0: the profile\'s own prices over the basket (quota.md §4), not a blend', () => {
    const p = basketPricing(P, inUse(0), [P, Q]);
    expect([p.profile.name, p.blend, p.lambda, p.bytes, p.entities]).toEqual(['p', undefined, 0, 64n, 2n]);
    expect([p.priceOfKind('dag_node'), p.priceOfKind('scalar:bool')]).toEqual([1875, 125]);
  });

  it('portability 1: the blend over the profiles in use, the priced profile among them once', () => {
    const prices = (p: RuntimeProfile, reference: RuntimeProfile[]) => {
      const x = basketPricing(p, inUse(1), reference);
      return [x.lambda, x.priceOfKind('dag_node'), x.priceOfKind('scalar:bool'), x.blend!.reference.map((r) => r.name)];
    };
    expect(prices(P, [P, Q])).toEqual([1, 1667, 333, ['p', 'q']]);
    expect(prices(P, [Q])).toEqual([1, 1667, 333, ['q', 'p']]);
    expect(prices(Q, [P, Q])).toEqual([1, 1667, 333, ['p', 'q']]);
    // Over P alone every kind costs its own bytes' share: 1875 and 125 again.
    expect(prices(P, [])).toEqual([1, 1875, 125, ['p']]);
  });
});

describe('pricedKinds', () => {
  it('every base kind, then the common scalars and those the counts hold, by family and width', () => {
    // int24 and int512 come after the uints in the counts: they still go among the ints, by width.
    const counts: EntityCounts = {
      byKind: new Map([['scalar:uint64', 1], ['dag_node', 2], ['scalar:uint8', 1], ['scalar:int8', 3], ['scalar:float64', 1], ['row', 1], ['scalar:int512', 1], ['scalar:int24', 1]]),
      stringBytes: 0,
    };
    expect(pricedKinds(counts)).toEqual([
      'dag_node',
      'dataframe',
      'row',
      'string',
      'membrane:quota',
      'membrane:copy_on_mutate',
      'scope',
      'blocker',
      'scalar:bool',
      'scalar:float16',
      'scalar:float32',
      'scalar:float64',
      'scalar:float128',
      'scalar:float256',
      'scalar:int8',
      'scalar:int16',
      'scalar:int24',
      'scalar:int32',
      'scalar:int64',
      'scalar:int128',
      'scalar:int256',
      'scalar:int512',
      'scalar:int2048',
      'scalar:uint8',
      'scalar:uint64',
    ]);
    expect(pricedKinds(K)).toEqual(pricedKinds({ byKind: new Map(), stringBytes: 0 }));
    expect(pricedKinds(K)).toHaveLength(8 + 1 + 5 + 7);
  });
});

describe('basketPrices', () => {
  it('unblended: bytes_P, N, each priced kind (the empty string for `string`), a string byte, and the extras per membrane kind', () => {
    const p = basketPrices(K, P);
    expect([p.profile, p.basketBytes, p.entities, p.stringByte]).toEqual(['p', 64n, 2n, 31]);
    // int8..int64: 8 B; int128: 8 + align(16 + 2·8) = 40; int256: 8 + 48 = 56; int2048: 8 + 16 + 32·8 = 280.
    expect([...p.prices]).toEqual([
      ['dag_node', 1875],
      ['dataframe', 1250],
      ['row', 625],
      ['string', 938],
      ['membrane:quota', 1562],
      ['membrane:copy_on_mutate', 2188],
      ['scope', 2500],
      ['blocker', 312],
      ['scalar:bool', 125],
      ['scalar:float16', 62],
      ['scalar:float32', 125],
      ['scalar:float64', 250],
      ['scalar:float128', 500],
      ['scalar:float256', 1000],
      ['scalar:int8', 250],
      ['scalar:int16', 250],
      ['scalar:int32', 250],
      ['scalar:int64', 250],
      ['scalar:int128', 1250],
      ['scalar:int256', 1750],
      ['scalar:int2048', 8750],
    ]);
    expect([...p.extras.keys()]).toEqual(['quota', 'copy_on_mutate']);
    expect([...p.extras.get('quota')!]).toEqual([
      ['dag_node', 62],
      ['dataframe', 125],
      ['row', 188],
      ['string', 250],
      ['membrane:quota', 312],
      ['membrane:copy_on_mutate', 375],
      ['scope', 438],
      ['blocker', 500],
      ['string_byte', 31],
      ['scalar:*', 94],
    ]);
    expect([...p.extras.get('copy_on_mutate')!]).toEqual([...BASE_KINDS.map((k) => [k, k === 'dag_node' ? 625 : 0]), ['string_byte', 62], ['scalar:*', 1000]]);
  });

  it('the kinds asked for; a blend of λ 0 is the unblended prices; λ 1 prices each kind b·250/9', () => {
    expect([...basketPrices(K, P, ['scope', 'string']).prices]).toEqual([
      ['scope', 2500],
      ['string', 938],
    ]);
    expect(basketPrices(K, P, undefined, { lambda: 0, reference: [P, Q] })).toEqual(basketPrices(K, P));
    // λ 0 does not read the reference: a profile there that holds the basket in 0 bytes (MRG4051 when priced) changes nothing.
    const zero: RuntimeProfile = { ...P, name: 'zero', bytes: new Map([...P.bytes, ['dag_node', 0], ['scalar:bool', 0]]) };
    expect(thrown(() => basketPrices(K, zero)).code).toBe('MRG4051');
    expect(basketPrices(K, P, undefined, { lambda: 0, reference: [zero] })).toEqual(basketPrices(K, P));
    const b = basketPrices(K, P, ['dag_node', 'scalar:bool', 'dataframe', 'string'], { lambda: 1, reference: [P, Q] });
    // dataframe 40·250/9 = 1111.1, string 30·250/9 = 833.3, a string byte 27.8, a quota extra of a dag_node (2 B) 55.6.
    expect([...b.prices]).toEqual([
      ['dag_node', 1667],
      ['scalar:bool', 333],
      ['dataframe', 1111],
      ['string', 833],
    ]);
    expect([b.basketBytes, b.entities, b.stringByte, b.extras.get('quota')!.get('dag_node')]).toEqual([64n, 2n, 28, 56]);
  });
});
