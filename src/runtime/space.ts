// The interpreter's port to the core model: where allocations are charged (a scope's view), DAG views,
// dataframes, prices and the usage report. `model-heap.ts` implements it over src/model; the
// interpreter never touches the model directly, so the accounting rules live in one place.
import type { MembraneSpec } from '../ast/types.js';
import type { Span } from '../diagnostics.js';
import type { Cell, Payment } from './frame.js';
import type { TypeDesc } from './types.js';
import type { ForeignValue, Value } from './values.js';

/** A scope's view: allocations of the scope's own entities are charged through it. */
export interface ScopeSpace {
  /** The path the scope (or its membrane) was declared under, for reports and errors. */
  readonly name: string;
  /** Allocates one scalar, string, blocker or scope entity through this view. */
  allocScalar(t: TypeDesc, v: Value, span: Span): Payment;
  allocKind(kind: 'scope' | 'blocker', span: Span): Payment;
}

/** A DAG seen through a chain of membranes, or a detached (pruned) DAG. */
export interface DagValue extends ForeignValue {
  readonly tag: 'dag';
}

export interface DataframeValue extends ForeignValue {
  readonly tag: 'dataframe';
}

/** A spot in a DAG: a view and the path below it (possibly not existing yet). */
export interface Place {
  readonly base: DagValue;
  readonly path: readonly string[];
}

export interface Column {
  readonly name: string;
  readonly type: TypeDesc;
}

export interface Heap {
  readonly root: ScopeSpace;
  /** A callable's scope under `parent`, with a membrane of its own or none (quota.md §8). */
  childSpace(parent: ScopeSpace, name: string, membrane: MembraneSpec | null, span: Span): ScopeSpace;
  /**
   * Grafts a moved capture into a constructed scope: free when it was paid in the same pool, else full
   * price here with the old payment released. Returns the new payment; atomic.
   */
  graft(space: ScopeSpace, cell: Cell, span: Span): Graft;

  newDag(space: ScopeSpace, name: string, mutable: boolean, span: Span): DagValue;
  membrane(target: DagValue, spec: MembraneSpec, name: string, span: Span): DagValue;
  /** The child `name` of a DAG: a scalar leaf's value, or a DAG value for an inner node. */
  child(dag: DagValue, name: string, span: Span): Value;
  declareAt(place: Place, t: TypeDesc, v: Value, mutable: boolean, span: Span): void;
  /** The declared type of the scalar leaf at a place (for assignment). */
  leafType(place: Place, span: Span): TypeDesc;
  assignAt(place: Place, v: Value, span: Span): void;
  prune(place: Place, span: Span): Value;
  /** Grafts `value` under `name` at `target`; `from` is the cell it came from (its payment), if any. */
  ent(target: Place, value: Value, name: string, from: Cell | null, span: Span): void;
  freezeAt(place: Place, span: Span): void;
  freeze(v: DagValue | DataframeValue, span: Span): void;

  newDataframe(space: ScopeSpace | Place, name: string, columns: readonly Column[], mutable: boolean, span: Span): DataframeValue;
  append(df: DataframeValue, row: readonly Value[], span: Span): void;
  rows(df: DataframeValue): number;

  /** Milli-points of one scalar of type t, of a string of n bytes, or of a scalar added at a place. */
  scalarMp(t: TypeDesc): number;
  stringMp(bytes: number): number;
  placeMp(place: Place, t: TypeDesc): number;

  /** An inert DAG of the language (`lang.Version`): reachable, prunable, never paid for. */
  imported(name: string, leaves: readonly { path: readonly string[]; type: TypeDesc; value: Value }[]): DagValue;
}

/** A graft checked but not yet committed: `pay` is the new charge (null when free), `commit` moves it. */
export interface Graft {
  readonly pay: Payment | null;
  commit(): void;
}
