// The static checks of one file, as `merg-e check` runs them: syntax first, then (when the syntax is
// sound) names, inert assignment, visible moves, argument counts and authority. A module file (.mrm)
// is checked for its shape only: its callables get their names from the merges that pull them in.
import { dirname, resolve } from 'node:path';

import { hasErrors, parseProgram } from '../ast/parse.js';
import type { Program, Stmt } from '../ast/types.js';
import { moduleLookup } from './modules.js';
import { DiagnosticList } from '../diagnostic-list.js';
import { diagnostic, type Diagnostic } from '../diagnostics.js';
import { folderModules } from '../runtime/modules.js';
import { Checker } from './check.js';

export { checkProgram, type CheckOptions } from './check.js';
export { moduleLookup, type ModuleLookup, type ModuleProblem } from './modules.js';

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

/** `merge NAME.callable` in the text, and its source path (words and dots, spaces between allowed). */
const MERGE_SOURCE = /merge\s+([A-Za-z_][A-Za-z0-9_]*(?:\s*\.\s*[A-Za-z_][A-Za-z0-9_]*)+)/y;

/**
 * The module names that follow `merge` in a source: a scan of the text, not a parse (a comment between
 * the words hides one; one in a string or a comment is read for nothing). Each is the merge's source
 * path without its last word, as the checks look it up.
 */
export function mergedModuleNames(source: string): Set<string> {
  const names = new Set<string>();
  for (let i = source.indexOf('merge'); i !== -1; i = source.indexOf('merge', i + 5)) {
    MERGE_SOURCE.lastIndex = i;
    const m = MERGE_SOURCE.exec(source);
    if (m === null) continue;
    const parts = m[1]!.split('.').map((w) => w.trim());
    names.add(parts.slice(0, -1).join('.'));
  }
  return names;
}

/**
 * Parse and static-check diagnostics of one file; the modules it merges are read from `dir` (default:
 * beside it), each once, and every module text read is handed to `onRead` (for code frames).
 */
export function checkSource(source: string, file: string, dir = dirname(resolve(file)), onRead?: (file: string, text: string) => void): Diagnostic[] {
  if (file.endsWith('.mrm')) {
    const { program, diagnostics } = parseProgram(source, file);
    if (hasErrors(diagnostics)) return diagnostics;
    return new DiagnosticList().pushAll(diagnostics).pushAll(checkModule(program)).result();
  }
  // Each top-level statement is checked as soon as it is parsed and then dropped, so a big file's AST
  // never all lives at once (it was most of the peak memory of checking one, and of its collector's
  // time). The checks' diagnostics count only when the file parses without errors, as before; a check
  // that failed on a statement of a file with syntax errors (never checked before) is not shown.
  const modules = moduleLookup(folderModules(dir), onRead);
  // The modules the text merges are read and parsed first, while the parser is free: one met only
  // during the parse (a name this scan misses) is parsed then by a second parser, built for it.
  for (const name of mergedModuleNames(source)) modules(name);
  const checker = new Checker({ modules });
  let failure: { error: unknown } | null = null;
  const onTopLevel = (s: Stmt): boolean => {
    if (failure !== null) return false;
    try {
      return checker.topLevel(s, file);
    } catch (error) {
      failure = { error };
      return false;
    }
  };
  const { program, diagnostics } = parseProgram(source, file, { onTopLevel });
  if (hasErrors(diagnostics)) return diagnostics;
  if (failure !== null) throw (failure as { error: unknown }).error;
  checker.end(program);
  return new DiagnosticList().pushAll(diagnostics).pushAll(checker.out.result()).result();
}
