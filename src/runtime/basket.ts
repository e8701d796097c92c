// Baskets (quota.md §4): a basket is a folder `baskets/<name>/` with a `basket.json` listing
// representative Merg-E programs and their integer weights. Normalization needs the entities those
// programs allocate; running them at every `merg-e run` start would be slow, so their measured counts
// are committed beside them in `counts.json` (written by `merg-e basket --write`, checked by a test).
// This file reads and writes those files; basket-measure.ts runs the programs.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, normalize, resolve, sep } from 'node:path';

import { fail } from '../diagnostics.js';
import { checkBasketJson } from '../schemas/index.js';
import { userBasketsDir } from '../user-folders.js';
import { badKey, isObject, parseJsonObject, readJsonText, type Json } from '../strict-json.js';
import {
  BASE_KINDS,
  countDifferences,
  defaultRuntimesDir,
  fullCounts,
  isEntityKind,
  MEMBRANE_KINDS,
  Pricing,
  weightedCounts,
  type Blend,
  type EntityCounts,
  type MembraneKind,
  type RuntimeProfile,
} from '../model/index.js';

export const STANDARD_BASKET = 'standard';
export const COUNTS_FILE = 'counts.json';

export interface BasketProgram {
  /** Path relative to the basket's folder. */
  readonly file: string;
  readonly weight: number;
}

export interface Basket {
  readonly name: string;
  readonly description: string;
  /** The basket's folder (absolute). */
  readonly dir: string;
  readonly programs: readonly BasketProgram[];
  /** A run whose points spread more than this across the profiles is unlike the basket (MRG4052). */
  readonly warnSpread: number;
  /** λ of the portability blend (quota.md §9); 0: the seed's normalization. */
  readonly portability: number;
}

/** basket.json's `warnSpread` when it has none. */
export const DEFAULT_WARN_SPREAD = 1.5;

/** What a basket's programs allocate: weighted totals and each program's own (unweighted) counts. */
export interface BasketCounts {
  readonly basket: string;
  readonly total: EntityCounts;
  readonly programs: readonly { readonly file: string; readonly weight: number; readonly counts: EntityCounts }[];
}

function bad(file: string, key: string, why: string): never {
  badKey('MRG4020', file, key, why);
}

function onlyKeys(file: string, prefix: string, v: Record<string, Json>, allowed: readonly string[]): void {
  for (const k of Object.keys(v)) if (!allowed.includes(k)) bad(file, `${prefix}${k}`, `unknown key (allowed: ${allowed.join(', ')})`);
  for (const k of allowed) if (!(k in v)) bad(file, `${prefix}${k}`, 'missing');
}

function parseJson(text: string, file: string): Record<string, Json> {
  return parseJsonObject('MRG4020', text, file);
}

/** The `baskets` folder that holds `runtimes/` and every basket (found upward from this module). */
export function defaultBasketsDir(): string {
  return dirname(defaultRuntimesDir());
}

/** Basket names: sub-folders of `dir` holding a basket.json, sorted. */
export function listBaskets(dir = defaultBasketsDir()): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    fail('MRG4001', `cannot list baskets in ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return names.filter((n) => existsSync(join(dir, n, 'basket.json'))).sort();
}

/**
 * Parses a basket.json: `{"name", "description", "programs": [{"file", "weight"}]}`. Program files are
 * `.merge`/`.mrg` paths inside the basket's folder; weights are positive integers.
 */
export function parseBasket(text: string, file: string): Basket {
  const raw = parseJson(text, file);
  // The structure against schemas/basket.schema.json; here what a schema cannot say.
  checkBasketJson(raw, file);
  const json = raw as unknown as { name: string; description: string; programs: BasketProgram[]; warnSpread?: number; portability?: number };
  const dir = dirname(file);
  if (json.name !== basename(dir)) bad(file, 'name', `"${json.name}" does not match its folder "${basename(dir)}"`);
  const seen = new Set<string>();
  const programs = json.programs.map(({ file: f, weight }, i): BasketProgram => {
    const key = `programs[${i}].file`;
    // Outside: `..` as the first segment once normalized (a name like `..x.merge` is inside), or absolute.
    const n = normalize(f);
    if (n.startsWith(`..${sep}`) || n.startsWith(sep) || f.startsWith('/')) bad(file, key, `"${f}" must lie inside the basket's folder`);
    if (!existsSync(join(dir, f)) || !statSync(join(dir, f)).isFile()) bad(file, key, `no such program "${f}" beside basket.json`);
    if (seen.has(f)) bad(file, key, `"${f}" is listed twice`);
    seen.add(f);
    return { file: f, weight };
  });
  return { name: json.name, description: json.description, dir, programs, warnSpread: json.warnSpread ?? DEFAULT_WARN_SPREAD, portability: json.portability ?? 0 };
}

/** The basket.json in the folder `dir`. */
export function loadBasketFile(dir: string): Basket {
  const path = join(dir, 'basket.json');
  return parseBasket(readJsonText('MRG4020', path), path);
}

/** The basket `name` in `dir` (MRG4021 naming it when there is none). */
export function loadBasket(name: string, dir = defaultBasketsDir()): Basket {
  const path = join(dir, name, 'basket.json');
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(name) || !existsSync(path)) {
    const have = existsSync(dir) ? listBaskets(dir) : [];
    fail('MRG4021', `no basket named '${name}' in ${dir} (have: ${have.join(', ') || 'none'})`);
  }
  return parseBasket(readJsonText('MRG4020', path), path);
}

// ------------------------------------------------------------------ counts.json

const EXTRA_KEYS = MEMBRANE_KINDS.map((m) => `membrane:${m}`);

function kindsJson(m: ReadonlyMap<string, number>) {
  return Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Counts as the JSON of counts.json and `merg-e basket --json`: byKind, stringBytes, extras per membrane kind. */
export function countsJson(c: EntityCounts) {
  const f = fullCounts(c);
  return {
    byKind: kindsJson(f.byKind),
    stringBytes: f.stringBytes,
    extras: Object.fromEntries(MEMBRANE_KINDS.map((m) => [`membrane:${m}`, { byKind: kindsJson(f.extras.get(m) as ReadonlyMap<string, number>), stringBytes: f.extraStringBytes.get(m) }])),
  };
}

/** The text of a counts.json (stable key order, one program per line block). */
export function basketCountsText(c: BasketCounts): string {
  const doc = {
    basket: c.basket,
    note: 'Entities the basket programs allocate (live at the end of each run), written by `merg-e basket --write`. extras: how many of them were added through each membrane kind (they pay its extra bytes). total = Σ weight × program.',
    total: countsJson(c.total),
    programs: c.programs.map((p) => ({ file: p.file, weight: p.weight, ...countsJson(p.counts) })),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

function wholeCount(file: string, key: string, n: Json): number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) bad(file, key, `must be a non-negative whole number, got ${JSON.stringify(n)}`);
  return n;
}

function kindCounts(file: string, key: string, v: Json): Map<string, number> {
  if (!isObject(v)) bad(file, key, 'must be an object of kind -> count');
  const out = new Map<string, number>();
  for (const [k, n] of Object.entries(v)) {
    if (!isEntityKind(k)) bad(file, `${key}.${k}`, 'unknown entity kind');
    out.set(k, wholeCount(file, `${key}.${k}`, n));
  }
  return out;
}

function parseEntityCounts(file: string, key: string, v: Record<string, Json>): EntityCounts {
  const byKind = kindCounts(file, `${key}byKind`, v['byKind']);
  const stringBytes = wholeCount(file, `${key}stringBytes`, v['stringBytes']);
  const ex = v['extras'];
  if (!isObject(ex)) bad(file, `${key}extras`, `must be an object {${EXTRA_KEYS.map((k) => `"${k}"`).join(', ')}} (a counts.json written before membrane extras were counted: run 'merg-e basket --write')`);
  onlyKeys(file, `${key}extras.`, ex, EXTRA_KEYS);
  const extras = new Map<MembraneKind, Map<string, number>>();
  const extraStringBytes = new Map<MembraneKind, number>();
  for (const m of MEMBRANE_KINDS) {
    const k = `${key}extras.membrane:${m}`;
    const t = ex[`membrane:${m}`];
    if (!isObject(t)) bad(file, k, 'must be an object {"byKind", "stringBytes"}');
    onlyKeys(file, `${k}.`, t, ['byKind', 'stringBytes']);
    extras.set(m, kindCounts(file, `${k}.byKind`, t['byKind']));
    extraStringBytes.set(m, wholeCount(file, `${k}.stringBytes`, t['stringBytes']));
  }
  return fullCounts({ byKind, stringBytes, extras, extraStringBytes });
}

/**
 * Parses a counts.json (strict, like profiles: unknown keys and bad numbers are MRG4020). Its total
 * must be Σ weight × program exactly (MRG4050): a hand-edited total would silently move every price.
 */
export function parseBasketCounts(text: string, file: string): BasketCounts {
  const json = parseJson(text, file);
  onlyKeys(file, '', json, ['basket', 'note', 'total', 'programs']);
  const basket = json['basket'];
  if (typeof basket !== 'string') bad(file, 'basket', 'must be the basket name');
  const total = json['total'];
  if (!isObject(total)) bad(file, 'total', 'must be an object {"byKind", "stringBytes", "extras"}');
  const stated = parseEntityCounts(file, 'total.', total);
  onlyKeys(file, 'total.', total, ['byKind', 'stringBytes', 'extras']);
  const list = json['programs'];
  if (!Array.isArray(list) || list.length === 0) bad(file, 'programs', 'must be a non-empty array (one entry per basket program)');
  const programs = list.map((p: Json, i) => {
    const key = `programs[${i}].`;
    if (!isObject(p)) bad(file, `programs[${i}]`, 'must be an object');
    const counts = parseEntityCounts(file, key, p);
    onlyKeys(file, key, p, ['file', 'weight', 'byKind', 'stringBytes', 'extras']);
    if (typeof p['file'] !== 'string') bad(file, `${key}file`, 'must be a string');
    if (typeof p['weight'] !== 'number' || !Number.isSafeInteger(p['weight']) || p['weight'] < 1) bad(file, `${key}weight`, 'must be a whole number of at least 1');
    return { file: p['file'], weight: p['weight'], counts };
  });
  const diff = countDifferences(stated, weightedTotal(programs));
  if (diff.length > 0) {
    const shown = diff.slice(0, 3).map((d) => `${d.what} is ${d.a}, the programs add up to ${d.b}`).join('; ');
    fail('MRG4050', `${file}: the total does not match its programs (Σ weight × program): ${shown}${diff.length > 3 ? `; and ${diff.length - 3} more` : ''}`);
  }
  return { basket, total: stated, programs };
}

/** Σ weight × counts over the programs. */
export function weightedTotal(programs: BasketCounts['programs']): EntityCounts {
  return weightedCounts(programs);
}

/** The committed counts of a basket (its counts.json), or null when it has none yet. */
export function readBasketCounts(b: Basket): BasketCounts | null {
  const path = join(b.dir, COUNTS_FILE);
  if (!existsSync(path)) return null;
  const c = parseBasketCounts(readJsonText('MRG4020', path), path);
  if (c.basket !== b.name) bad(path, 'basket', `"${c.basket}" is not this basket ("${b.name}")`);
  return c;
}

/** A basket as runs normalize by it: its basket.json and its committed counts. */
export interface BasketInUse {
  readonly basket: Basket;
  /** The committed counts' weighted total (counts.json). */
  readonly counts: EntityCounts;
}

const inUse = new Map<string, BasketInUse>();

/**
 * The basket in the folder `dir` with its committed counts, read once per process (a run's start
 * reads only basket.json and counts.json: the programs are checked by `merg-e basket` and by the test
 * that fails when the counts are stale). MRG4020 when it has no counts.json yet.
 */
export function basketAt(dir: string): BasketInUse {
  let b = inUse.get(dir);
  if (b === undefined) {
    const file = join(dir, 'basket.json');
    const basket = parseBasket(readJsonText('MRG4020', file), file);
    const path = join(dir, COUNTS_FILE);
    if (!existsSync(path)) fail('MRG4020', `${path} is missing: run 'merg-e basket --write${basket.name === STANDARD_BASKET ? '' : ` --basket ${dir}`}' to measure the basket`);
    const committed = parseBasketCounts(readJsonText('MRG4020', path), path);
    if (committed.basket !== basket.name) bad(path, 'basket', `"${committed.basket}" is not this basket ("${basket.name}")`);
    b = { basket, counts: committed.total };
    inUse.set(dir, b);
  }
  return b;
}

/** Whether a --basket value is a folder path rather than a basket name. */
export function isBasketPath(ref: string): boolean {
  return ref.includes('/') || ref.includes(sep) || ref.startsWith('.');
}

/**
 * The basket a command runs by: a folder path (holding basket.json and counts.json), or a name looked
 * up among the user's baskets (merg-e basket fit --write NAME) and then the shipped ones; the
 * standard basket when none is named. MRG4021 when the name is unknown.
 */
export function resolveBasket(ref: string | undefined, cwd = process.cwd()): BasketInUse {
  return basketAt(basketFolder(ref, cwd));
}

/** The folder of the basket `ref` names (see resolveBasket); MRG4021 when there is none. */
export function basketFolder(ref: string | undefined, cwd = process.cwd()): string {
  const shipped = defaultBasketsDir();
  if (ref === undefined) return join(shipped, STANDARD_BASKET);
  if (isBasketPath(ref)) {
    const dir = resolve(cwd, ref);
    if (!existsSync(join(dir, 'basket.json'))) fail('MRG4021', `no basket in ${dir} (a basket folder holds basket.json and counts.json)`);
    return dir;
  }
  const user = userBasketsDir();
  const named = /^[a-z0-9][a-z0-9_-]*$/.test(ref);
  if (named && existsSync(join(user, ref, 'basket.json'))) return join(user, ref);
  if (!named || !existsSync(join(shipped, ref, 'basket.json'))) {
    const have = [...new Set([...(existsSync(user) ? listBaskets(user) : []), ...listBaskets(shipped)])].sort();
    fail('MRG4021', `no basket named '${ref}' (have: ${have.join(', ') || 'none'})`, undefined, `Baskets are folders with a basket.json: yours in ${user}, the shipped ones in ${shipped}; or give a folder path.`);
  }
  return join(shipped, ref);
}

/**
 * The prices of `profile` over a basket in use: quota.md §4, blended (§9) when its basket.json sets
 * "portability" above 0, with the geometric means taken over `reference` (the profiles in use).
 */
export function basketPricing(profile: RuntimeProfile, b: BasketInUse, reference: readonly RuntimeProfile[]): Pricing {
  const lambda = b.basket.portability;
  if (lambda === 0) return Pricing.fromCounts(profile, b.counts);
  const ref = reference.some((q) => q.name === profile.name) ? reference : [...reference, profile];
  return Pricing.blended(profile, b.counts, { lambda, reference: ref });
}

/** The standard basket: what every run is normalized over unless it says otherwise. */
export function standardBasket(): BasketInUse {
  return basketAt(join(defaultBasketsDir(), STANDARD_BASKET));
}

/** The standard basket's committed counts. */
export function standardBasketCounts(): EntityCounts {
  return standardBasket().counts;
}

// ------------------------------------------------------------------ prices

/** The kinds `merg-e basket` prices: every base kind, the common scalars, and whatever the counts hold. */
export function pricedKinds(counts: EntityCounts): string[] {
  const common = ['scalar:bool', ...[16, 32, 64, 128, 256].map((w) => `scalar:float${w}`), ...[8, 16, 32, 64, 128, 256, 2048].map((w) => `scalar:int${w}`)];
  const scalars = [...new Set([...common, ...[...counts.byKind.keys()].filter((k) => k.startsWith('scalar:'))])];
  const width = (k: string) => Number(/(\d+)$/.exec(k)?.[1] ?? 0);
  const family = (k: string) => k.replace(/\d+$/, '');
  scalars.sort((a, b) => (family(a) !== family(b) ? (family(a) < family(b) ? -1 : 1) : width(a) - width(b)));
  return [...BASE_KINDS, ...scalars];
}

export interface ProfilePrices {
  readonly profile: string;
  /** bytes_p of the basket and N, its entities: one RAM-point is basketBytes / entities bytes. */
  readonly basketBytes: bigint;
  readonly entities: bigint;
  /** Milli-points per entity of each priced kind (`string`: an empty string). */
  readonly prices: ReadonlyMap<string, number>;
  /** Milli-points of one string byte. */
  readonly stringByte: number;
  /** Per membrane kind: the extra milli-points of each base kind, `string_byte` and `scalar:*`. */
  readonly extras: ReadonlyMap<MembraneKind, ReadonlyMap<string, number>>;
}

/** Prices of one profile normalized over a basket's counts (quota.md §4). */
export function basketPrices(counts: EntityCounts, profile: RuntimeProfile, kinds = pricedKinds(counts), blend?: Blend): ProfilePrices {
  const p = blend === undefined || blend.lambda === 0 ? Pricing.fromCounts(profile, counts) : Pricing.blended(profile, counts, blend);
  const extras = new Map<MembraneKind, Map<string, number>>();
  for (const m of MEMBRANE_KINDS) {
    const t = new Map<string, number>();
    for (const k of [...BASE_KINDS, 'string_byte', 'scalar:*']) t.set(k, p.mpOf(k, m));
    extras.set(m, t);
  }
  return {
    profile: profile.name,
    basketBytes: p.bytes,
    entities: p.entities,
    prices: new Map(kinds.map((k) => [k, k === 'string' ? p.stringPrice(0, 0, 0) : p.priceOfKind(k)])),
    stringByte: p.mpOf('string_byte'),
    extras,
  };
}
