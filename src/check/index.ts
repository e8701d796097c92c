// The static checks of one file, as `merg-e check` runs them: syntax first, then (when the syntax is
// sound) names, inert assignment, visible moves, argument counts and authority. A module file (.mrm)
// is checked for its shape only: its callables get their names from the merges that pull them in.
import { dirname, resolve } from 'node:path';

import { hasErrors, parseProgram } from '../ast/parse.js';
import type { Program } from '../ast/types.js';
import { diagnostic, type Diagnostic } from '../diagnostics.js';
import { folderModules } from '../runtime/modules.js';
import { checkProgram } from './check.js';

export { checkProgram, type CheckOptions, type ModuleLookup } from './check.js';

/** Top-level statements a module may hold: functions and inert constants. */
export function checkModule(program: Program): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const s of program.body) {
    if (s.kind === 'Doc' || s.kind === 'ResolveOrder' || s.kind === 'Function') continue;
    if (s.kind === 'Decl' && !s.modifiers.includes('mutable') && s.target.parts.length === 1) continue;
    out.push(diagnostic('MRG1014', 'a module holds functions and inert declarations only', s.span, 'Move the statement into a function of the module, or declare the constant inert.'));
  }
  return out;
}

function bySpan(a: Diagnostic, b: Diagnostic): number {
  return (a.span?.line ?? 0) - (b.span?.line ?? 0) || (a.span?.column ?? 0) - (b.span?.column ?? 0);
}

/** Parse and static-check diagnostics of one file; modules are looked up in `dir` (default: beside it). */
export function checkSource(source: string, file: string, dir = dirname(resolve(file))): Diagnostic[] {
  const { program, diagnostics } = parseProgram(source, file);
  if (hasErrors(diagnostics)) return diagnostics;
  if (file.endsWith('.mrm')) return [...diagnostics, ...checkModule(program)].sort(bySpan);
  const modules = folderModules(dir);
  // Each module is read and parsed once, however many merges name it.
  const loaded = new Map<string, Program | null>();
  const lookup = (name: string): Program | null => {
    let program = loaded.get(name);
    if (program === undefined) {
      program = null;
      const got = /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? modules.read(name) : null;
      if (got) {
        const parsed = parseProgram(got.source, got.file);
        if (!hasErrors(parsed.diagnostics)) program = parsed.program;
      }
      loaded.set(name, program);
    }
    return program;
  };
  return [...diagnostics, ...checkProgram(program, { modules: lookup })].sort(bySpan);
}
