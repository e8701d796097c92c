// Views (quota.md §5): a DAG position seen through a chain of membranes, and detached sub-DAGs.
import type { DagNode } from './dag.js';
import type { Membrane } from './membrane.js';

/**
 * A position in the world (an absolute path) seen through membranes (outermost first). Views are
 * immutable values; Memory makes them (`root`, `at`, `quota`, `copyOnMutate`).
 */
export class View {
  /** The innermost quota membrane on the chain: allocations through this view are charged to it. */
  readonly quota: Membrane | null;
  /** How many quota / copy-on-mutate membranes are on the chain (each adds its extras to prices). */
  readonly q: number;
  readonly c: number;

  /** @internal Use Memory's methods to make views. */
  constructor(
    readonly path: readonly string[],
    readonly chain: readonly Membrane[],
  ) {
    let quota: Membrane | null = null;
    let q = 0;
    for (const m of chain) {
      if (m.kind === 'quota') {
        quota = m;
        q++;
      }
    }
    this.quota = quota;
    this.q = q;
    this.c = chain.length - q;
  }

  /** The innermost membrane of any kind, or null. */
  get membrane(): Membrane | null {
    return this.chain[this.chain.length - 1] ?? null;
  }
}

/**
 * A sub-DAG cut (or copied) out of the world by `prune`: a value the interpreter holds until it is
 * grafted with `ent` or dropped with `release`. Its nodes keep their payment records.
 */
export class Detached {
  /** @internal */
  constructor(
    readonly id: number,
    readonly node: DagNode,
    /** True when it is a copy of an inert/frozen sub-DAG (a new, unpaid allocation). */
    readonly copied: boolean,
    /** The canonical path it was pruned from (for messages). */
    readonly from: readonly string[],
  ) {}
}
