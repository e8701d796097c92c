// The modules a program merges, as the static checks see them: each read and parsed once, however many
// merges name it, and a module that cannot be read or does not parse is a problem the checks report at
// the merge (MRG2007, MRG2008), so `merg-e check` shows it before anything runs.
import { hasErrors, parseProgram } from '../ast/parse.js';
import type { Program } from '../ast/types.js';
import { countDiagnostics } from '../diagnostic-list.js';
import type { Diagnostic } from '../diagnostics.js';
import type { ModuleSource } from '../runtime/modules.js';

/** A merged module that the checks cannot use, and why. */
export interface ModuleProblem {
  kind: 'unreadable' | 'broken';
  /** The module's file (NAME.mrm beside the program). */
  file: string;
  /** Why it cannot be read (unreadable), or its first error (broken). */
  why: string;
  /** Its errors, when it does not parse. */
  errors: number;
}

/**
 * Module programs by name (`utils` → the parsed utils.mrm). `null` means the caller cannot look modules
 * up (nothing is checked against them); a ModuleProblem is reported at the merge.
 */
export type ModuleLookup = (name: string) => Program | ModuleProblem | null;

export function isModuleProblem(m: Program | ModuleProblem): m is ModuleProblem {
  return (m as Partial<Program>).kind !== 'Program';
}

const MODULE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function describe(d: Diagnostic): string {
  const at = d.span ? `${d.span.line}:${d.span.column} ` : '';
  return `${at}${d.code} ${d.message}`;
}

/** A lookup over `source` that reads each module once; `onRead` sees every text read (for code frames). */
export function moduleLookup(source: ModuleSource, onRead?: (file: string, text: string) => void): ModuleLookup {
  const loaded = new Map<string, Program | ModuleProblem>();
  return (name) => {
    let m = loaded.get(name);
    if (m === undefined) {
      m = load(source, name, onRead);
      loaded.set(name, m);
    }
    return m;
  };
}

function load(source: ModuleSource, name: string, onRead?: (file: string, text: string) => void): Program | ModuleProblem {
  if (!MODULE_NAME.test(name)) return { kind: 'unreadable', file: `${name}.mrm`, why: 'it is not a module name: modules are files NAME.mrm in the program\'s folder', errors: 0 };
  const got = source.read(name);
  if (got === null) return { kind: 'unreadable', file: `${name}.mrm`, why: 'no such file', errors: 0 };
  if ('failure' in got) return { kind: 'unreadable', file: got.file, why: got.failure, errors: 0 };
  onRead?.(got.file, got.source);
  const parsed = parseProgram(got.source, got.file);
  if (!hasErrors(parsed.diagnostics)) return parsed.program;
  const first = parsed.diagnostics.find((d) => d.severity === 'error')!;
  return { kind: 'broken', file: got.file, why: describe(first), errors: countDiagnostics(parsed.diagnostics).errors };
}
