// Raising Merg-E errors from the interpreter. Every user-facing failure is a MergeError carrying a
// code from the one table; language-level ones (those with an error name) can be caught by `!!`.
import { diagnostic, MergeError, type Code, type Span } from '../diagnostics.js';

export function raise(code: Code, message: string, span?: Span, hint?: string): never {
  throw new MergeError(diagnostic(code, message, span, hint));
}

/** The same error located at `span` when it has no location yet (errors raised by the model). */
export function located(e: MergeError, span: Span | undefined): MergeError {
  if (e.diagnostic.span || !span) return e;
  return new MergeError({ ...e.diagnostic, span }, e.details);
}

export function nameError(message: string, span?: Span): never {
  return raise('MRG3001', message, span);
}
export function typeError(message: string, span?: Span): never {
  return raise('MRG3002', message, span);
}
export function rangeError(message: string, span?: Span): never {
  return raise('MRG3003', message, span);
}
export function ownershipError(message: string, span?: Span): never {
  return raise('MRG3004', message, span);
}
export function freezeError(message: string, span?: Span): never {
  return raise('MRG3005', message, span);
}
export function capabilityError(message: string, span?: Span): never {
  return raise('MRG3007', message, span);
}
