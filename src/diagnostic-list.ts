// The diagnostics of one file, capped: the first MAX_DIAGNOSTICS by place are kept, and one last
// MRG1023 (only warnings left out) or MRG1024 (errors among them) says how many more there were. 100 KB
// of random bytes once gave 19,288 diagnostics, and a 16 MiB file of one repeated mistake millions, each
// held in memory until the end: the list holds at most about twice the cap at any time.
import { diagnostic, type Diagnostic } from './diagnostics.js';
import { plural } from './words.js';

/** How many diagnostics of one file are kept and shown. */
export const MAX_DIAGNOSTICS = 100;

/** Where diagnostics are collected: an array, or a DiagnosticList. */
export interface DiagnosticSink {
  push(d: Diagnostic): unknown;
}

/** The last diagnostic of a capped list: how many were left out, by severity. */
export interface OmittedDiagnostics extends Diagnostic {
  omitted: { errors: number; warnings: number };
}

export function isOmittedNote(d: Diagnostic): d is OmittedDiagnostics {
  return (d as Partial<OmittedDiagnostics>).omitted !== undefined;
}

/** By place (line, then column); one without a place comes first. Array.sort is stable, so ties keep their order. */
export function bySpan(a: Diagnostic, b: Diagnostic): number {
  return (a.span?.line ?? 0) - (b.span?.line ?? 0) || (a.span?.column ?? 0) - (b.span?.column ?? 0);
}

export class DiagnosticList implements DiagnosticSink {
  private items: Diagnostic[] = [];
  private errors = 0;
  private warnings = 0;

  constructor(private readonly limit = MAX_DIAGNOSTICS) {}

  push(d: Diagnostic): void {
    if (isOmittedNote(d)) {
      // The note of a list merged into this one: its counts carry over.
      this.errors += d.omitted.errors;
      this.warnings += d.omitted.warnings;
      return;
    }
    this.items.push(d);
    if (this.items.length >= 2 * this.limit) this.trim();
  }

  pushAll(ds: readonly Diagnostic[]): this {
    for (const d of ds) this.push(d);
    return this;
  }

  /** Keeps the first `limit` by place; what is cut is only counted. */
  private trim(): void {
    this.items.sort(bySpan);
    for (let i = this.limit; i < this.items.length; i++) {
      if (this.items[i]!.severity === 'error') this.errors++;
      else this.warnings++;
    }
    if (this.items.length > this.limit) this.items.length = this.limit;
  }

  /** Sorted by place, at most `limit` of them, then the note saying how many more there were. */
  result(): Diagnostic[] {
    this.trim();
    const out = this.items.slice();
    const more = this.errors + this.warnings;
    if (more === 0) return out;
    const counts = this.errors === 0 ? plural(this.warnings, 'more warning') : this.warnings === 0 ? plural(this.errors, 'more error') : `${plural(this.errors, 'more error')} and ${plural(this.warnings, 'more warning')}`;
    const note: OmittedDiagnostics = {
      ...diagnostic(this.errors > 0 ? 'MRG1024' : 'MRG1023', `${counts} ${more === 1 ? 'is' : 'are'} not shown (only the first ${this.limit} diagnostics of a file are)`),
      omitted: { errors: this.errors, warnings: this.warnings },
    };
    out.push(note);
    return out;
  }
}

/** Errors and warnings in a list, those a capped list left out included. */
export function countDiagnostics(ds: readonly Diagnostic[]): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const d of ds) {
    if (isOmittedNote(d)) {
      errors += d.omitted.errors;
      warnings += d.omitted.warnings;
    } else if (d.severity === 'error') errors++;
    else warnings++;
  }
  return { errors, warnings };
}
