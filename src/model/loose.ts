// Scalars paid for outside the DAG. An interpreter keeps parameters and locals in frame slots and
// places them in the DAG only when something needs them there (a graft, a capture, a freeze); until
// then the world pays for them exactly as it would pay for their node: same price through the same
// view, same charge to the same quota membrane, same per-kind tallies (Memory.payLoose).
import { UNPAID } from './dag.js';
import type { Membrane } from './membrane.js';

/**
 * A payment record for a scalar entity that has no node yet: who paid, how much, through how many
 * quota / copy-on-mutate membranes (as a node's Acct), its kind and string length, and two links of
 * the list Memory keeps of the live ones. A holder (an interpreter's slot) carries these fields
 * itself, so paying for a slot allocates nothing more; `looseRecord()` makes a bare one.
 */
export interface Loose {
  by: number;
  mp: number;
  q: number;
  c: number;
  /** Entity kind id (scalar:intN, string, …) and, for strings, the UTF-8 length it is priced by. */
  kid: number;
  len: number;
  /** @internal The paying quota membrane (null: unmetered) and the live list; `prev` is null when not live. */
  payer: Membrane | null;
  prev: Loose | null;
  next: Loose | null;
}

/** A bare loose payment record, not yet paid. */
export function looseRecord(): Loose {
  return { by: UNPAID, mp: 0, q: 0, c: 0, kid: -1, len: 0, payer: null, prev: null, next: null };
}

/** Paid, and not released or placed in the DAG since. */
export function isLive(l: Loose): boolean {
  return l.prev !== null;
}
