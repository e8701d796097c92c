// The messages between the main thread and vectorize's worker threads (structured clone: bigint,
// Map and plain objects cross as they are; a MergeError crosses as its diagnostic and details).
import { MergeError, type Diagnostic, type Span } from '../../diagnostics.js';
import type { PricingSpec, ScalarValue } from '../../model/index.js';
import type { Limits } from '../limits.js';
import type { ShippedClosure } from './closure.js';
import type { RowOutcome } from './sandbox.js';

export interface WireError {
  readonly diagnostic: Diagnostic | null;
  readonly details: [string, unknown][];
  /** For a failure that is not a MergeError (an internal error in the worker). */
  readonly message: string;
}

export type WireOutcome = { readonly ok: true; readonly values: ScalarValue[]; readonly ops: number } | { readonly ok: false; readonly error: WireError; readonly ops: number; readonly fatal: boolean };

/** Everything a worker needs to build the sandbox of one vectorize. */
export interface JobSpec {
  readonly closure: ShippedClosure;
  readonly pricing: PricingSpec;
  readonly limits: Limits;
  readonly span: Span;
  readonly fnName: string;
}

export type ToWorker = { readonly t: 'job'; readonly job: number; readonly spec: JobSpec } | { readonly t: 'task'; readonly job: number; readonly start: number; readonly rows: readonly (readonly ScalarValue[])[] };

export type FromWorker =
  | { readonly t: 'ready' }
  | { readonly t: 'done'; readonly job: number; readonly start: number; readonly outcomes: WireOutcome[] }
  | { readonly t: 'fatal'; readonly job: number; readonly start: number; readonly error: WireError };

export function toWire(e: unknown): WireError {
  if (e instanceof MergeError) return { diagnostic: e.diagnostic, details: [...e.details], message: e.message };
  // An Error reads as `TypeError: message` (its name alone when the message is empty).
  return { diagnostic: null, details: [], message: String(e) };
}

/** The MergeError a wire error stands for; a non-MergeError comes back as a plain Error (an internal failure). */
export function fromWire(w: WireError): MergeError | Error {
  return w.diagnostic ? new MergeError(w.diagnostic, new Map(w.details)) : new Error(`in a vectorize worker thread: ${w.message}`);
}

export function outcomeToWire(o: RowOutcome): WireOutcome {
  return o.ok ? { ok: true, values: o.values, ops: o.ops } : { ok: false, error: toWire(o.error), ops: o.ops, fatal: o.fatal === true };
}

export function outcomeFromWire(o: WireOutcome): RowOutcome {
  if (o.ok) return o;
  const e = fromWire(o.error);
  if (o.fatal || !(e instanceof MergeError)) return { ok: false, fatal: true, error: e, ops: o.ops };
  return { ok: false, error: e, ops: o.ops };
}
