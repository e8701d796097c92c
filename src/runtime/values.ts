// Runtime values. Scalars are JS primitives (bigint = integer, number = float, string, boolean) so the
// hot loop does no boxing; everything else is an object with a `tag`.
import type { MergeError, MergeErrorName, Span } from '../diagnostics.js';
import { withArticle } from '../words.js';
import type { Frame } from './frame.js';
import type { TypeDesc } from './types.js';

export type Value = bigint | number | string | boolean | RefValue;

export type RefValue =
  | EndlValue
  | StreamValue
  | NamespaceValue
  | CallableValue
  | BuiltinValue
  | BlockerValue
  | ErrorValue
  | ListValue
  | TypeValue
  | RowValue
  | NothingValue
  | ForeignValue;

/** `endl`: printing it ends the line. */
export interface EndlValue {
  readonly tag: 'endl';
}
export const ENDL: EndlValue = Object.freeze({ tag: 'endl' });

/** What a call that returns nothing yields; using it is a type_error. */
export interface NothingValue {
  readonly tag: 'nothing';
}
export const NOTHING: NothingValue = Object.freeze({ tag: 'nothing' });

/** `cout` / `cerr`: authority to write to one of the host's output streams. */
export interface StreamValue {
  readonly tag: 'stream';
  readonly name: string;
  write(text: string): void;
}

/** A read-only namespace (`lang`, `lang.memory`, `ambient`, `ambient.io`, `scope.imported`). */
export interface NamespaceValue {
  readonly tag: 'namespace';
  readonly name: string;
  /** Holds host authority: may only be reached through app arguments, `use` and captures. */
  readonly authority: boolean;
  /** The member of that name, or undefined. */
  get(name: string): Value | undefined;
}

export interface BuiltinValue {
  readonly tag: 'builtin';
  readonly name: string;
  /** Number of arguments, or -1 for any. */
  readonly arity: number;
  /** Paths are handed over unevaluated when the built-in wants a place, not a value (dag_rampoints). */
  readonly wantsPlace?: readonly number[];
  call(args: Value[], span: Span): Value;
}

/** A scalar type used as a value: `lang.types.int2048`. */
export interface TypeValue {
  readonly tag: 'type';
  readonly type: TypeDesc;
}

/** Several returned values (`return a b c;`): one row. */
export interface RowValue {
  readonly tag: 'row';
  readonly values: readonly Value[];
}

/** `scope.exceptions`: indexable from either end. */
export interface ListValue {
  readonly tag: 'list';
  readonly items: readonly Value[];
}

/** A caught Merg-E error, as `scope.exceptions[-1]` shows it. */
export interface ErrorValue {
  readonly tag: 'error';
  readonly name: MergeErrorName;
  readonly error: MergeError;
}

export interface BlockerValue {
  readonly tag: 'blocker';
  /** The name it was declared under (for the MRG3020 warning about work never awaited). */
  readonly name?: string;
  /** Registered work, run (in registration order) by await_all. */
  pending: PendingWork[];
}

export interface PendingWork {
  readonly span: Span;
  run(): void;
}

/**
 * A function, main or merged callable. `invoke` is supplied by the interpreter; the value itself only
 * carries what calls and static-looking checks need.
 */
export interface CallableValue {
  readonly tag: 'callable';
  readonly name: string;
  readonly kind: 'function' | 'main' | 'merge';
  readonly params: readonly { name: string; type: TypeDesc }[];
  /** Calls it from the activation `caller` (whose scope pays for constructing the callee's scope). */
  invoke(args: Value[], span: Span, caller: Frame): Value;
}

/** A model object (a DAG view, a dataframe) handled by the model adapter. */
export interface ForeignValue {
  readonly tag: 'dag' | 'dataframe';
}

export function tagOf(v: Value): string {
  switch (typeof v) {
    case 'bigint':
      return 'int';
    case 'number':
      return 'float';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    default:
      return v.tag;
  }
}

/** A value's kind as a user reads it in an error message. */
export function describe(v: Value): string {
  const t = tagOf(v);
  switch (t) {
    case 'int':
      return 'an integer';
    case 'float':
      return 'a float';
    case 'string':
      return 'a string';
    case 'bool':
      return 'a bool';
    case 'nothing':
      return 'nothing (the call returned no value)';
    case 'error':
      return 'an error';
    case 'endl':
      return 'endl';
    default:
      return withArticle(t);
  }
}
