// The immutable DAG's functions on their own (src/model/dag.ts): node records, the full text of every
// way a path fails to resolve (through aliases too), replacing the root, the work walks and copies
// count, entity kinds of every node kind, and the unpaid deep copy of an inert sub-DAG.
import { describe, expect, it } from 'vitest';

import {
  Acct,
  branch,
  copyUnpaid,
  countNodes,
  entityKid,
  scalarNode,
  setAt,
  show,
  tryResolve,
  walk,
  withChild,
  withChildren,
  withFrozen,
  type BranchNode,
  type DagNode,
  type DataframeNode,
  type OpaqueNode,
} from '../../src/model/dag.js';
import { Dataframe } from '../../src/model/dataframe.js';
import { K_BLOCKER, K_DAG_NODE, K_DATAFRAME, K_SCOPE, kindId } from '../../src/model/kinds.js';
import { scalarType } from '../../src/model/types.js';
import { work } from '../../src/model/work.js';
import { unitWorld } from '../../src/testing/unit-world.js';

const INT32 = scalarType('int32');

function int32(v: bigint, frozen = false, acct: Acct | null = null): DagNode {
  return scalarNode(INT32, v, kindId('scalar:int32'), 0, acct, frozen);
}

/** A dag from nested `{ name: node | {...} }` (plain objects become branches). */
function tree(spec: Record<string, DagNode | Record<string, unknown>>): BranchNode {
  let b = branch(null);
  for (const [k, v] of Object.entries(spec)) b = withChildren(b, k, 'kind' in v ? (v as DagNode) : tree(v as Record<string, DagNode>));
  return b;
}

describe('node records', () => {
  it('makes an unfrozen, frozen-record dag_node branch by default', () => {
    const b = branch(null);
    expect(b).toMatchObject({ kind: 'dag', entity: 'dag_node', acct: null, frozen: false });
    expect(b.children.size).toBe(0);
    expect(Object.isFrozen(b)).toBe(true);
    expect(branch(null, 'scope', true)).toMatchObject({ kind: 'dag', entity: 'scope', frozen: true });
  });

  it('sets the frozen flag on a copy, returning the node itself when the flag already matches', () => {
    const b = tree({ x: int32(1n) });
    expect(withFrozen(b, false)).toBe(b);
    const f = withFrozen(b, true);
    expect(f).not.toBe(b);
    expect([f.frozen, f.kind, f.entity, f.children]).toEqual([true, 'dag', 'dag_node', b.children]);
    expect(f.children).toBe(b.children);
    expect(b.frozen).toBe(false);
  });

  it('freezes an opaque node as a plain copy, leaving the interpreter’s payload alone', () => {
    const payload = { pending: [1, 2] };
    const acct = new Acct(3, 700, 1, 0);
    const o: OpaqueNode = { kind: 'opaque', entity: 'blocker', payload, acct, frozen: false };
    expect(withFrozen(o, false)).toBe(o);
    const f = withFrozen(o, true);
    expect(f).toEqual({ kind: 'opaque', entity: 'blocker', payload, acct, frozen: true });
    expect(f.payload).toBe(payload);
    expect(f.acct).toBe(acct);
    expect(Object.isFrozen(f)).toBe(true);
    expect(Object.isFrozen(payload)).toBe(false);
    expect(Object.isFrozen(payload.pending)).toBe(false);
  });

  it('returns the same branch when removing a name it does not have', () => {
    const b = tree({ x: int32(1n) });
    expect(withChild(b, 'nope', undefined)).toBe(b);
    const without = withChild(b, 'x', undefined);
    expect(without).not.toBe(b);
    expect(without.children.size).toBe(0);
  });

  it('shows a path dotted, and the empty path as (root)', () => {
    expect(show([])).toBe('(root)');
    expect(show(['a'])).toBe('a');
    expect(show(['a', 'b', 'c'])).toBe('a.b.c');
  });
});

describe('tryResolve messages', () => {
  /** root: a { x: int32, df: dataframe, sub { k }, self → a }, b → a, c → a.sub (then a.sub removed). */
  function world() {
    const mem = unitWorld();
    mem.declareScalar(mem.root, ['a', 'x'], 'int32', 1n);
    mem.declareDataframe(mem.root, ['a', 'df'], [{ name: 'n', type: 'int32' }]);
    mem.declareScalar(mem.root, ['a', 'sub', 'k'], 'int32', 2n, { inert: false });
    mem.alias(mem.at(mem.root, ['a']), [], 'self');
    mem.alias(mem.root, ['a'], 'b');
    mem.alias(mem.root, ['a', 'sub'], 'c');
    const before = mem.dag;
    mem.release(mem.prune(mem.root, ['a', 'sub']));
    return { before, after: mem.dag };
  }

  it('names the first missing name with the path that leads to it', () => {
    const { after } = world();
    expect(tryResolve(after, ['nope'])).toBe('nope does not exist');
    expect(tryResolve(after, ['a', 'nope'])).toBe('a.nope does not exist');
    expect(tryResolve(after, ['a', 'nope', 'z'])).toBe('a.nope does not exist');
    // through an alias the canonical path is shown
    expect(tryResolve(after, ['b', 'nope', 'z'])).toBe('a.nope does not exist');
  });

  it('names a non-dag in the middle of a path by its type or kind', () => {
    const { after } = world();
    expect(tryResolve(after, ['a', 'x', 'y'])).toBe("a.x is an int32, not a dag: it has no 'y'");
    expect(tryResolve(after, ['a', 'x', 'y', 'z'])).toBe("a.x is an int32, not a dag: it has no 'y'");
    expect(tryResolve(after, ['a', 'df', 'y'])).toBe("a.df is a dataframe, not a dag: it has no 'y'");
    expect(tryResolve(after, ['b', 'x', 'y'])).toBe("a.x is an int32, not a dag: it has no 'y'");
  });

  it('says which alias lost its target', () => {
    const { before, after } = world();
    expect(tryResolve(before, ['c', 'k'])).toMatchObject({ path: ['a', 'sub', 'k'] });
    expect(tryResolve(after, ['c'])).toBe('c is an alias of a.sub, which no longer exists');
    expect(tryResolve(after, ['c', 'k'])).toBe('c is an alias of a.sub, which no longer exists');
  });

  it('follows 64 aliases in one path and refuses the 65th', () => {
    const { after } = world();
    const selfs = (n: number) => ['a', ...Array.from({ length: n }, () => 'self')];
    const r = tryResolve(after, selfs(64));
    expect(typeof r === 'string' ? r : r.path).toEqual(['a']);
    expect(tryResolve(after, [...selfs(64), 'x'])).toMatchObject({ path: ['a', 'x'], node: { value: 1n } });
    expect(tryResolve(after, selfs(65))).toBe('a.self: the path passes through more than 64 aliases');
    expect(tryResolve(after, [...selfs(65), 'x'])).toBe('a.self: the path passes through more than 64 aliases');
  });
});

describe('setAt', () => {
  const root = tree({ a: { x: int32(1n) } });

  it('replaces the root with a dag, and refuses anything else there', () => {
    const other = tree({ z: int32(9n) });
    expect(setAt(root, [], other)).toBe(other);
    expect(() => setAt(root, [], undefined)).toThrow(new Error('setAt: the root must stay a dag'));
    expect(() => setAt(root, [], int32(1n))).toThrow(new Error('setAt: the root must stay a dag'));
  });

  it('refuses a path through a missing name or a non-dag, naming where', () => {
    expect(() => setAt(root, ['nope', 'y'], int32(1n))).toThrow(new Error('setAt: nope is not a dag'));
    expect(() => setAt(root, ['a', 'x', 'y'], int32(1n))).toThrow(new Error('setAt: a.x is not a dag'));
    const set = setAt(root, ['a', 'y'], int32(2n));
    expect(tryResolve(set, ['a', 'y'])).toMatchObject({ node: { value: 2n } });
    expect(tryResolve(root, ['a', 'y'])).toBe('a.y does not exist');
  });
});

describe('walk and entity kinds', () => {
  const df = new Dataframe([{ name: 'n', type: INT32 }]);
  const dfNode: DataframeNode = { kind: 'dataframe', df, acct: new Acct(0, 2000, 0, 0), frozen: false };
  const blocker: OpaqueNode = { kind: 'opaque', entity: 'blocker', payload: null, acct: new Acct(0, 700, 0, 0), frozen: false };
  const scopeOpaque: OpaqueNode = { kind: 'opaque', entity: 'scope', payload: null, acct: new Acct(0, 3000, 0, 0), frozen: false };
  const plain: OpaqueNode = { kind: 'opaque', entity: null, payload: 'f', acct: null, frozen: false };
  const alias: DagNode = { kind: 'alias', target: ['s'], acct: null, frozen: false };

  it('gives each node kind its entity kind, and -1 to nodes that are no entity', () => {
    const x = int32(1n);
    expect([
      entityKid(branch(null)),
      entityKid(branch(null, 'scope')),
      entityKid(x),
      entityKid(dfNode),
      entityKid(blocker),
      entityKid(scopeOpaque),
      entityKid(plain),
      entityKid(alias),
    ]).toEqual([K_DAG_NODE, K_SCOPE, kindId('scalar:int32'), K_DATAFRAME, K_BLOCKER, K_SCOPE, -1, -1]);
  });

  it('visits every node once in pre-order and counts one unit of work per node', () => {
    const t = tree({ s: { x: int32(1n), y: int32(2n) }, al: alias, df: dfNode });
    const seen: string[] = [];
    const before = work.units;
    walk(t, (n) => seen.push(n.kind === 'scalar' ? `scalar ${n.value}` : n.kind));
    expect(seen).toEqual(['dag', 'dag', 'scalar 1', 'scalar 2', 'alias', 'dataframe']);
    expect(work.units - before).toBe(6);
    expect(countNodes(t)).toBe(6);
  });
});

describe('copyUnpaid', () => {
  it('copies every node new, unpaid and unfrozen; aliases as they are; one unit of work per node and row', () => {
    const df = new Dataframe([{ name: 'n', type: INT32 }]);
    for (const v of [1n, 2n, 3n]) {
      df.pushRow([v]);
      df.payLastRow(4, 1, 0, 300);
    }
    df.frozen = true;
    const paid = () => new Acct(4, 123, 1, 0);
    const alias: DagNode = { kind: 'alias', target: ['elsewhere'], acct: null, frozen: true };
    const payload = { fn: 'f' };
    const inert = withFrozen(
      tree({
        x: int32(5n, true, paid()),
        df: { kind: 'dataframe', df, acct: paid(), frozen: true },
        al: alias,
        blk: { kind: 'opaque', entity: 'blocker', payload, acct: paid(), frozen: true },
        fn: { kind: 'opaque', entity: null, payload, acct: null, frozen: true },
      }),
      true,
    );
    const before = work.units;
    const c = copyUnpaid(inert) as BranchNode;
    expect(work.units - before).toBe(6 + 3);
    const unpaid = new Acct(-1, 0, 0, 0);
    expect(c).toMatchObject({ kind: 'dag', entity: 'dag_node', acct: null, frozen: false });
    const child = (name: string) => c.children.get(name) as DagNode;
    expect(child('x')).toMatchObject({ kind: 'scalar', value: 5n, acct: unpaid, frozen: false });
    expect(child('al')).toBe(alias);
    expect(child('blk')).toEqual({ kind: 'opaque', entity: 'blocker', payload, acct: unpaid, frozen: false });
    expect((child('blk') as OpaqueNode).payload).toBe(payload);
    expect(child('fn')).toEqual({ kind: 'opaque', entity: null, payload, acct: null, frozen: false });
    const d = child('df') as DataframeNode;
    expect([d.kind, d.acct, d.frozen]).toEqual(['dataframe', unpaid, false]);
    expect(d.df).not.toBe(df);
    expect([d.df.rows, d.df.frozen, d.df.row(2), d.df.segments]).toEqual([3, false, [3n], [{ by: -1, q: 0, c: 0, start: 0, end: 3, mp: 0 }]]);
    // the original keeps its payments
    expect([df.frozen, df.segments]).toEqual([true, [{ by: 4, q: 1, c: 0, start: 0, end: 3, mp: 900 }]]);
    expect((inert.children.get('x') as DagNode).acct).toEqual(paid());
  });
});
