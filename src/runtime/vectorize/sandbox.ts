// Where a vectorized function runs: a runtime of its own (its own world, meter and scopes) built from
// the shipped closure. The in-thread modes and every worker thread build the same sandbox from the
// same closure, so a row gives the same result and the same operation count wherever it runs.
import type { FunctionDecl } from '../../ast/types.js';
import { diagnostic, MergeError, type Span } from '../../diagnostics.js';
import { FnTable } from '../../check/scopes.js';
import type { Pricing, ScalarValue } from '../../model/index.js';
import { ambientNamespace, langNamespace, stream } from '../builtins.js';
import { callValue, Compiler, type Runtime } from '../compile.js';
import { typeError } from '../errors.js';
import { Cell, Frame } from '../frame.js';
import { Meter, type Limits } from '../limits.js';
import type { ModuleLoader } from '../modules.js';
import { World } from '../space.js';
import { compileStmts } from '../statements.js';
import { typeByName } from '../types.js';
import { describe, ENDL, type Value } from '../values.js';
import type { ShippedClosure, ShippedEnvEntry } from './closure.js';

/**
 * One row's outcome: its output values, the language error f raised, or (`fatal`) a limit or internal
 * failure that stops the whole run once the rows before it are in; `ops` counted either way.
 */
export type RowOutcome =
  | { readonly ok: true; readonly values: ScalarValue[]; readonly ops: number; readonly fatal?: undefined }
  | { readonly ok: false; readonly error: MergeError; readonly ops: number; readonly fatal?: undefined }
  | { readonly ok: false; readonly fatal: true; readonly error: unknown; readonly ops: number };

/** A failure of the worker machinery itself (a thread that never started): it stops the whole run. */
export class FatalRowError extends Error {
  constructor(readonly error: unknown) {
    super(error instanceof Error ? error.message : String(error));
  }
}

/** Modules are not reachable from a vectorized function (a merge inside it is refused at run time). */
function noModules(): ModuleLoader {
  const loader = {
    sources: new Map<string, string>(),
    load: (name: string, span: Span) => new MergeError(diagnostic('MRG3008', `a vectorized function cannot merge module '${name}': merge it outside and call the merged function`, span)),
  };
  return loader as unknown as ModuleLoader;
}

export class Sandbox {
  readonly meter: Meter;
  private readonly rt: Runtime;
  private readonly fn: Value;
  private readonly frame: Frame;
  private readonly width: number;

  constructor(
    closure: ShippedClosure,
    pricing: Pricing,
    limits: Limits,
    private readonly span: Span,
    private readonly fnName: string,
  ) {
    this.meter = new Meter(limits);
    const world = new World(pricing);
    const silent = stream('cout', () => {});
    this.rt = { meter: this.meter, world, cout: silent, cerr: silent, lang: langNamespace(world), ambient: ambientNamespace(silent, silent), modules: noModules() };
    const built = new Map<number, { fn: Value; frame: Frame }>();
    const build = (id: number): { fn: Value; frame: Frame } => {
      const hit = built.get(id);
      if (hit) return hit;
      const sf = closure.fns[id];
      if (!sf) throw new Error(`vectorize closure has no callable #${id}`);
      const table = new FnTable('program', null);
      const c = new Compiler(this.rt, table);
      const preset: { slot: number; cell: Cell | undefined }[] = [];
      for (const e of sf.env) preset.push(this.bind(table, e, build, span));
      // Captures were folded into the environment, so the callable reads them as constants.
      const decl: FunctionDecl = { ...sf.decl, captures: [], membrane: sf.membrane };
      const exec = compileStmts(c, [decl]);
      const space = world.scope(world.mem.root, `#vectorize#${id}`, sf.decl.name, span);
      const frame = new Frame(table.size, null, space);
      for (const p of preset) frame.cells[p.slot] = p.cell;
      exec(frame);
      const sym = table.local(sf.decl.name);
      const result = { fn: sym ? (frame.cells[sym.slot]?.v as Value) : (undefined as unknown as Value), frame };
      built.set(id, result);
      return result;
    };
    const root = build(closure.root);
    this.fn = root.fn;
    this.frame = root.frame;
    this.width = closure.fns[closure.root]?.decl.params.length ?? 0;
  }

  private bind(table: FnTable, e: ShippedEnvEntry, build: (id: number) => { fn: Value }, span: Span): { slot: number; cell: Cell | undefined } {
    const v = e.value;
    const declare = (mutable: boolean, authority: boolean) =>
      table.declare({ name: e.name, kind: mutable || authority ? 'var' : 'constant', mutable, shared: false, authority, type: e.type, arity: null, span }).sym.slot;
    switch (v.k) {
      case 'unreadable':
        return { slot: declare(v.mutable, v.authority), cell: new Cell(false, null, v.mutable, false, e.name, v.authority) };
      case 'unset':
        return { slot: declare(false, false), cell: undefined };
      case 'moved': {
        const cell = new Cell(false, null, false, false, e.name);
        cell.moved = true;
        return { slot: declare(false, false), cell };
      }
      default:
        break;
    }
    let value: Value;
    switch (v.k) {
      case 'int':
      case 'float':
      case 'string':
      case 'bool':
        value = v.v;
        break;
      case 'endl':
        value = ENDL;
        break;
      case 'lang':
        value = this.rt.lang;
        break;
      case 'type': {
        const t = typeByName(v.name);
        if (!t) throw new Error(`vectorize closure names an unknown type '${v.name}'`);
        value = { tag: 'type', type: t };
        break;
      }
      case 'fn':
        value = build(v.id).fn;
        break;
    }
    return { slot: declare(false, false), cell: new Cell(value, null, false, false, e.name) };
  }

  /**
   * Applies f to one row, which gets the whole step budget (the caller charges rows in input order).
   * Language errors are the row's outcome; limits and bugs are `fatal` outcomes.
   */
  call(row: readonly ScalarValue[], index: number): RowOutcome {
    const m = this.meter;
    m.restart();
    try {
      if (row.length !== this.width) typeError(`${this.fnName} takes ${this.width} argument${this.width === 1 ? '' : 's'} but row ${index + 1} of the input has ${row.length} column${row.length === 1 ? '' : 's'}`, this.span);
      const out = callValue(this.fn, row as Value[], this.span, this.frame);
      return { ok: true, values: this.rowOf(out, index), ops: m.ops };
    } catch (e) {
      if (e instanceof MergeError && e.errorName !== undefined) return { ok: false, error: e, ops: m.ops };
      if (e instanceof RangeError && /call stack/i.test(e.message)) {
        try {
          this.rt.world.releaseDying();
        } catch (again) {
          return { ok: false, fatal: true, error: again, ops: m.ops };
        }
        const deep = m.stackExhausted(`${this.fnName} (row ${index + 1})`);
        return { ok: false, fatal: true, error: deep, ops: m.ops };
      }
      return { ok: false, fatal: true, error: e, ops: m.ops };
    }
  }

  /** f's returned row: `return a b c;` or a single value; nothing and non-scalars are type errors. */
  private rowOf(v: Value, index: number): ScalarValue[] {
    const values = typeof v === 'object' && v.tag === 'row' ? v.values : [v];
    for (const x of values) {
      if (typeof x === 'object') {
        const what = x.tag === 'nothing' ? 'nothing (it has no `return a b …;`)' : describe(x);
        typeError(`${this.fnName} returned ${what} for row ${index + 1}; a vectorized function returns the output row's scalars`, this.span);
      }
    }
    return values as ScalarValue[];
  }
}
