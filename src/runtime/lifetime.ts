// When things die (language.md §5): a block's locals at the end of the block, a call's locals when it
// returns, and with each binding whatever it paid for — its node and everything grafted into it, a
// membrane it was bound to, a pruned value it held, a callable's scope. A value that leaves its scope
// by `return` keeps what it refers to alive: those payments are handed to the caller, where a binding
// adopts them (`mutable dag d = f();`) or they die at the end of the statement that received them.
// Values made by an expression (a new membrane, a pruned sub-DAG) wait on the frame the same way.
import type { Expr, Stmt } from '../ast/types.js';
import type { Cell, Frame, Payment } from './frame.js';
import type { RefValue, Value } from './values.js';

/** The value as something that can refer to a scope's entities (a view, a dataframe, a callable, a row of them), or null. */
export function holder(v: Value | undefined): RefValue | null {
  if (typeof v !== 'object') return null;
  const t = v.tag;
  return t === 'dag' || t === 'dataframe' || t === 'callable' || t === 'row' ? v : null;
}

/** True when `v` (or a value of the row `v`) is held by `p`'s entity. */
export function keeps(p: Payment, v: RefValue): boolean {
  if (v.tag !== 'row') return p.heldBy(v);
  for (const x of (v as { values: readonly Value[] }).values) {
    const h = holder(x);
    if (h !== null && keeps(p, h)) return true;
  }
  return false;
}

/** Several payments held by one binding (a returned view into a local DAG through a local membrane). */
export class GroupPay implements Payment {
  constructor(readonly parts: readonly Payment[]) {}
  release(): void {
    // Innermost first: a membrane closes once what it paid for is gone.
    for (let i = this.parts.length - 1; i >= 0; i--) (this.parts[i] as Payment).release();
  }
  resize(): Payment {
    return this;
  }
  heldBy(v: RefValue): boolean {
    return this.parts.some((p) => p.heldBy(v));
  }
}

/** A payment made by an expression (a membrane, a prune) waits on the frame until a binding adopts it. */
export function pending(f: Frame, p: Payment): void {
  (f.escaped ??= []).push(p);
}

/** Takes out of the frame's waiting payments those `v` refers to (a declaration binding `v` adopts them). */
export function adopt(f: Frame, v: Value): Payment | null {
  const waiting = f.escaped;
  const h = holder(v);
  if (waiting === null || h === null) return null;
  const mine: Payment[] = [];
  const rest: Payment[] = [];
  for (const p of waiting) (keeps(p, h) ? mine : rest).push(p);
  f.escaped = rest.length > 0 ? rest : null;
  return mine.length === 0 ? null : mine.length === 1 ? (mine[0] as Payment) : new GroupPay(mine);
}

/** The end of a statement: waiting payments that `keep` (a returned value) does not refer to die. */
export function settle(f: Frame, keep: Value | undefined): void {
  const waiting = f.escaped;
  if (waiting === null) return;
  const h = holder(keep);
  for (let i = waiting.length - 1; i >= 0; i--) {
    const p = waiting[i] as Payment;
    if (h !== null && keeps(p, h)) continue;
    p.release();
    // Taken off only once released (see endSlots).
    waiting.splice(i, 1);
  }
  f.escaped = waiting.length > 0 ? waiting : null;
}

/** One binding dies: its entity is released (unless it moved away). */
export function release(cell: Cell): void {
  if (cell.pay !== null && !cell.moved) cell.pay.release();
  cell.pay = null;
}

/**
 * The bindings in slots [lo, hi) die (a block ends, or a call returns), latest first. Those that `keep`
 * (the value a `return` hands out) refers to are moved to `to`'s waiting payments instead. A payment
 * is taken off its binding only once it is released or moved: one the stack ran out on (World.dying)
 * is still there for the next try, and a release is a no-op for what is released already.
 */
export function endSlots(f: Frame, lo: number, hi: number, keep: Value | undefined, to: Frame | null): void {
  const cells = f.cells;
  const h = holder(keep);
  for (let i = hi - 1; i >= lo; i--) {
    const c = cells[i];
    if (c === undefined || c.pay === null) continue;
    const p = c.pay;
    if (!c.moved) {
      if (h !== null && to !== null && keeps(p, h)) pending(to, p);
      else p.release();
    }
    c.pay = null;
  }
}

/** A call's activation ends: its locals and its waiting payments die, except what the returned value refers to (moved to the caller). */
export function endActivation(f: Frame, lo: number, hi: number, keep: Value | undefined, caller: Frame | null): void {
  endSlots(f, lo, hi, keep, caller);
  const waiting = f.escaped;
  if (waiting === null) return;
  const h = holder(keep);
  for (let i = waiting.length - 1; i >= 0; i--) {
    const p = waiting[i] as Payment;
    if (h !== null && caller !== null && keeps(p, h)) pending(caller, p);
    else p.release();
    waiting.length = i;
  }
  f.escaped = null;
}

const MAKERS = new Set(['Call', 'CallStmt', 'Command', 'Membrane', 'Prune', 'AwaitAll']);

/** Whether running `s` can leave payments waiting on the frame (it calls something, or makes a membrane or a pruned value). */
export function mayLeavePayments(s: Stmt | Expr): boolean {
  const stack: unknown[] = [s];
  while (stack.length > 0) {
    const x = stack.pop();
    if (Array.isArray(x)) {
      for (const y of x) stack.push(y);
    } else if (typeof x === 'object' && x !== null) {
      const kind = (x as { kind?: unknown }).kind;
      if (typeof kind === 'string' && MAKERS.has(kind)) return true;
      for (const [k, y] of Object.entries(x)) if (k !== 'span' && typeof y === 'object') stack.push(y);
    }
  }
  return false;
}
