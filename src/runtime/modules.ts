// Module files (.mrm): `merge utils.is_prime as …` loads `utils.mrm` from the program's folder. A
// module holds callables (templates that each merge compiles with its own capture and constant
// blocks) and inert constants; it runs nothing by itself and reaches nothing of the app.
import { join } from 'node:path';

import type { FunctionDecl, Program } from '../ast/types.js';
import { parseProgram, hasErrors } from '../ast/parse.js';
import { diagnostic, MergeError, type Span } from '../diagnostics.js';
import { readFailure } from '../read-file.js';
import { readSourceText } from '../source-file.js';
import { FnTable } from '../check/scopes.js';
import type { Frame } from './frame.js';

export interface LoadedModule {
  readonly file: string;
  readonly table: FnTable;
  readonly functions: ReadonlyMap<string, FunctionDecl>;
  /** The module's activation (its constants), evaluated on first use. */
  frame(): Frame;
}

/** Where module sources come from: files beside the program, or sources handed in (tests, tools). */
export interface ModuleSource {
  /** The module's text; null when there is no such module; `failure` says why an existing one cannot be read. */
  read(name: string): { file: string; source: string } | { file: string; failure: string } | null;
}

export function folderModules(dir: string): ModuleSource {
  return {
    read(name) {
      const file = join(dir, `${name}.mrm`);
      try {
        return { file, source: readSourceText(file) };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
        return { file, failure: readFailure(e) };
      }
    },
  };
}

export function memoryModules(sources: ReadonlyMap<string, string>, dir = ''): ModuleSource {
  return {
    read(name) {
      const source = sources.get(name);
      return source === undefined ? null : { file: dir ? join(dir, `${name}.mrm`) : `${name}.mrm`, source };
    },
  };
}

const MODULE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Builds a module's table and frame from its parsed program (supplied by the run, which owns compiling). */
export type ModuleBuilder = (program: Program) => { table: FnTable; frame: () => Frame } | MergeError;

export class ModuleLoader {
  private readonly cache = new Map<string, LoadedModule | MergeError>();
  /** Every module source read, by file, for code frames in diagnostics. */
  readonly sources = new Map<string, string>();

  constructor(
    private readonly source: ModuleSource,
    private readonly build: ModuleBuilder,
  ) {}

  load(name: string, span: Span): LoadedModule | MergeError {
    let m = this.cache.get(name);
    if (m === undefined) {
      m = this.loadUncached(name, span);
      this.cache.set(name, m);
    }
    return m;
  }

  private loadUncached(name: string, span: Span): LoadedModule | MergeError {
    if (!MODULE_NAME.test(name)) {
      return new MergeError(diagnostic('MRG3008', `'${name}' is not a module name: modules are files NAME.mrm in the program's folder`, span));
    }
    const got = this.source.read(name);
    if (!got) return new MergeError(diagnostic('MRG3008', `cannot read module '${name}' (${name}.mrm beside the program)`, span));
    if ('failure' in got) return new MergeError(diagnostic('MRG3008', `cannot read module '${name}' (${name}.mrm beside the program): ${got.failure}`, span));
    this.sources.set(got.file, got.source);
    const { program, diagnostics } = parseProgram(got.source, got.file);
    if (hasErrors(diagnostics)) {
      const first = diagnostics.find((d) => d.severity === 'error');
      if (first) return new MergeError(first);
    }
    const functions = new Map<string, FunctionDecl>();
    for (const s of program.body) if (s.kind === 'Function' && !functions.has(s.name)) functions.set(s.name, s);
    const built = this.build(program);
    if (built instanceof MergeError) return built;
    return { file: got.file, table: built.table, functions, frame: built.frame };
  }
}
