// The world the interpreter holds: one immutable DAG, the membranes over it, and the accounting.
// Every public operation is atomic: it either completes or throws a MergeError with the state
// exactly as before. Single operations validate before they change anything; every change also
// goes through a journal, so `atomically(fn)` can undo a group of operations (scope construction).
import { diagnostic, fail, MergeError, type Span } from '../diagnostics.js';
import { withArticle } from '../words.js';
import {
  Acct,
  branch,
  copyUnpaid,
  entityKid,
  nest,
  resolve,
  scalarNode,
  show,
  setAt,
  tryResolve,
  UNMETERED,
  UNPAID,
  walk,
  withFrozen,
  type BranchNode,
  type DagNode,
  type DataframeNode,
  type Resolved,
} from './dag.js';
import { Dataframe, type ColumnSpec } from './dataframe.js';
import { DataframeHandle } from './handle.js';
import { K_BLOCKER, K_DAG_NODE, K_DATAFRAME, K_MEMBRANE_COM, K_MEMBRANE_QUOTA, K_ROW, K_SCOPE, K_STRING, kindId, scalarKindId } from './kinds.js';
import { Ledger, type Undo } from './ledger.js';
import { isLive, looseRecord, type Loose } from './loose.js';
import { ChargePlan, checkCharge, Membrane, quotaError } from './membrane.js';
import { formatPoints, pointsToMp, type Pricing } from './rampoints.js';
import { coerceScalar, entityKindOf, entityKindOfType, scalarType, utf8Length, type ScalarType, type ScalarValue } from './types.js';
import { flatten, membraneUsage, runTotals, type UsageReport } from './usage.js';
import { Detached, View } from './view.js';

export interface DeclareOptions {
  /** Inert (the default for undecorated Merg-E declarations) or frozen: refuses change. */
  readonly inert?: boolean;
}

export interface ColumnDecl {
  readonly name: string;
  /** A scalar type name (`int32`, `string`, …) or a parsed type. */
  readonly type: string | ScalarType;
}

/** @internal Where a dataframe handle's path leads (Memory.resolveDataframe). */
export interface ResolvedDataframe {
  readonly df: Dataframe;
  /** Frozen itself or through an ancestor (inert included). */
  readonly frozen: boolean;
  /** The world's structure version of the lookup. */
  readonly version: number;
  /** The canonical path, as shown in messages. */
  readonly where: string;
}

/** A copy of a MergeError with a source span (the model knows no spans; the interpreter does). */
export function withSpan(err: MergeError, span: Span): MergeError {
  return new MergeError({ ...err.diagnostic, span }, err.details);
}

export interface MemoryOptions {
  readonly pricing: Pricing;
}

export class Memory extends Ledger {
  /** The world's root, seen through no membrane. */
  readonly root: View;
  private world: BranchNode = branch(null);
  private readonly live = new Map<number, Detached>();
  private nextDetached = 1;
  private nextPool = 1;
  /** Bumped by every structural change, so dataframe handles know to look their path up again. */
  private version = 0;
  /** Live loose payments (payLoose): a circular list through this sentinel, so audits can find them. */
  private readonly looseHead = looseRecord();

  constructor(opts: MemoryOptions) {
    super(opts.pricing);
    this.root = new View([], []);
    this.looseHead.prev = this.looseHead;
    this.looseHead.next = this.looseHead;
  }

  // ------------------------------------------------------------------ views and membranes

  /** The same membranes, a position further down (`newdag.coolfloat256`). Nothing is checked yet. */
  at(view: View, path: readonly string[]): View {
    return path.length === 0 ? view : new View([...view.path, ...path], view.chain);
  }

  /**
   * `membrane<quota<T, D, O>> X` over `view` (T, D, O in whole points). `name` is the name it is
   * declared under (used in errors and reports). Checks quota.md §6 and charges the membrane entity
   * through `view`; refusal is a quota_error with limit `total` (D > T), `pool` (§6 sum) or a charge limit.
   */
  quota(view: View, name: string, total: bigint | number, direct: bigint | number, overcommit: bigint | number): View {
    return this.op(() => {
      this.membraneBase(view);
      const [T, D, O] = [pointsToMp(total), pointsToMp(direct), pointsToMp(overcommit)];
      const parent = view.membrane;
      const quotaParent = view.quota;
      const pool = parent !== null && parent.kind === 'quota' ? parent.pool : this.nextPool;
      const m = new Membrane(this.nextMembraneId, name, 'quota', T, D, O, parent, quotaParent, pool);
      const what = `declaration of quota membrane '${name}' <${total},${direct},${overcommit}>`;
      if (T < 0 || D < 0 || O < 0) throw this.declError(m, `${what}: quotas must not be negative`, 'total', T, 0, Math.min(T, D, O));
      if (D > T) throw quotaError(m, 'total', T, 0, D, `${what}: its direct claim D`);
      if (T >= Number.MAX_SAFE_INTEGER || O >= Number.MAX_SAFE_INTEGER) throw this.declError(m, `${what}: quotas must stay below ${formatPoints(Number.MAX_SAFE_INTEGER)} points`, 'total', Number.MAX_SAFE_INTEGER, 0, T);
      if (quotaParent) {
        const cap = quotaParent.total - quotaParent.direct + quotaParent.overcommit;
        if (quotaParent.childTotals + T > cap) throw this.poolError(quotaParent, cap, T, what);
      }
      this.chargeMembrane(view, m, K_MEMBRANE_QUOTA, what);
      if (pool === this.nextPool) this.nextPool++;
      this.registerMembrane(m);
      return new View(view.path, [...view.chain, m]);
    });
  }

  /** `membrane<copy_on_mutate> X` over `view`: its own pool, extras on every entity added through it. */
  copyOnMutate(view: View, name: string): View {
    return this.op(() => {
      this.membraneBase(view);
      const m = new Membrane(this.nextMembraneId, name, 'copy_on_mutate', 0, 0, 0, view.membrane, view.quota, 0);
      this.chargeMembrane(view, m, K_MEMBRANE_COM, `declaration of copy_on_mutate membrane '${name}'`);
      this.registerMembrane(m);
      return new View(view.path, [...view.chain, m]);
    });
  }

  /**
   * Ends the innermost membrane of `view` now: releases its own entity and its §6 share of its parent.
   * It must be empty: nothing paid by it, no open membrane stacked on it.
   */
  closeMembrane(view: View): void {
    this.op(() => {
      const m = view.membrane;
      if (m === null) throw new Error('closeMembrane: the view has no membrane');
      if (m.closed) return;
      if (m.children.length > 0) throw new Error(`closeMembrane: '${m.name}' still has membranes stacked on it (${m.children.map((c) => c.name).join(', ')})`);
      if (m.directUsed !== 0 || m.belowUsed !== 0) {
        throw new Error(`closeMembrane: '${m.name}' still holds ${formatPoints(m.directUsed + m.belowUsed)} points; release what it paid first`);
      }
      this.close(m);
    });
  }

  /**
   * The name `m` was bound to went out of scope (language.md §5: a block's locals live until the block
   * ends, a call's until it returns). From now on nothing can be allocated through it (MRG3015), and it
   * closes — its entity released, its total back in its parent's §6 pool — as soon as it holds nothing
   * and no open membrane is stacked on it: at once, or when the last thing it paid for that lives on in
   * a longer-lived DAG is released, or when the last membrane stacked on it closes.
   */
  retireMembrane(m: Membrane): void {
    this.op(() => {
      if (m.retired || m.closed) return;
      this.set(m, 'retired', true);
      // Dataframe handles look their path (and the membranes on it) up again.
      this.bumpVersion();
      this.closeIfDone(m);
    });
  }

  protected closeIfDone(m: Membrane): void {
    if (m.retired && !m.closed && m.directUsed === 0 && m.belowUsed === 0 && m.children.length === 0) this.close(m);
  }

  /** Closes an empty membrane; a retired parent (or enclosing quota) left empty by it closes too. */
  private close(m: Membrane): void {
    this.set(m, 'closed', true);
    this.membranes.delete(m.id);
    this.record(() => this.membranes.set(m.id, m));
    const parent = m.parent;
    if (parent) {
      const i = parent.children.indexOf(m);
      parent.children.splice(i, 1);
      this.record(() => parent.children.splice(i, 0, m));
    }
    if (m.kind === 'quota' && m.quotaParent) this.set(m.quotaParent, 'childTotals', m.quotaParent.childTotals - m.total);
    if (m.paid) this.unpay(m.paid, m.kind === 'quota' ? K_MEMBRANE_QUOTA : K_MEMBRANE_COM, 0);
    if (parent) this.closeIfDone(parent);
    if (m.quotaParent && m.quotaParent !== parent) this.closeIfDone(m.quotaParent);
  }

  /** MRG3015 when a membrane on the view's chain was retired or closed: nothing goes through it any more. */
  private usable(view: View): void {
    const chain = view.chain;
    for (let i = 0; i < chain.length; i++) {
      const m = chain[i] as Membrane;
      if (m.retired || m.closed) {
        fail('MRG3015', `the membrane '${m.name}' ended with the scope of the name it was bound to: nothing can be allocated through it any more`);
      }
    }
  }

  private membraneBase(view: View): Resolved {
    this.usable(view);
    const r = resolve(this.world, view.path);
    if (r.node.kind !== 'dag') fail('MRG3002', `a membrane goes around a dag node; ${show(view.path)} is ${withArticle(r.node.kind === 'scalar' ? r.node.type.name : r.node.kind)}`);
    return r;
  }

  /** The §6 refusal; it names the retired membranes whose share is still taken, and why. */
  private poolError(p: Membrane, cap: number, T: number, what: string): MergeError {
    const e = quotaError(p, 'pool', cap, p.childTotals, T, what);
    const held = this.allMembranes().filter((x) => x.retired && x.quotaParent === p && x.kind === 'quota');
    if (held.length === 0) return e;
    const names = held.map((x) => `'${x.name}'`).join(', ');
    const why = `${names} ${held.length === 1 ? 'ended with its name but still pays' : 'ended with their names but still pay'} for something that lives on in a longer-lived DAG, so ${held.length === 1 ? 'its share is' : 'their shares are'} still taken`;
    return new MergeError({ ...e.diagnostic, message: `${e.message}; ${why}` }, e.details);
  }

  private declError(m: Membrane, message: string, limit: 'total', limitValue: number, used: number, requested: number): MergeError {
    const e = quotaError(m, limit, limitValue, used, requested);
    return new MergeError(diagnostic('MRG3006', message), e.details);
  }

  private chargeMembrane(view: View, m: Membrane, kid: number, what: string): void {
    const price = this.pricing.price(kid, view.q, view.c);
    if (view.quota) {
      try {
        checkCharge(view.quota, price);
      } catch (e) {
        if (e instanceof MergeError) throw new MergeError(diagnostic('MRG3006', `${what}: ${e.message}`), e.details);
        throw e;
      }
    }
    const acct = new Acct(view.quota?.id ?? UNMETERED, price, view.q, view.c);
    this.pay(view.quota, kid, acct, 0);
    m.paid = acct;
  }

  private registerMembrane(m: Membrane): void {
    this.membranes.set(m.id, m);
    this.nextMembraneId++;
    m.parent?.children.push(m);
    if (m.kind === 'quota' && m.quotaParent) m.quotaParent.childTotals += m.total;
    this.record(() => {
      this.membranes.delete(m.id);
      this.nextMembraneId--;
      m.parent?.children.pop();
      if (m.kind === 'quota' && m.quotaParent) m.quotaParent.childTotals -= m.total;
    });
  }

  // ------------------------------------------------------------------ reading

  /** The node at view/path, through aliases (name_error if missing). */
  lookup(view: View, path: readonly string[] = []): Resolved {
    return resolve(this.world, [...view.path, ...path]);
  }

  has(view: View, path: readonly string[] = []): boolean {
    return typeof tryResolve(this.world, [...view.path, ...path]) !== 'string';
  }

  /** A scalar's value (type_error for a non-scalar). */
  value(view: View, path: readonly string[]): ScalarValue {
    const r = this.lookup(view, path);
    if (r.node.kind !== 'scalar') fail('MRG3002', `${show(r.path)} is ${withArticle(r.node.kind)}, not a scalar`);
    return r.node.value;
  }

  /** The current world DAG (an immutable value: keep it to compare versions). */
  get dag(): BranchNode {
    return this.world;
  }

  // ------------------------------------------------------------------ declarations

  /** `dag view.path` — a new empty DAG node (intermediates created). `entity: 'scope'` for a callable's scope. */
  declareDag(view: View, path: readonly string[], opts: DeclareOptions & { entity?: 'dag_node' | 'scope' } = {}): void {
    const entity = opts.entity ?? 'dag_node';
    const kid = entity === 'scope' ? K_SCOPE : K_DAG_NODE;
    this.checkedOp(() => this.allocate(view, path, kid, 0, (acct) => branch(acct, entity, opts.inert ?? false)));
  }

  /** `T view.path = value` — a scalar (value checked against the type: type_error / range_error). */
  declareScalar(view: View, path: readonly string[], type: string | ScalarType, value: ScalarValue, opts: DeclareOptions = {}): void {
    this.checkedOp(() => {
      const t = typeof type === 'string' ? scalarType(type) : type;
      const v = coerceScalar(t, value);
      const kid = kindId(entityKindOf(t, v));
      const len = typeof v === 'string' ? utf8Length(v) : 0;
      this.allocate(view, path, kid, len, (acct) => scalarNode(t, v, kid, len, acct, opts.inert ?? false));
    });
  }

  /** `dataframe view.path T1 c1, T2 c2, …` — an empty dataframe. */
  declareDataframe(view: View, path: readonly string[], columns: readonly ColumnDecl[], opts: DeclareOptions = {}): void {
    this.checkedOp(() => {
      const specs: ColumnSpec[] = columns.map((c) => ({ name: c.name, type: typeof c.type === 'string' ? scalarType(c.type) : c.type }));
      const df = new Dataframe(specs);
      df.frozen = opts.inert ?? false;
      this.allocate(view, path, K_DATAFRAME, 0, (acct) => ({ kind: 'dataframe', df, acct, frozen: df.frozen }) as DataframeNode);
    });
  }

  /** A node holding an interpreter object (a blocker, a callable); `entity` says what it is charged as (null: free). */
  declareOpaque(view: View, path: readonly string[], entity: 'blocker' | 'scope' | null, payload: unknown, opts: DeclareOptions = {}): void {
    this.checkedOp(() => {
      const kid = entity === 'blocker' ? K_BLOCKER : entity === 'scope' ? K_SCOPE : -1;
      this.allocate(view, path, kid, 0, (acct) => ({ kind: 'opaque', entity, payload, acct: kid < 0 ? null : acct, frozen: opts.inert ?? false }));
    });
  }

  /**
   * Places a built-in sub-DAG (e.g. langVersionDag()) at view/path: unpaid, uncounted, as given.
   * Missing intermediates are created unpaid too. Not for user allocations.
   */
  installBuiltin(view: View, path: readonly string[], node: DagNode): void {
    this.op(() => {
      const { parent, missing, leaf } = this.locate(view, path, true);
      const sub = nest(missing, leaf, node, () => branch(new Acct(UNPAID, 0, 0, 0)));
      this.setRoot(setAt(this.world, [...parent.path, missing[0] ?? leaf], sub));
    });
  }

  /**
   * Allocates one entity (plus any missing intermediate dag nodes) at view/path, all charged as one
   * amount to the view's innermost quota membrane.
   */
  private allocate(view: View, path: readonly string[], kid: number, len: number, make: (acct: Acct) => DagNode): void {
    this.usable(view);
    const { parent, missing, leaf } = this.locate(view, path);
    const quota = view.quota;
    const by = quota?.id ?? UNMETERED;
    const nodePrice = this.pricing.price(K_DAG_NODE, view.q, view.c);
    const leafPrice = kid < 0 ? 0 : kid === K_STRING ? this.pricing.stringPrice(len, view.q, view.c) : this.pricing.price(kid, view.q, view.c);
    const total = missing.length * nodePrice + leafPrice;
    if (quota) checkCharge(quota, total);
    const sub = nest(missing, leaf, make(new Acct(by, leafPrice, view.q, view.c)), () => branch(new Acct(by, nodePrice, view.q, view.c)));
    this.setRoot(setAt(this.world, [...parent.path, missing[0] ?? leaf], sub));
    if (quota) this.charge(quota, total);
    if (missing.length > 0) this.book(quota, K_DAG_NODE, missing.length, missing.length * nodePrice, view.q, view.c, 0);
    if (kid >= 0) this.book(quota, kid, 1, leafPrice, view.q, view.c, kid === K_STRING ? len : 0);
  }

  /** The deepest existing dag on the way to view/path, the names to create below it, and the leaf name. */
  private locate(view: View, path: readonly string[], builtin = false): { parent: Resolved; missing: string[]; leaf: string } {
    if (path.length === 0) fail('MRG3001', `a declaration needs a name below ${show(view.path)}`);
    let cur = resolve(this.world, view.path);
    const missing: string[] = [];
    for (let i = 0; i < path.length - 1; i++) {
      const name = path[i] as string;
      if (missing.length === 0) {
        if (cur.node.kind !== 'dag') fail('MRG3002', `${show(cur.path)} is ${withArticle(cur.node.kind === 'scalar' ? cur.node.type.name : cur.node.kind)}, not a dag: cannot declare '${name}' in it`);
        if (cur.node.children.has(name)) {
          cur = resolve(this.world, [...cur.path, name]);
          continue;
        }
      }
      missing.push(name);
    }
    const leaf = path[path.length - 1] as string;
    if (cur.node.kind !== 'dag') fail('MRG3002', `${show(cur.path)} is ${withArticle(cur.node.kind === 'scalar' ? cur.node.type.name : cur.node.kind)}, not a dag: cannot declare '${missing[0] ?? leaf}' in it`);
    if (cur.frozen && !builtin) fail('MRG3005', `${show(cur.path)} is frozen (or inert): cannot declare '${[...missing, leaf].join('.')}' in it`);
    if (missing.length === 0 && cur.node.children.has(leaf)) fail('MRG3001', `${show([...cur.path, leaf])} already exists`);
    return { parent: cur, missing, leaf };
  }

  /** `path = value` on a mutable scalar. A value of another size re-pays through the view. */
  assign(view: View, path: readonly string[], value: ScalarValue): void {
    // checkedOp(), spelled out: outside atomically() an assignment allocates no closure.
    if (this.journal === null) this.assignChecked(view, path, value);
    else this.atomically(() => this.assignChecked(view, path, value));
  }

  private assignChecked(view: View, path: readonly string[], value: ScalarValue): void {
    this.usable(view);
    // lookup() without its defensive copy: r.path stays inside this call.
    const r = resolve(this.world, view.path.length === 0 ? path : view.path.concat(path));
    const node = r.node;
    if (node.kind !== 'scalar') fail('MRG3002', `${show(r.path)} is ${withArticle(node.kind)}, not a scalar: it cannot be assigned`);
    if (r.frozen) fail('MRG3005', `${show(r.path)} is inert or frozen: it cannot change`);
    const v = coerceScalar(node.type, value);
    const kid = scalarKindId(node.type, v);
    const len = typeof v === 'string' ? utf8Length(v) : 0;
    const a = node.acct as Acct;
    const quota = view.quota;
    const by = quota?.id ?? UNMETERED;
    const price = kid === K_STRING ? this.pricing.stringPrice(len, view.q, view.c) : this.pricing.price(kid, view.q, view.c);
    if (a.by === by && a.q === view.q && a.c === view.c && a.mp === price && kid === node.kid) {
      this.setRoot(setAt(this.world, r.path, scalarNode(node.type, v, kid, len, a, node.frozen)));
      return;
    }
    const plan = new ChargePlan();
    if (a.by > 0) plan.add(this.membrane(a.by), -a.mp);
    plan.add(quota, price);
    plan.check(`assignment to ${show(r.path)}`);
    this.unpay(a, node.kid, node.len);
    const acct = new Acct(by, price, view.q, view.c);
    this.pay(quota, kid, acct, len);
    this.setRoot(setAt(this.world, r.path, scalarNode(node.type, v, kid, len, acct, node.frozen)));
  }

  // ------------------------------------------------------------------ loose payments (frame slots)

  /**
   * Pays for a scalar entity of kind `kid` (a string: of `len` UTF-8 bytes) allocated through `view`,
   * without putting a node in the DAG: the same price, quota check, charge and per-kind tallies as
   * `declareScalar` through that view would make. `l` holds the payment until `releaseLoose`, or until
   * `placeLoose` puts the node in the DAG and hands the payment to it. Refused: quota_error, nothing changed.
   */
  payLoose(l: Loose, view: View, kid: number, len: number): void {
    if (isLive(l)) throw new Error('payLoose: this payment is already made');
    this.usable(view);
    const quota = view.quota;
    const { q, c } = view;
    const price = kid === K_STRING ? this.pricing.stringPrice(len, q, c) : this.pricing.price(kid, q, c);
    if (quota !== null) {
      checkCharge(quota, price);
      this.moveUse(quota, price);
    }
    l.by = quota === null ? UNMETERED : quota.id;
    l.mp = price;
    l.q = q;
    l.c = c;
    l.kid = kid;
    l.len = len;
    l.payer = quota;
    this.tallyOne(quota, kid, price, q, c, kid === K_STRING ? len : 0);
    this.link(l);
    if (this.journal !== null) this.journal.push(() => this.unbook(l));
  }

  /** Releases a loose payment (no-op when it was released or placed already): its charge and tallies go back. */
  releaseLoose(l: Loose): void {
    if (!isLive(l)) return;
    const payer = l.payer;
    this.unbook(l);
    if (this.journal !== null) this.journal.push(() => this.rebook(l));
    if (payer !== null && payer.retired) this.closeIfDone(payer);
  }

  /**
   * The slot got a value of another size (a longer string, an `int` of more bytes): the entity is
   * re-paid through `view` exactly as `assign` re-pays a node. Refused: quota_error naming `what`.
   */
  repayLoose(l: Loose, view: View, kid: number, len: number, what: string): void {
    if (!isLive(l)) throw new Error('repayLoose: nothing is paid');
    this.usable(view);
    const quota = view.quota;
    const by = quota === null ? UNMETERED : quota.id;
    const { q, c } = view;
    const price = kid === K_STRING ? this.pricing.stringPrice(len, q, c) : this.pricing.price(kid, q, c);
    const old = { by: l.by, mp: l.mp, q: l.q, c: l.c, kid: l.kid, len: l.len, payer: l.payer };
    if (l.by === by && l.q === q && l.c === c && l.mp === price && kid === l.kid) {
      // The same entity at the same price: like assign, only the value (its length) changes.
      l.len = len;
      if (this.journal !== null) this.journal.push(() => (l.len = old.len));
      return;
    }
    const plan = new ChargePlan();
    plan.add(l.payer, -l.mp);
    plan.add(quota, price);
    plan.check(what);
    this.unbook(l);
    // Undone in reverse: payLoose's own undo takes the new payment back, then the old one returns.
    if (this.journal !== null) {
      this.journal.push(() => {
        Object.assign(l, old);
        this.rebook(l);
      });
    }
    this.payLoose(l, view, kid, len);
    if (old.payer !== null && old.payer.retired) this.closeIfDone(old.payer);
  }

  /**
   * Puts the node of a loosely paid scalar at view/name (the value must be the entity paid for: same
   * kind and length). Nothing is charged or counted again: the node takes the payment over.
   */
  placeLoose(l: Loose, view: View, name: string, type: ScalarType, value: ScalarValue, opts: DeclareOptions = {}): void {
    this.op(() => {
      if (!isLive(l)) throw new Error('placeLoose: nothing is paid');
      const v = coerceScalar(type, value);
      if (scalarKindId(type, v) !== l.kid || (typeof v === 'string' ? utf8Length(v) : 0) !== l.len) {
        throw new Error('placeLoose: the value is not the entity that was paid for');
      }
      const { parent, leaf } = this.locate(view, [name]);
      const node = scalarNode(type, v, l.kid, l.len, new Acct(l.by, l.mp, l.q, l.c), opts.inert ?? false);
      this.setRoot(setAt(this.world, [...parent.path, leaf], node));
      this.unlink(l);
      this.record(() => this.link(l));
    });
  }

  /** Live loose payments (audits and tests). */
  loosePayments(): Loose[] {
    const out: Loose[] = [];
    for (let l = this.looseHead.next as Loose; l !== this.looseHead; l = l.next as Loose) out.push(l);
    return out;
  }

  private link(l: Loose): void {
    const head = this.looseHead;
    const last = head.prev as Loose;
    l.prev = last;
    l.next = head;
    last.next = l;
    head.prev = l;
  }

  private unlink(l: Loose): void {
    (l.prev as Loose).next = l.next;
    (l.next as Loose).prev = l.prev;
    l.prev = null;
    l.next = null;
  }

  /** Takes a loose payment back: unlinked, uncharged, untallied (its record kept for an undo). */
  private unbook(l: Loose): void {
    this.unlink(l);
    if (l.payer !== null) this.moveUse(l.payer, -l.mp);
    this.tallyOne(l.payer, l.kid, -l.mp, l.q, l.c, l.kid === K_STRING ? -l.len : 0, -1);
  }

  /** The undo of unbook. */
  private rebook(l: Loose): void {
    if (l.payer !== null) this.moveUse(l.payer, l.mp);
    this.tallyOne(l.payer, l.kid, l.mp, l.q, l.c, l.kid === K_STRING ? l.len : 0);
    this.link(l);
  }

  // ------------------------------------------------------------------ prune, ent, alias, freeze

  /**
   * `prune view.path`: from a mutable parent the sub-DAG is cut out (the world's next version lacks
   * it; payments stay); from a frozen/inert parent it is copied, and the copy is new and unpaid.
   */
  prune(view: View, path: readonly string[]): Detached {
    return this.op(() => {
      const r = this.lookup(view, path);
      if (r.path.length === 0) fail('MRG3002', 'the root of the world cannot be pruned');
      const parentPath = r.path.slice(0, -1);
      const parentFrozen = resolve(this.world, parentPath).frozen;
      let node: DagNode;
      if (parentFrozen) {
        node = copyUnpaid(r.node);
      } else {
        node = r.node;
        this.setRoot(setAt(this.world, r.path, undefined));
      }
      const d = new Detached(this.nextDetached++, node, parentFrozen, r.path);
      this.live.set(d.id, d);
      this.record(() => {
        this.live.delete(d.id);
        this.nextDetached--;
      });
      return d;
    });
  }

  /**
   * `ent view.path X as name`: grafts a pruned sub-DAG. Node by node: paid by a membrane in the
   * same pool as the view's innermost quota membrane → free; otherwise full price at that membrane
   * (the old payment released in the same step). All or nothing; X is used up (ownership_error after).
   */
  ent(view: View, path: readonly string[], x: Detached, name: string): void {
    this.op(() => {
      if (!this.live.has(x.id)) fail('MRG3004', `the pruned value from ${show(x.from)} was already grafted or released`);
      this.usable(view);
      const r = this.lookup(view, path);
      if (r.node.kind !== 'dag') fail('MRG3002', `${show(r.path)} is ${withArticle(r.node.kind)}, not a dag: nothing can be grafted into it`);
      if (r.frozen) fail('MRG3005', `${show(r.path)} is frozen (or inert): cannot graft '${name}' into it`);
      if (r.node.children.has(name)) fail('MRG3001', `${show([...r.path, name])} already exists`);
      this.repay(x.node, view, `graft of '${name}' into ${show(r.path)}`);
      this.setRoot(setAt(this.world, [...r.path, name], x.node));
      this.consume(x);
    });
  }

  /** Drops a pruned value that will not be grafted: every payment in it is released. */
  release(x: Detached): void {
    this.op(() => {
      if (!this.live.has(x.id)) fail('MRG3004', `the pruned value from ${show(x.from)} was already grafted or released`);
      walk(x.node, (n) => {
        if (n.acct) this.unpay(n.acct, entityKid(n), n.kind === 'scalar' ? n.len : 0);
        if (n.kind === 'dataframe') {
          for (const s of n.df.segments) this.unpaySegment(n.df, s);
        }
      });
      this.consume(x);
    });
  }

  /** `alias view.target as name`: a second name at view/name for the same node. No copy, no charge. */
  alias(view: View, target: readonly string[], name: string): void {
    this.op(() => {
      const t = this.lookup(view, target);
      const at = resolve(this.world, view.path);
      if (at.node.kind !== 'dag') fail('MRG3002', `${show(at.path)} is not a dag: cannot hold the alias '${name}'`);
      if (at.frozen) fail('MRG3005', `${show(at.path)} is frozen (or inert): cannot add the alias '${name}'`);
      if (at.node.children.has(name)) fail('MRG3001', `${show([...at.path, name])} already exists`);
      this.setRoot(setAt(this.world, [...at.path, name], { kind: 'alias', target: t.path, acct: null, frozen: false }));
    });
  }

  /** `freeze view.path`: the node and everything below it refuse change from now on. */
  freeze(view: View, path: readonly string[] = []): void {
    this.op(() => {
      const r = this.lookup(view, path);
      if (r.frozen) return;
      this.setRoot(setAt(this.world, r.path, withFrozen(r.node, true)));
      walk(r.node, (n) => {
        if (n.kind === 'dataframe' && !n.df.frozen) this.set(n.df, 'frozen', true);
      });
    });
  }

  // ------------------------------------------------------------------ dataframes

  /** `view.path(v1 v2 …)`: appends one row as one atomic charge (row + each scalar; strings by length). */
  appendRow(view: View, path: readonly string[], values: readonly ScalarValue[]): void {
    this.dataframe(view, path).append(values);
  }

  /** A handle for repeated appends and reads (it looks its path up again after structural changes). */
  dataframe(view: View, path: readonly string[]): DataframeHandle {
    return new DataframeHandle(this, view, path);
  }

  /** @internal Used by DataframeHandle. */
  resolveDataframe(view: View, path: readonly string[]): ResolvedDataframe {
    this.usable(view);
    const r = this.lookup(view, path);
    if (r.node.kind !== 'dataframe') fail('MRG3002', `${show(r.path)} is ${withArticle(r.node.kind === 'scalar' ? r.node.type.name : r.node.kind)}, not a dataframe`);
    return { df: r.node.df, frozen: r.frozen || r.node.df.frozen, version: this.version, where: show(r.path) };
  }

  /** @internal */
  get structureVersion(): number {
    return this.version;
  }

  /** @internal The append itself: values coerced, price checked, then pushed and booked. */
  appendChecked(view: View, df: Dataframe, where: string, values: readonly ScalarValue[]): void {
    if (df.frozen) fail('MRG3005', `dataframe ${where} is frozen: rows cannot be added`);
    // Outside a journal nothing keeps the row after this call, so the scratch array will do.
    const row = df.coerceRow(values, this.journal === null);
    const quota = view.quota;
    const q = view.q;
    const c = view.c;
    const price = df.rowPrice(this.pricing, row, q, c);
    if (quota) checkCharge(quota, price);
    const mark = this.journal ? df.mark() : null;
    df.pushRow(row);
    const by = quota?.id ?? UNMETERED;
    df.payLastRow(by, q, c, price);
    if (quota) {
      this.moveUse(quota, price);
    }
    // Per-kind tallies: the row entity and each scalar.
    const fixed = df.fixedPrice(this.pricing, q, c);
    this.tallyOne(quota, K_ROW, this.pricing.price(K_ROW, q, c), q, c, 0);
    for (let i = 0; i < row.length; i++) {
      const k = df.colKinds[i] as number;
      if (k >= 0) {
        this.tallyOne(quota, k, fixed.each[i] as number, q, c, 0);
      } else {
        const v = row[i] as ScalarValue;
        if (typeof v === 'string') {
          const len = utf8Length(v);
          this.tallyOne(quota, K_STRING, this.pricing.stringPrice(len, q, c), q, c, len);
        } else {
          const kk = kindId(entityKindOf((df.columns[i] as ColumnSpec).type, v));
          this.tallyOne(quota, kk, this.pricing.price(kk, q, c), q, c, 0);
        }
      }
    }
    if (mark) {
      (this.journal as Undo[]).push(() => {
        df.restore(mark);
        if (quota) {
          this.moveUse(quota, -price);
        }
        this.untallyRow(quota, df, row, q, c);
      });
    }
  }

  // ------------------------------------------------------------------ prices and reports

  /** Milli-points of one scalar of `type` allocated through `view` (lang.memory.dag.dag_rampoints). */
  priceAt(view: View, type: string | ScalarType, value?: ScalarValue): number {
    const t = typeof type === 'string' ? scalarType(type) : type;
    if (t.family === 'string') return this.pricing.stringPrice(typeof value === 'string' ? utf8Length(value) : 0, view.q, view.c);
    const kind = value === undefined ? entityKindOfType(t) : entityKindOf(t, coerceScalar(t, value));
    return this.pricing.price(kindId(kind), view.q, view.c);
  }

  /** The membrane tree seen from `view` (its innermost membrane's subtree; all membranes without one). */
  report(view?: View): UsageReport {
    const top = view?.membrane ?? null;
    const roots = top ? [top] : this.allMembranes().filter((m) => m.parent === null);
    const depth = (m: Membrane) => {
      let d = 0;
      for (let p = m.parent; p; p = p.parent) d++;
      return d;
    };
    const membranes = roots.map((m) => membraneUsage(m, depth(m)));
    return { membranes, flat: flatten(membranes), totals: runTotals(this.tally, this.pricing.profile) };
  }

  private setRoot(root: BranchNode): void {
    if (this.journal !== null) this.recordRoot(this.world);
    this.world = root;
    this.version++;
  }

  private bumpVersion(): void {
    this.version++;
    this.record(() => this.version++);
  }

  /** The undo of setRoot (its own function: outside a journal, setRoot allocates nothing). */
  private recordRoot(old: BranchNode): void {
    this.record(() => {
      this.world = old;
      this.version++;
    });
  }

  private consume(x: Detached): void {
    this.live.delete(x.id);
    this.record(() => this.live.set(x.id, x));
  }

  /** Every dataframe in the world (not inside pruned values), by canonical path, in DAG order. */
  listDataframes(): { path: string[]; rows: number; frozen: boolean }[] {
    const out: { path: string[]; rows: number; frozen: boolean }[] = [];
    const visit = (n: DagNode, path: string[]) => {
      if (n.kind === 'dataframe') out.push({ path, rows: n.df.rows, frozen: n.df.frozen });
      else if (n.kind === 'dag') for (const [k, v] of n.children.entries()) visit(v, [...path, k]);
    };
    visit(this.world, []);
    return out;
  }

  // ------------------------------------------------------------------ testing aids

  /** True while a pruned value can still be grafted or released. */
  isLive(x: Detached): boolean {
    return this.live.get(x.id) === x;
  }

  /** Live pruned values (not yet grafted or released). */
  liveDetached(): readonly Detached[] {
    return [...this.live.values()];
  }
}
