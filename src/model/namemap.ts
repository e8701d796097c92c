// A persistent (immutable) map from names to values: a hash trie whose leaves are buckets of at most
// 16 entries. An update copies one bucket and the ≤16-slot branches above it (about log16(n) of
// them), never a whole collection: a million children edit in a few µs. (16 beat 32 and 8 in the
// model benchmark: smaller copies for the GC, few enough levels for lookups.)
// Iteration follows insertion order (each entry keeps a sequence number).

const BITS = 4;
const WIDTH = 1 << BITS;
const MASK = WIDTH - 1;
/** Beyond this depth all 32 hash bits are used up: buckets may grow past WIDTH (full collisions). */
const MAX_DEPTH = Math.floor(32 / BITS) - 1;

interface Bucket<V> {
  readonly leaf: true;
  /** Hash of each key: compared first, so a lookup touches one key string, not all of them. */
  readonly hashes: readonly number[];
  readonly keys: readonly string[];
  readonly vals: readonly V[];
  readonly seqs: readonly number[];
}
interface Branch<V> {
  readonly leaf: false;
  readonly bitmap: number;
  readonly kids: readonly Trie<V>[];
}
type Trie<V> = Bucket<V> | Branch<V>;

/** FNV-1a over UTF-16 code units: cheap and well spread for identifiers. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
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

function bucket<V>(hashes: number[], keys: string[], vals: V[], seqs: number[]): Bucket<V> {
  return { leaf: true, hashes, keys, vals, seqs };
}

const EMPTY_BUCKET: Bucket<never> = bucket([], [], [], []);

/** Index of `name` (hash h) in a bucket, or -1. */
function find<V>(t: Bucket<V>, h: number, name: string): number {
  const hs = t.hashes;
  for (let i = 0; i < hs.length; i++) if (hs[i] === h && t.keys[i] === name) return i;
  return -1;
}

export class NameMap<V> {
  private constructor(
    private readonly root: Trie<V>,
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
    let t = this.root;
    const h = hash(name);
    if (!t.leaf) {
      let depth = 0;
      while (!t.leaf) {
        const bit = 1 << frag(h, depth);
        if ((t.bitmap & bit) === 0) return undefined;
        t = t.kids[popcount(t.bitmap & (bit - 1))] as Trie<V>;
        depth++;
      }
    }
    const i = find(t, h, name);
    return i < 0 ? undefined : t.vals[i];
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** A new map with `name` set to `value` (an existing name keeps its place in the order). */
  set(name: string, value: V): NameMap<V> {
    const added = { yes: false };
    const root = insert(this.root, hash(name), 0, name, value, this.nextSeq, added);
    return new NameMap(root, added.yes ? this.size + 1 : this.size, added.yes ? this.nextSeq + 1 : this.nextSeq);
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
    if (!this.root.leaf) out.sort((a, b) => a[2] - b[2]);
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
}

function collect<V>(t: Trie<V>, out: [string, V, number][]): void {
  if (t.leaf) {
    for (let i = 0; i < t.keys.length; i++) out.push([t.keys[i] as string, t.vals[i] as V, t.seqs[i] as number]);
  } else {
    for (const k of t.kids) collect(k, out);
  }
}

function each<V>(t: Trie<V>, fn: (v: V) => void): void {
  if (t.leaf) for (const v of t.vals) fn(v);
  else for (const k of t.kids) each(k, fn);
}

function insert<V>(t: Trie<V>, h: number, depth: number, name: string, value: V, seq: number, added: { yes: boolean }): Trie<V> {
  if (t.leaf) {
    const i = find(t, h, name);
    if (i >= 0) {
      if (t.vals[i] === value) return t;
      const vals = t.vals.slice();
      vals[i] = value;
      return bucket(t.hashes as number[], t.keys as string[], vals, t.seqs as number[]);
    }
    added.yes = true;
    if (t.keys.length < WIDTH || depth >= MAX_DEPTH) {
      return bucket([...t.hashes, h], [...t.keys, name], [...t.vals, value], [...t.seqs, seq]);
    }
    // Split the full bucket into a branch one level down, then insert.
    let branch: Trie<V> = { leaf: false, bitmap: 0, kids: [] };
    for (let j = 0; j < t.keys.length; j++) {
      const k = t.keys[j] as string;
      branch = insertSplit(branch, t.hashes[j] as number, depth, k, t.vals[j] as V, t.seqs[j] as number);
    }
    return insertSplit(branch, h, depth, name, value, seq);
  }
  const bit = 1 << frag(h, depth);
  const idx = popcount(t.bitmap & (bit - 1));
  if ((t.bitmap & bit) === 0) {
    added.yes = true;
    const kids = t.kids.slice();
    kids.splice(idx, 0, bucket([h], [name], [value], [seq]));
    return { leaf: false, bitmap: t.bitmap | bit, kids };
  }
  const child = t.kids[idx] as Trie<V>;
  const next = insert(child, h, depth + 1, name, value, seq, added);
  if (next === child) return t;
  const kids = t.kids.slice();
  kids[idx] = next;
  return { leaf: false, bitmap: t.bitmap, kids };
}

/** Insert used while splitting: the name is known to be new. */
function insertSplit<V>(t: Trie<V>, h: number, depth: number, name: string, value: V, seq: number): Trie<V> {
  return insert(t, h, depth, name, value, seq, { yes: false });
}

function remove<V>(t: Trie<V>, h: number, depth: number, name: string): Trie<V> | null {
  if (t.leaf) {
    const i = find(t, h, name);
    if (i < 0) return t;
    if (t.keys.length === 1) return null;
    const without = <T,>(xs: readonly T[]) => [...xs.slice(0, i), ...xs.slice(i + 1)];
    return bucket(without(t.hashes), without(t.keys), without(t.vals), without(t.seqs));
  }
  const bit = 1 << frag(h, depth);
  if ((t.bitmap & bit) === 0) return t;
  const idx = popcount(t.bitmap & (bit - 1));
  const child = t.kids[idx] as Trie<V>;
  const next = remove(child, h, depth + 1, name);
  if (next === child) return t;
  const kids = t.kids.slice();
  if (next === null) {
    kids.splice(idx, 1);
    if (kids.length === 0) return null;
    return { leaf: false, bitmap: t.bitmap & ~bit, kids };
  }
  kids[idx] = next;
  return { leaf: false, bitmap: t.bitmap, kids };
}
