// Bindings at run time. A Cell is one declared name's storage; a Frame holds the cells of one
// activation (one call of a callable, or the program) in slots resolved at compile time.
import type { Span } from '../diagnostics.js';
import type { ScopeSpace } from './space.js';
import type { TypeDesc } from './types.js';
import type { ErrorValue, RefValue, Value } from './values.js';

/** What a binding paid for its entity, so it can be released, or re-charged when it moves. */
export interface Payment {
  release(): void;
  /** The same entity priced for a new value (a string that changed length): charged, then the old released. */
  resize(v: Value, span: Span): Payment;
  /** Whether `v` (a view, a dataframe, a callable) refers to this entity, so it must outlive the binding (lifetime.ts). */
  heldBy(v: RefValue): boolean;
}

// Fields are assigned in the constructors (no class-field initializers): a call makes a Frame and a
// Cell per parameter, and this keeps each one a single constructor call.
export class Cell {
  moved: boolean;
  /** For an unbounded int: the range of values with the same entity kind (scalar:intN) as the current one. */
  lo: bigint;
  hi: bigint;
  /** The accounting record of this value's entity, when it was allocated through a view. */
  pay: Payment | null;
  constructor(
    public v: Value,
    /** Declared type; null for callables, namespaces and other untyped bindings. */
    readonly t: TypeDesc | null,
    public mutable: boolean,
    readonly shared: boolean,
    readonly name: string,
    /** Host authority (cout, cerr, ambient): reachable only through use and capture blocks. */
    readonly authority = false,
  ) {
    this.moved = false;
    this.lo = 0n;
    this.hi = -1n;
    this.pay = null;
  }
}

export class Frame {
  readonly cells: (Cell | undefined)[];
  /** scope.exceptions: the errors handled in this activation, latest last (null until the first). */
  exceptions: ErrorValue[] | null;
  /**
   * Payments no binding holds yet: made by an expression (a membrane, a prune) or handed out by a
   * `return`. A declaration adopts those its value refers to; the rest die at the end of the statement.
   */
  escaped: Payment[] | null;
  /** The value of the `return` that ended the activation. */
  ret: Value | undefined;
  constructor(
    size: number,
    /** The lexically enclosing activation (for reading inert names), or null. */
    readonly parent: Frame | null,
    /** Where this activation's allocations are charged (its scope's view). */
    readonly space: ScopeSpace,
    /** How many activations of the same callable are below this one (recursion). */
    readonly depth = 0,
  ) {
    this.cells = new Array<Cell | undefined>(size);
    this.exceptions = null;
    this.escaped = null;
    this.ret = undefined;
  }

  /** Appended to the node names of per-call locals, so nested activations of one callable do not collide. */
  get suffix(): string {
    return this.depth === 0 ? '' : `#d${this.depth}`;
  }
}
