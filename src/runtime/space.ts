// The interpreter's side of the core model (src/model). The world is one Memory: every scope is a node
// of its DAG, every declaration a node allocated through its scope's view (so it is priced, charged
// and counted by the model), and `scope.imported.lang` is the model's built-in, inert lang DAG.
// Frames keep the live value of each name for speed; the node holds its accounting and is re-priced
// whenever a new value changes the entity's size.
import type { MembraneSpec } from '../ast/types.js';
import { MergeError, type Span } from '../diagnostics.js';
import { withArticle } from '../words.js';
import {
  entityKindOfType,
  langDag,
  Memory,
  UNPAID,
  scalarKindId,
  utf8Length,
  type DagNode,
  type DataframeHandle,
  type Detached,
  type Loose,
  type Pricing,
  type ScalarType,
  type ScalarValue,
  type View,
  work,
} from '../model/index.js';
import { freezeError, nameError, typeError } from './errors.js';
import type { Membrane } from '../model/index.js';
import { LONG_STRING, longStringWork, modelWorkDone } from './limits.js';
import { checkIntSize } from './arith.js';
import type { Cell, Frame, Payment } from './frame.js';
import { endActivation } from './lifetime.js';
import { INT_MAGNITUDE_LIMIT } from './types.js';
import { typeByName, type TypeDesc } from './types.js';
import { describe, type BlockerValue, type ForeignValue, type RefValue, type Value } from './values.js';

/**
 * World paths in a model message as the program wrote them: the scope nodes the interpreter adds
 * (`#main.`, `#module:utils.mrm.`) are left out, and the `#slot` / `#dN` suffixes that keep redeclared
 * names and nested calls apart are dropped (`#main.f()#5.y#d1` reads `f().y`).
 */
export function userPaths(message: string): string {
  if (!message.includes('#')) return message;
  return message.replace(/(^|[\s'"(])#(?:module:[^\s]+?\.mrm|[A-Za-z_]\w*)\./g, '$1').replace(/([A-Za-z_]\w*(?:\(\))?)#d?\d+\b/g, '$1');
}

/** A DAG seen through a view (attached), or a sub-DAG cut out by `prune` (detached) until grafted. */
export interface DagValue extends ForeignValue {
  readonly tag: 'dag';
  readonly view: View | null;
  /** The pruned value this is (or is inside of), when detached. */
  readonly detached: Detached | null;
  /** The node this value stands for inside a detached sub-DAG. */
  readonly node: DagNode | null;
  /** Declared through a mutable name: declarations and prunes through it change the world. */
  readonly mutable: boolean;
}

export interface DataframeValue extends ForeignValue {
  readonly tag: 'dataframe';
  readonly handle: DataframeHandle;
  /** The path it was declared under, for reports. */
  readonly name: string;
}

/** A spot in a DAG: a value and the path below it (possibly not existing yet). */
export interface Place {
  readonly base: DagValue;
  readonly path: readonly string[];
}

export interface Column {
  readonly name: string;
  readonly type: TypeDesc;
}

function scalarTypeOf(t: TypeDesc, span: Span) {
  if (!('scalar' in t)) return typeError(`'${t.name}' is not a scalar type`, span);
  return t.scalar;
}

/** The type a bare value is grafted as (`ent d 5 as five;`). */
function typeOfValue(v: Value, span: Span): TypeDesc {
  const name = typeof v === 'bigint' ? 'int' : typeof v === 'number' ? 'float64' : typeof v === 'string' ? 'string' : typeof v === 'boolean' ? 'bool' : null;
  if (name === null) return typeError(`${describe(v)} cannot be grafted into a DAG`, span);
  return typeByName(name) as TypeDesc;
}

export class World {
  readonly mem: Memory;
  /**
   * Frames are lazy (the default): a scalar parameter or local is paid for exactly as its node would
   * be, but its node is put in the DAG only when something needs it there (a graft, a capture, a
   * freeze). Eager (RunOptions.frames) declares every one as a node at once, as the spec reads.
   */
  readonly lazy: boolean;
  /** `scope.imported.lang`: inert and unpaid; a prune of it is a copy that pays when grafted. */
  readonly lang: DagValue;
  /** Blockers holding work that was never awaited (so far): MRG3020 at the end of the run. */
  readonly unawaited = new Set<BlockerValue>();
  /** Every dataframe declared in the run and not released since, for the report. */
  readonly dataframes: DataframeValue[] = [];
  /**
   * Activations that ended by an error and whose locals are not all released yet, as triples (frame,
   * first own slot, slot count), innermost first. A call puts its frame here before releasing it on
   * the way out and takes it off once that is done: if the stack runs out during the release (V8
   * compiles a function on its first call, on the stack of that call), the frame stays, and
   * releaseDying finishes it once the run is back at the top.
   */
  readonly dying: (Frame | number)[] = [];
  /** The type of the scalar `child` read last (`cout d.f` prints a float16 at its width); null: none since it was cleared. */
  lastScalarType: string | null = null;

  constructor(pricing: Pricing, frames: 'lazy' | 'eager' = 'lazy') {
    this.lazy = frames === 'lazy';
    this.mem = new Memory({ pricing });
    this.mem.installBuiltin(this.mem.root, ['imported', 'lang'], langDag());
    this.lang = { tag: 'dag', view: this.mem.at(this.mem.root, ['imported', 'lang']), detached: null, node: null, mutable: false };
  }

  /** Releases what the activations left in `dying` still hold, innermost first (the end of a run, or of a vectorized row). */
  releaseDying(): void {
    const d = this.dying;
    for (let i = 0; i < d.length; i += 3) endActivation(d[i] as Frame, d[i + 1] as number, d[i + 2] as number, undefined, null);
    d.length = 0;
  }

  /** Runs model operations; an error without a place gets the statement's span, and its paths the names the program wrote. */
  op<T>(span: Span, fn: () => T): T {
    try {
      const r = fn();
      modelWorkDone(work.units, span);
      return r;
    } catch (e) {
      throw relabel(e, span);
    }
  }

  /** A program's or callable's scope node, declared through `through` (charged where that view allocates). */
  scope(through: View, wname: string, label: string, span: Span, membraneView: View = through): ScopeSpace {
    this.op(span, () => this.mem.declareDag(through, [wname], { entity: 'scope' }));
    return new ScopeSpace(this, this.mem.at(membraneView, [wname]), label);
  }

  // ------------------------------------------------------------------ DAG values

  attached(view: View, mutable: boolean): DagValue {
    return { tag: 'dag', view, detached: null, node: null, mutable };
  }

  private viewOf(d: DagValue, what: string, span: Span): View {
    if (d.view === null) return typeError(`a pruned DAG cannot be ${what}; graft it with ent first`, span);
    return d.view;
  }

  /**
   * A named DAG or dataframe whose node was grafted elsewhere (a capture moved into a callable's
   * scope): the same value, pointing at its node's new place `name` below `to`.
   */
  relocated(v: Value, to: View, name: string): Value {
    if (typeof v !== 'object' || v === null) return v;
    if (v.tag === 'dag' && (v as DagValue).view !== null) return this.attached(this.mem.at(to, [name]), (v as DagValue).mutable);
    if (v.tag !== 'dataframe') return v;
    const old = v as DataframeValue;
    const df: DataframeValue = { tag: 'dataframe', handle: this.mem.dataframe(to, [name]), name: old.name };
    const i = this.dataframes.indexOf(old);
    if (i >= 0) this.dataframes[i] = df;
    return df;
  }

  /** The value at `name` below a DAG: a scalar's value, a sub-DAG, or a dataframe. */
  child(d: DagValue, name: string, span: Span): Value {
    if (d.view === null) {
      const node = d.node;
      if (!node || node.kind !== 'dag') return typeError(`a pruned ${node?.kind ?? 'value'} has no member '${name}'`, span);
      const c = node.children.get(name);
      if (c === undefined) return nameError(`the pruned DAG has no '${name}'`, span);
      if (c.kind === 'scalar') {
        this.lastScalarType = c.type.name;
        return c.value as Value;
      }
      const sub: DagValue = { tag: 'dag', view: null, detached: d.detached, node: c, mutable: false };
      return sub;
    }
    const view = d.view;
    const r = this.op(span, () => this.mem.lookup(view, [name]));
    switch (r.node.kind) {
      case 'scalar':
        this.lastScalarType = r.node.type.name;
        return r.node.value as Value;
      case 'dag':
        return this.attached(this.mem.at(view, [name]), d.mutable && !r.frozen);
      case 'dataframe': {
        const df: DataframeValue = { tag: 'dataframe', handle: this.mem.dataframe(view, [name]), name: r.path.join('.') };
        return df;
      }
      case 'opaque':
        return r.node.payload as Value;
      default:
        return typeError(`'${name}' cannot be read as a value`, span);
    }
  }

  declareAt(p: Place, t: TypeDesc, v: Value, mutable: boolean, span: Span): void {
    const view = this.viewOf(p.base, 'declared into', span);
    if (!p.base.mutable) freezeError(`the DAG is reached through an inert name: declare ${p.path.join('.')} through a mutable one`, span);
    slowString(v, span);
    this.op(span, () => {
      if (t.k === 'dag') this.mem.declareDag(view, p.path, { inert: !mutable });
      else if ('scalar' in t) this.mem.declareScalar(view, p.path, t.scalar, v as ScalarValue, { inert: !mutable });
      else typeError(`${withArticle(t.name)} cannot be declared inside a DAG`, span);
    });
  }

  leafType(p: Place, span: Span): TypeDesc {
    const view = this.viewOf(p.base, 'changed', span);
    const r = this.op(span, () => this.mem.lookup(view, p.path));
    if (r.node.kind !== 'scalar') return typeError(`${p.path.join('.')} is ${withArticle(r.node.kind)}, not a scalar: it cannot be assigned`, span);
    return typeByName(r.node.type.name) as TypeDesc;
  }

  assignAt(p: Place, v: Value, span: Span): void {
    const view = this.viewOf(p.base, 'changed', span);
    if (!p.base.mutable) freezeError(`${p.path.join('.')} is reached through an inert name and cannot change`, span);
    slowString(v, span);
    this.op(span, () => this.mem.assign(view, p.path, v as ScalarValue));
  }

  prune(p: Place, span: Span): DagValue {
    const view = this.viewOf(p.base, 'pruned again', span);
    const d = this.op(span, () => this.mem.prune(view, p.path));
    return { tag: 'dag', view: null, detached: d, node: d.node, mutable: true };
  }

  /**
   * `ent T X as N`: grafts a pruned value, or a named value moved out of its scope (its node is cut
   * out and grafted, keeping its payment), or a bare scalar (a new allocation at T). Atomic.
   */
  ent(p: Place, value: Value, name: string, from: Cell | null, span: Span): void {
    const view = this.viewOf(p.base, 'grafted into', span);
    if (!p.base.mutable) freezeError(`the DAG is reached through an inert name: nothing can be grafted into it`, span);
    // A lazy slot gets its node first (outside the graft's atomic group: it stays placed if the graft is refused).
    const pay = from ? this.op(span, () => nodeOf(from)) : null;
    this.op(span, () => {
      if (typeof value === 'object' && value.tag === 'dag') {
        const d = value as DagValue;
        if (d.detached !== null && d.node === d.detached.node) return this.mem.ent(view, p.path, d.detached, name);
        if (d.detached !== null) return typeError('only a whole pruned value can be grafted, not a part of it', span);
      }
      if (pay !== null) {
        // Pruning the value would take the target with it: say so instead of "does not exist".
        const src = [...pay.space.view.path, pay.wname];
        const dst = [...view.path, ...p.path];
        if (src.length <= dst.length && src.every((n, i) => dst[i] === n)) {
          typeError(`'${from?.name}' cannot be grafted into itself or into a place inside it`, span);
        }
        this.mem.atomically(() => {
          pay.sync(from?.v as Value);
          const d = this.mem.prune(pay.space.view, [pay.wname]);
          this.mem.ent(view, p.path, d, name);
        });
        return;
      }
      if (typeof value === 'object') return typeError(`${describe(value)} cannot be grafted: prune it first`, span);
      const t = typeOfValue(value, span);
      this.mem.declareScalar(this.mem.at(view, p.path), [name], scalarTypeOf(t, span), value);
    });
  }

  /** Dataframes at or below a released node leave the report's list (a loop would pile them up). */
  forgetDataframes(under: readonly string[]): void {
    const list = this.dataframes;
    let kept = 0;
    for (const df of list) {
      if (!startsWith([...df.handle.view.path, ...df.handle.path], under)) list[kept++] = df;
    }
    list.length = kept;
  }

  freezeAt(p: Place, span: Span): void {
    const view = this.viewOf(p.base, 'frozen in place', span);
    this.op(span, () => this.mem.freeze(view, p.path));
  }

  freezeValue(v: DagValue | DataframeValue, span: Span): void {
    this.op(span, () => {
      if (v.tag === 'dataframe') this.mem.freeze(v.handle.view, v.handle.path);
      else if (v.view) this.mem.freeze(v.view, []);
    });
  }

  membrane(target: DagValue, spec: MembraneSpec, name: string, span: Span): DagValue {
    const view = this.viewOf(target, 'wrapped in a membrane', span);
    const v = this.op(span, () => (spec.kind === 'quota' ? this.mem.quota(view, name, spec.total, spec.direct, spec.overcommit) : this.mem.copyOnMutate(view, name)));
    return this.attached(v, target.mutable);
  }

  /** A membrane around a callable's scope, declared over the declaring scope's view. */
  scopeMembrane(over: View, spec: MembraneSpec, name: string, span: Span): View {
    return this.op(span, () => (spec.kind === 'quota' ? this.mem.quota(over, name, spec.total, spec.direct, spec.overcommit) : this.mem.copyOnMutate(over, name)));
  }

  // ------------------------------------------------------------------ dataframes

  dataframeAt(p: Place, label: string, columns: readonly Column[], mutable: boolean, span: Span): void {
    const view = this.viewOf(p.base, 'declared into', span);
    if (!p.base.mutable) freezeError(`the DAG is reached through an inert name: declare ${label} through a mutable one`, span);
    this.op(span, () => this.mem.declareDataframe(view, p.path, columns.map((c) => ({ name: c.name, type: scalarTypeOf(c.type, span) })), { inert: !mutable }));
    this.dataframes.push({ tag: 'dataframe', handle: this.mem.dataframe(view, p.path), name: label });
  }

  append(df: DataframeValue, row: readonly Value[], span: Span): void {
    for (let i = 0; i < row.length; i++) {
      const v = row[i] as Value;
      if (typeof v === 'object') typeError(`a dataframe row holds scalars, not ${describe(v)}`, span);
      if (typeof v === 'string') slowString(v, span);
    }
    // op() spelled out: an append loop makes no closure per row.
    try {
      df.handle.append(row as ScalarValue[]);
    } catch (e) {
      throw relabel(e, span);
    }
    modelWorkDone(work.units, span);
  }

  rows(df: DataframeValue): number {
    return df.handle.rows;
  }

  // ------------------------------------------------------------------ prices (milli-points)

  scalarMp(t: TypeDesc, span: Span): number {
    const s = scalarTypeOf(t, span);
    const p = this.mem.pricing;
    return s.family === 'string' ? p.stringPrice(0, 0, 0) : p.priceOfKind(entityKindOfType(s));
  }

  stringMp(bytes: number): number {
    return this.mem.pricing.stringPrice(bytes, 0, 0);
  }

  placeMp(p: Place, t: TypeDesc, span: Span): number {
    const view = this.viewOf(p.base, 'priced', span);
    return this.op(span, () => this.mem.priceAt(view, scalarTypeOf(t, span)));
  }
}

/** −INT_MAGNITUDE_LIMIT, made once (negating a 16384-bit bigint on every call would cost more than the call). */
const NEG_LIMIT = -INT_MAGNITUDE_LIMIT;

/** A model error as the program should see it: located at `span` when it has no place, with the program's names. */
export function relabel(e: unknown, span: Span): unknown {
  if (!(e instanceof MergeError)) return e;
  const d = e.diagnostic;
  const message = userPaths(d.message);
  if (d.span && message === d.message) return e;
  return new MergeError({ ...d, message, span: d.span ?? span }, e.details);
}

/** A scope's view: its declarations are nodes below the scope node, allocated through the view. */
export class ScopeSpace {
  constructor(
    readonly world: World,
    /** At the scope node, through the scope's membranes. */
    readonly view: View,
    /** The name the scope was declared under, for messages. */
    readonly name: string,
  ) {}

  /**
   * A scalar parameter or local named `node` (+ `#dN` at recursion depth N > 0): with lazy frames a
   * slot paid for like its node (SlotPay), else its node (NodePay). Refused: the quota_error, nothing paid.
   */
  slot(node: string, depth: number, t: TypeDesc, v: Value, mutable: boolean, span: Span): Payment {
    const world = this.world;
    if (!world.lazy) return this.scalar(depth === 0 ? node : `${node}#d${depth}`, t, v, mutable, span);
    const s = scalarTypeOf(t, span);
    let len = 0;
    if (typeof v === 'string') {
      slowString(v, span);
      len = utf8Length(v);
    } else if (typeof v === 'bigint' && (v >= INT_MAGNITUDE_LIMIT || v < NEG_LIMIT)) {
      checkIntSize(v, span);
    }
    const pay = new SlotPay(this, node, depth, s, mutable);
    try {
      world.mem.payLoose(pay, this.view, scalarKindId(s, v as ScalarValue), len);
    } catch (e) {
      throw relabel(e, span);
    }
    return pay;
  }

  scalar(wname: string, t: TypeDesc, v: Value, mutable: boolean, span: Span): NodePay {
    const s = scalarTypeOf(t, span);
    slowString(v, span);
    this.world.op(span, () => this.world.mem.declareScalar(this.view, [wname], s, v as ScalarValue, { inert: !mutable }));
    return new NodePay(this, wname);
  }

  dag(wname: string, mutable: boolean, span: Span): { value: DagValue; pay: NodePay } {
    this.world.op(span, () => this.world.mem.declareDag(this.view, [wname], { inert: !mutable }));
    return { value: this.world.attached(this.world.mem.at(this.view, [wname]), mutable), pay: new NodePay(this, wname) };
  }

  dataframe(wname: string, label: string, columns: readonly Column[], mutable: boolean, span: Span): { value: DataframeValue; pay: NodePay } {
    const mem = this.world.mem;
    this.world.op(span, () => mem.declareDataframe(this.view, [wname], columns.map((c) => ({ name: c.name, type: scalarTypeOf(c.type, span) })), { inert: !mutable }));
    const value: DataframeValue = { tag: 'dataframe', handle: mem.dataframe(this.view, [wname]), name: label };
    this.world.dataframes.push(value);
    return { value, pay: new NodePay(this, wname) };
  }

  blocker(wname: string, payload: unknown, span: Span): NodePay {
    this.world.op(span, () => this.world.mem.declareOpaque(this.view, [wname], 'blocker', payload));
    return new NodePay(this, wname);
  }
}

/** A declaration's node: releasing it prunes and refunds it; a new value re-prices it. */
export class NodePay implements Payment {
  constructor(
    readonly space: ScopeSpace,
    readonly wname: string,
  ) {}

  release(): void {
    const world = this.space.world;
    const mem = world.mem;
    if (!mem.has(this.space.view, [this.wname])) return;
    const d = mem.prune(this.space.view, [this.wname]);
    mem.release(d);
    if (d.node.kind !== 'scalar' && world.dataframes.length > 0) world.forgetDataframes(d.from);
    // Releasing a large DAG walks all of it: a slow step that looks at the clock and the heap.
    modelWorkDone(work.units, undefined);
  }

  heldBy(v: RefValue): boolean {
    const sp = this.space.view.path;
    const n = sp.length;
    const under = (p: readonly string[]) => p.length > n && p[n] === this.wname && startsWith(p, sp);
    if (v.tag === 'dag') return (v as DagValue).view !== null && under(((v as DagValue).view as View).path);
    if (v.tag === 'dataframe') {
      const h = (v as DataframeValue).handle;
      return under([...h.view.path, ...h.path]);
    }
    return false;
  }

  resize(v: Value, span: Span): Payment {
    slowString(v, span);
    this.space.world.op(span, () => this.sync(v));
    return this;
  }

  /** Writes the current value into the node and freezes it (`freeze x;`). */
  freeze(v: Value): void {
    this.sync(v);
    this.space.world.mem.freeze(this.space.view, [this.wname]);
  }

  /** Writes the frame's current value into the node (re-paying when its size changed). */
  sync(v: Value): void {
    const mem = this.space.world.mem;
    const r = mem.lookup(this.space.view, [this.wname]);
    if (r.node.kind === 'scalar' && !r.frozen && r.node.value !== v) mem.assign(this.space.view, [this.wname], v as ScalarValue);
  }
}

/**
 * A scalar parameter or local kept in its frame slot (lazy frames): paid for exactly like its node
 * (Memory.payLoose), with no node in the DAG until something needs one there (`place`).
 */
export class SlotPay implements Payment, Loose {
  // The payment record (model/loose.ts), carried by the slot itself: one allocation per slot.
  by: number;
  mp: number;
  q: number;
  c: number;
  kid: number;
  len: number;
  payer: Membrane | null;
  prev: Loose | null;
  next: Loose | null;
  readonly space: ScopeSpace;
  private readonly node: string;
  private readonly depth: number;
  private readonly type: ScalarType;
  private readonly mutable: boolean;

  constructor(space: ScopeSpace, node: string, depth: number, type: ScalarType, mutable: boolean) {
    this.by = UNPAID;
    this.mp = 0;
    this.q = 0;
    this.c = 0;
    this.kid = -1;
    this.len = 0;
    this.payer = null;
    this.prev = null;
    this.next = null;
    this.space = space;
    this.node = node;
    this.depth = depth;
    this.type = type;
    this.mutable = mutable;
  }

  /** The name its node has (or would have) below the scope node. */
  get wname(): string {
    return this.depth === 0 ? this.node : `${this.node}#d${this.depth}`;
  }

  release(): void {
    this.space.world.mem.releaseLoose(this);
  }

  resize(v: Value, span: Span): Payment {
    slowString(v, span);
    const { world, view } = this.space;
    const len = typeof v === 'string' ? utf8Length(v) : 0;
    // The message an eager node's re-payment gives (Memory.assign), so both modes fail alike.
    const what = `assignment to ${[...view.path, this.wname].join('.')}`;
    world.op(span, () => world.mem.repayLoose(this, view, scalarKindId(this.type, v as ScalarValue), len, what));
    return this;
  }

  heldBy(): boolean {
    return false;
  }

  /** Puts its node in the DAG with its current value; the node takes the payment over (nothing is charged again). */
  place(v: Value): NodePay {
    const wname = this.wname;
    this.space.world.mem.placeLoose(this, this.space.view, wname, this.type, v as ScalarValue, { inert: !this.mutable });
    return new NodePay(this.space, wname);
  }
}

/** The binding's entity as a node of the DAG (placed now if its slot was lazy), or null when it has none. */
export function nodeOf(cell: Cell): NodePay | null {
  if (cell.pay instanceof SlotPay) cell.pay = cell.pay.place(cell.v);
  return cell.pay instanceof NodePay ? cell.pay : null;
}

/** A pruned value held by a name: dropped (refunded) when the name dies without grafting it. */
export class DetachedPay implements Payment {
  constructor(
    private readonly world: World,
    private readonly d: Detached,
  ) {}

  release(): void {
    const mem = this.world.mem;
    if (mem.isLive(this.d)) mem.release(this.d);
  }

  resize(): Payment {
    return this;
  }

  heldBy(v: RefValue): boolean {
    return v.tag === 'dag' && (v as DagValue).detached === this.d;
  }
}

/** A membrane made by `membrane<…> X`: it ends (model: retireMembrane) when the name bound to it dies. */
export class MembranePay implements Payment {
  constructor(
    private readonly world: World,
    readonly membrane: Membrane,
  ) {}

  release(): void {
    this.world.mem.retireMembrane(this.membrane);
  }

  resize(): Payment {
    return this;
  }

  heldBy(v: RefValue): boolean {
    if (v.tag === 'dag') return (v as DagValue).view?.chain.includes(this.membrane) ?? false;
    if (v.tag === 'dataframe') return (v as DataframeValue).handle.view.chain.includes(this.membrane);
    return false;
  }
}

function startsWith(p: readonly string[], prefix: readonly string[]): boolean {
  if (p.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (p[i] !== prefix[i]) return false;
  return true;
}

/** Pricing a string reads all of it (its UTF-8 length): a long one is a slow step (limits.ts). */
function slowString(v: Value, span: Span): void {
  if (typeof v === 'string' && v.length >= LONG_STRING) longStringWork(v.length, span);
}
