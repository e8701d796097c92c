// The immutable DAG (language.md §5): named nodes whose leaves are scalars. Every edit returns a new
// root that shares everything off the edited path; node records are edited with immer's `produce`
// (and frozen), child collections are persistent hash tries (namemap.ts), so an edit copies the
// root-to-node path and a few ≤32-slot buckets, never a large collection.
//
// Accounting lives beside the structure: each entity node points to an `Acct` (who paid, how much).
// Versions of a node share its Acct: payment belongs to the live entity, not to a version.
import { freeze, produce } from 'immer';

import { fail } from '../diagnostics.js';
import { withArticle } from '../words.js';
import type { Dataframe } from './dataframe.js';
import { K_BLOCKER, K_DAG_NODE, K_DATAFRAME, K_SCOPE } from './kinds.js';
import { NameMap } from './namemap.js';
import type { ScalarType, ScalarValue } from './types.js';
import { work } from './work.js';

/** Acct.by for an entity nobody allocated yet (built-ins, copies): not counted, not paid. */
export const UNPAID = -1;
/** Acct.by for an entity allocated through a view with no quota membrane: counted, not charged. */
export const UNMETERED = 0;

/**
 * Who paid for an entity and how much. `by` is a quota membrane id (> 0), UNMETERED or UNPAID;
 * `q`/`c` count the quota and copy-on-mutate membranes on the chain it was paid through (their
 * extras are part of `mp`). Mutable on purpose: re-paying on `ent` touches only this box.
 */
export class Acct {
  constructor(
    public by: number,
    public mp: number,
    public q: number,
    public c: number,
  ) {}
}

interface NodeBase {
  /** null for nodes that are not entities (aliases, uncharged opaque values). */
  readonly acct: Acct | null;
  /** Frozen or inert: this node and everything below it refuse change (freeze_error). */
  readonly frozen: boolean;
}
export interface BranchNode extends NodeBase {
  readonly kind: 'dag';
  /** Which entity it counts as: an ordinary DAG node or a constructed callable scope. */
  readonly entity: 'dag_node' | 'scope';
  readonly children: NameMap<DagNode>;
}
export interface ScalarNode extends NodeBase {
  readonly kind: 'scalar';
  readonly type: ScalarType;
  readonly value: ScalarValue;
  /** Entity kind id (kinds.ts). */
  readonly kid: number;
  /** UTF-8 length for strings (priced by length), else 0. */
  readonly len: number;
}
export interface DataframeNode extends NodeBase {
  readonly kind: 'dataframe';
  /** The columnar store: a transient builder while unfrozen (appends mutate it in place). */
  readonly df: Dataframe;
}
export interface AliasNode extends NodeBase {
  readonly kind: 'alias';
  /** Absolute, alias-free path of the aliased node. */
  readonly target: readonly string[];
}
export interface OpaqueNode extends NodeBase {
  readonly kind: 'opaque';
  readonly entity: 'blocker' | 'scope' | null;
  /** The interpreter's own object (a blocker's pending work, a callable); the model never reads it. */
  readonly payload: unknown;
}
export type DagNode = BranchNode | ScalarNode | DataframeNode | AliasNode | OpaqueNode;

export function branch(acct: Acct | null, entity: 'dag_node' | 'scope' = 'dag_node', frozen = false, children = NameMap.empty<DagNode>()): BranchNode {
  return freeze({ kind: 'dag', entity, children, acct, frozen });
}

export function scalarNode(type: ScalarType, value: ScalarValue, kid: number, len: number, acct: Acct | null, frozen: boolean): ScalarNode {
  return freeze({ kind: 'scalar', type, value, kid, len, acct, frozen });
}

/** A copy of `node` with `frozen` set (records only; children are shared). */
export function withFrozen<N extends DagNode>(node: N, frozen: boolean): N {
  if (node.frozen === frozen) return node;
  // An opaque payload belongs to the interpreter: a plain spread keeps immer from freezing it.
  if (node.kind === 'opaque') return freeze({ ...node, frozen });
  return produce(node, (d) => {
    d.frozen = frozen;
  });
}

export function withChild(b: BranchNode, name: string, child: DagNode | undefined): BranchNode {
  const children = child === undefined ? b.children.delete(name) : b.children.set(name, child);
  if (children === b.children) return b;
  // The hot path of every edit: a copy frozen with immer's freeze costs ~0.2 µs where produce()
  // costs ~1 µs per level (measured). Spelled out like branch() so every branch node has one shape.
  return freeze({ kind: 'dag', entity: b.entity, children, acct: b.acct, frozen: b.frozen });
}

/** Where a path leads: its canonical (alias-free) absolute path, the node, and whether it is frozen
 *  (itself or through an ancestor). */
export interface Resolved {
  readonly path: readonly string[];
  readonly node: DagNode;
  readonly frozen: boolean;
}

const MAX_ALIAS_HOPS = 64;

/** A path as messages show it: dotted names, `(root)` for the empty path. */
export function show(path: readonly string[]): string {
  return path.length === 0 ? '(root)' : path.join('.');
}

/** Follows `path` from `root`, through aliases. A missing name is a name_error (MRG3001). */
export function resolve(root: BranchNode, path: readonly string[]): Resolved {
  const r = tryResolve(root, path);
  if (typeof r === 'string') fail('MRG3001', r);
  return r;
}

/** resolve(), but a missing name returns the error message instead of throwing. */
export function tryResolve(root: BranchNode, path: readonly string[]): Resolved | string {
  // The canonical path is `path` itself until an alias is followed: built only then (an edit's
  // lookup allocates nothing but its result).
  let canon: string[] | null = null;
  let node: DagNode = root;
  let frozen = root.frozen;
  let hops = 0;
  let i = 0;
  while (true) {
    if (node.kind === 'alias') {
      // An alias's target is a canonical path, so aliases never form a cycle: the bound is on how
      // many a single path may pass through (a.self.self…).
      if (++hops > MAX_ALIAS_HOPS) return `${show(canon ?? path.slice(0, i))}: the path passes through more than ${MAX_ALIAS_HOPS} aliases`;
      const target = tryResolve(root, node.target);
      if (typeof target === 'string') return `${show(canon ?? path.slice(0, i))} is an alias of ${show(node.target)}, which no longer exists`;
      canon = target.path.slice();
      node = target.node;
      frozen = target.frozen;
      continue;
    }
    if (i === path.length) return { path: canon ?? path, node, frozen };
    const name = path[i] as string;
    if (node.kind !== 'dag') return `${show(canon ?? path.slice(0, i))} is ${withArticle(node.kind === 'scalar' ? node.type.name : node.kind)}, not a dag: it has no '${name}'`;
    const child: DagNode | undefined = node.children.get(name);
    if (child === undefined) return `${show([...(canon ?? path.slice(0, i)), name])} does not exist`;
    canon?.push(name);
    node = child;
    frozen = frozen || child.frozen;
    i++;
  }
}

/** A new root with the node at canonical `path` replaced by `node` (or removed when undefined). */
export function setAt(root: BranchNode, path: readonly string[], node: DagNode | undefined): BranchNode {
  if (path.length === 0) {
    if (node === undefined || node.kind !== 'dag') throw new Error('setAt: the root must stay a dag');
    return node;
  }
  return setBelow(root, path, 0, node);
}

/** `b` (the dag at path[0..i)) with path[i..] set: recursion instead of an array of the branches. */
function setBelow(b: BranchNode, path: readonly string[], i: number, node: DagNode | undefined): BranchNode {
  const name = path[i] as string;
  if (i === path.length - 1) return withChild(b, name, node);
  const next = b.children.get(name);
  if (next === undefined || next.kind !== 'dag') throw new Error(`setAt: ${show(path.slice(0, i + 1))} is not a dag`);
  return withChild(b, name, setBelow(next, path, i + 1, node));
}

/** Calls fn for every node of the sub-DAG (pre-order; aliases are visited, never followed). */
export function walk(node: DagNode, fn: (n: DagNode) => void): void {
  const stack: DagNode[] = [node];
  let visited = 0;
  while (stack.length > 0) {
    const n = stack.pop() as DagNode;
    fn(n);
    visited++;
    if (n.kind === 'dag') n.children.pushValuesReversed(stack);
  }
  work.units += visited;
}

/** Counts nodes of a sub-DAG (aliases included). */
export function countNodes(node: DagNode): number {
  let n = 0;
  walk(node, () => n++);
  return n;
}

/** Entity kind id of a node's own entity, or -1 for nodes that are not entities. */
export function entityKid(n: DagNode): number {
  switch (n.kind) {
    case 'dag':
      return n.entity === 'scope' ? K_SCOPE : K_DAG_NODE;
    case 'scalar':
      return n.kid;
    case 'dataframe':
      return K_DATAFRAME;
    case 'opaque':
      return n.entity === 'blocker' ? K_BLOCKER : n.entity === 'scope' ? K_SCOPE : -1;
    case 'alias':
      return -1;
  }
}

export function withChildren(b: BranchNode, name: string, child: DagNode): BranchNode {
  return branch(b.acct, b.entity, b.frozen, b.children.set(name, child));
}

/** `leaf` wrapped in new branches named `missing` (outermost first); returns the outermost node. */
export function nest(missing: readonly string[], leaf: string, node: DagNode, make: () => BranchNode): DagNode {
  let sub = node;
  for (let i = missing.length - 1; i >= 0; i--) sub = withChildren(make(), i === missing.length - 1 ? leaf : (missing[i + 1] as string), sub);
  return sub;
}

/** A fresh, unpaid, unfrozen deep copy (prune of an inert sub-DAG). */
export function copyUnpaid(n: DagNode): DagNode {
  work.units++;
  const acct = n.acct ? new Acct(UNPAID, 0, 0, 0) : null;
  switch (n.kind) {
    case 'dag': {
      let b = branch(acct, n.entity, false);
      for (const [k, v] of n.children.entries()) b = withChildren(b, k, copyUnpaid(v));
      return b;
    }
    case 'scalar':
      return scalarNode(n.type, n.value, n.kid, n.len, acct, false);
    case 'dataframe':
      work.units += n.df.rows;
      return { kind: 'dataframe', df: n.df.copy(), acct, frozen: false };
    case 'alias':
      return n;
    case 'opaque':
      return { ...n, acct, frozen: false };
  }
}
