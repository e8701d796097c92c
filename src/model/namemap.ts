// A persistent (immutable) map from names to values: a 16-way hash trie whose leaves are buckets of
// at most 32 entries. An update copies one bucket and the ≤17-slot branches above it (about
// log16(n/32) of them), never a whole collection.
// Every trie node is one flat array: a lookup follows one pointer per level, and in a bucket the
// hashes, keys and values sit in the same array, so finding an entry touches the bucket and the key
// string only. At a million names the trie outgrows the CPU caches and each pointer followed is a
// cache miss: misses and the garbage collector, not copying, dominate an edit there.
// Iteration follows insertion order (each entry keeps a sequence number).

const BITS = 4;
const WIDTH = 1 << BITS;
const MASK = WIDTH - 1;
/** Entries a bucket holds before it splits into a branch. */
const BUCKET = 32;
/** Hashes are 30-bit, so they stay small integers (no boxed numbers in the node arrays). */
const HASH_MASK = 0x3fffffff;
/** From this depth on the hash bits are used up: buckets may grow past BUCKET (full collisions). */
const MAX_DEPTH = Math.floor(30 / BITS);

/**
 * A trie node. Branch: `[bitmap, ...kids]` (bitmap > 0: which of the WIDTH slots exist).
 * Bucket of n entries: `[-n, seqs, hash × n, (key, value) × n]` (tag ≤ 0). The sequence numbers (only
 * iteration reads them) are a separate array shared by every version of the bucket, so changing a
 * value copies 3n + 2 slots; hashes first, so a lookup compares one key string, not all of them.
 */
type Trie = unknown[];

/** FNV-1a over UTF-16 code units: cheap and well spread for identifiers. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h & HASH_MASK;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

function frag(h: number, depth: number): number {
  return (h >>> (depth * BITS)) & MASK;
}

/** A bucket of n entries, to be filled entry by entry with put(). */
function newBucket(n: number): Trie {
  const t = new Array<unknown>(2 + 3 * n);
  t[0] = -n;
  t[1] = new Array<unknown>(n);
  return t;
}

function put(t: Trie, n: number, i: number, h: number, key: string, value: unknown, seq: number): void {
  (t[1] as unknown[])[i] = seq;
  t[2 + i] = h;
  t[2 + n + 2 * i] = key;
  t[3 + n + 2 * i] = value;
}

/** Copies entry j of bucket s (n entries) to entry i of bucket t (m entries). */
function copyEntry(s: Trie, n: number, j: number, t: Trie, m: number, i: number): void {
  put(t, m, i, s[2 + j] as number, s[2 + n + 2 * j] as string, s[3 + n + 2 * j], (s[1] as unknown[])[j] as number);
}

const EMPTY_BUCKET: Trie = newBucket(0);

/** Index of `name` (hash h) in a bucket of n entries, or -1. */
function find(t: Trie, n: number, h: number, name: string): number {
  for (let i = 0; i < n; i++) if (t[2 + i] === h && t[2 + n + 2 * i] === name) return i;
  return -1;
}

export class NameMap<V> {
  private constructor(
    private readonly root: Trie,
    readonly size: number,
    private readonly nextSeq: number,
  ) {}

  static empty<V>(): NameMap<V> {
    return new NameMap<V>(EMPTY_BUCKET, 0, 0);
  }

  static of<V>(entries: Iterable<readonly [string, V]>): NameMap<V> {
    let m = NameMap.empty<V>();
    for (const [k, v] of entries) m = m.set(k, v);
    return m;
  }

  get(name: string): V | undefined {
    const h = hash(name);
    let t = this.root;
    let tag = t[0] as number;
    for (let shift = 0; tag > 0; shift += BITS) {
      const bit = 1 << ((h >>> shift) & MASK);
      if ((tag & bit) === 0) return undefined;
      t = t[1 + popcount(tag & (bit - 1))] as Trie;
      tag = t[0] as number;
    }
    const n = -tag;
    const i = find(t, n, h, name);
    return i < 0 ? undefined : (t[3 + n + 2 * i] as V);
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** A new map with `name` set to `value` (an existing name keeps its place in the order; this map
   *  itself when `name` holds `value` already). */
  set(name: string, value: V): NameMap<V> {
    added = false;
    const root = insert(this.root, hash(name), 0, name, value, this.nextSeq);
    if (root === this.root) return this;
    return new NameMap(root, added ? this.size + 1 : this.size, added ? this.nextSeq + 1 : this.nextSeq);
  }

  /** A new map without `name` (this map itself when it has no such name). */
  delete(name: string): NameMap<V> {
    const root = remove(this.root, hash(name), 0, name);
    if (root === this.root) return this;
    return new NameMap(root ?? EMPTY_BUCKET, this.size - 1, this.nextSeq);
  }

  /** Entries in insertion order. */
  entries(): [string, V][] {
    const out: [string, V, number][] = [];
    collect(this.root, out);
    // A root bucket is in insertion order already; sorting it is a single pass.
    out.sort((a, b) => a[2] - b[2]);
    return out.map(([k, v]) => [k, v]);
  }

  keys(): string[] {
    return this.entries().map((e) => e[0]);
  }

  values(): V[] {
    return this.entries().map((e) => e[1]);
  }

  /** Calls fn for every value, in no particular order (cheaper than entries() for walks). */
  forEachValue(fn: (v: V) => void): void {
    each(this.root, fn);
  }

  /**
   * @internal Pushes every value onto `stack` in the reverse of forEachValue's order, so that popping
   * visits them in that order: lets a walk over a whole sub-DAG run as one loop, without a callback
   * per node.
   */
  pushValuesReversed(stack: V[]): void {
    pushReversed(this.root, stack as unknown[]);
  }
}

function collect<V>(t: Trie, out: [string, V, number][]): void {
  const tag = t[0] as number;
  if (tag > 0) {
    for (let i = 1; i < t.length; i++) collect(t[i] as Trie, out);
    return;
  }
  const n = -tag;
  for (let i = 0; i < n; i++) out.push([t[2 + n + 2 * i] as string, t[3 + n + 2 * i] as V, (t[1] as unknown[])[i] as number]);
}

function each<V>(t: Trie, fn: (v: V) => void): void {
  const tag = t[0] as number;
  if (tag > 0) {
    for (let i = 1; i < t.length; i++) each(t[i] as Trie, fn);
    return;
  }
  for (let i = 3 - tag; i < t.length; i += 2) fn(t[i] as V);
}

function pushReversed(t: Trie, stack: unknown[]): void {
  const tag = t[0] as number;
  if (tag > 0) {
    for (let i = t.length - 1; i >= 1; i--) pushReversed(t[i] as Trie, stack);
    return;
  }
  for (let i = t.length - 1; i >= 3 - tag; i -= 2) stack.push(t[i]);
}

/** Set by insert() when the name was new (a module flag, not an object per call: set() is hot). */
let added = false;

function insert(t: Trie, h: number, depth: number, name: string, value: unknown, seq: number): Trie {
  const tag = t[0] as number;
  if (tag <= 0) {
    const n = -tag;
    const i = find(t, n, h, name);
    if (i >= 0) {
      const at = 3 + n + 2 * i;
      if (t[at] === value) return t;
      const copy = t.slice();
      copy[at] = value;
      return copy;
    }
    added = true;
    if (n < BUCKET || depth >= MAX_DEPTH) {
      const grown = newBucket(n + 1);
      for (let j = 0; j < n; j++) copyEntry(t, n, j, grown, n + 1, j);
      put(grown, n + 1, n, h, name, value, seq);
      return grown;
    }
    // Split the full bucket into a branch one level down, then insert.
    return insert(split(t, n, depth), h, depth, name, value, seq);
  }
  const bit = 1 << frag(h, depth);
  const idx = 1 + popcount(tag & (bit - 1));
  if ((tag & bit) === 0) {
    added = true;
    const one = newBucket(1);
    put(one, 1, 0, h, name, value, seq);
    const copy = t.slice();
    copy.splice(idx, 0, one);
    copy[0] = tag | bit;
    return copy;
  }
  const child = t[idx] as Trie;
  const next = insert(child, h, depth + 1, name, value, seq);
  if (next === child) return t;
  const copy = t.slice();
  copy[idx] = next;
  return copy;
}

/** A branch at `depth` holding the n entries of bucket t, spread by their next hash fragment. */
function split(t: Trie, n: number, depth: number): Trie {
  const slots: number[][] = [];
  let bitmap = 0;
  for (let j = 0; j < n; j++) {
    const f = frag(t[2 + j] as number, depth);
    bitmap |= 1 << f;
    (slots[f] ??= []).push(j);
  }
  const branch = new Array<unknown>(1 + popcount(bitmap));
  branch[0] = bitmap;
  let at = 1;
  for (const js of slots) {
    if (js === undefined) continue;
    const b = newBucket(js.length);
    js.forEach((j, i) => copyEntry(t, n, j, b, js.length, i));
    branch[at++] = b;
  }
  return branch;
}

function remove(t: Trie, h: number, depth: number, name: string): Trie | null {
  const tag = t[0] as number;
  if (tag <= 0) {
    const n = -tag;
    const i = find(t, n, h, name);
    if (i < 0) return t;
    if (n === 1) return null;
    const shrunk = newBucket(n - 1);
    for (let j = 0, k = 0; j < n; j++) if (j !== i) copyEntry(t, n, j, shrunk, n - 1, k++);
    return shrunk;
  }
  const bit = 1 << frag(h, depth);
  if ((tag & bit) === 0) return t;
  const idx = 1 + popcount(tag & (bit - 1));
  const child = t[idx] as Trie;
  const next = remove(child, h, depth + 1, name);
  if (next === child) return t;
  const copy = t.slice();
  if (next === null) {
    copy.splice(idx, 1);
    if (copy.length === 1) return null;
    copy[0] = tag & ~bit;
    return copy;
  }
  copy[idx] = next;
  return copy;
}
