// merg-e check FILE...: parse each file and print every diagnostic (text with a source frame, or --json).
import { hasErrors } from '../ast/parse.js';
import { checkSource } from '../check/index.js';
import { countDiagnostics } from '../diagnostic-list.js';
import { fail, formatDiagnostic, MergeError, type Diagnostic } from '../diagnostics.js';
import { parseOptions } from './args.js';
import { EXIT_ERROR, EXIT_OK, EXIT_STATUS_HELP, EXIT_USAGE } from './guard.js';
import { checkOneStdin, readProgram } from './input.js';
import { checkFileJson } from './json-documents.js';
import type { Io } from './io.js';
import { plural } from '../words.js';

export const CHECK_HELP = `usage: merg-e check [--json] FILE...

Parses each Merg-E file (.merge script, .mrg app, .mrm module) and reports every
lexical and syntax problem (MRG1xxx) and, when the syntax is sound, every static
check (MRG2xxx: undefined names, assignment to inert names, use after a move,
argument counts, authority) with its code, place and a source frame. Warnings
(such as a statement missing its ';' at the end of a line) do not fail the check.
The diagnostics are the command's output: they go to stdout. FILE '-' reads
standard input.

options:
  --json      print {"files":[{"file","diagnostics":[{"code","severity","message",
              "file","line","column","endLine","endColumn","hint"}]}]} instead
              of text
  -h, --help  show this help

${EXIT_STATUS_HELP}
examples:
  merg-e check examples/seed-part17.merge
  merg-e check examples/primes.mrg examples/utils.mrm
  merg-e check --json examples/*.merge
`;

interface FileReport {
  file: string;
  source: string | undefined;
  diagnostics: Diagnostic[];
  /** Module texts read while checking it, for the code frames of diagnostics inside them. */
  modules: Map<string, string>;
}

async function checkFile(arg: string, io: Io): Promise<FileReport> {
  let program;
  try {
    program = await readProgram(arg, io);
  } catch (e) {
    if (!(e instanceof MergeError)) throw e;
    return { file: arg, source: undefined, diagnostics: [e.diagnostic], modules: new Map() };
  }
  // Syntax, then the static checks (src/check) when the syntax is sound.
  const modules = new Map<string, string>();
  const diagnostics = checkSource(program.source, program.file, program.dir, (f, text) => modules.set(f, text));
  return { file: program.file, source: program.source, diagnostics, modules };
}

export async function check(argv: string[], io: Io): Promise<number> {
  const parsed = parseOptions('merg-e check', argv, { json: { type: 'boolean' } });
  if (parsed.values.help) {
    io.out(CHECK_HELP);
    return EXIT_OK;
  }
  if (parsed.positionals.length === 0) fail('MRG4002', 'merg-e check: no file given; name one or more .merge, .mrg or .mrm files');
  checkOneStdin('merg-e check', parsed.positionals);

  const reports: FileReport[] = [];
  for (const f of parsed.positionals) reports.push(await checkFile(f, io));
  const unreadable = reports.some((r) => r.source === undefined);
  const failed = reports.some((r) => hasErrors(r.diagnostics));

  if (parsed.values.json) {
    const files = reports.map((r) => checkFileJson(r.file, r.diagnostics));
    io.out(JSON.stringify({ files }) + '\n');
  } else {
    let errors = 0;
    let warnings = 0;
    for (const r of reports) {
      const counts = countDiagnostics(r.diagnostics);
      errors += counts.errors;
      warnings += counts.warnings;
      for (const d of r.diagnostics) {
        const source = d.span === undefined || d.span.file === r.file ? r.source : r.modules.get(d.span.file);
        const text = formatDiagnostic(d, { source, color: io.colorOut });
        io.out((d.span === undefined && d.file === undefined ? `${r.file}: ${text}` : text) + '\n\n');
      }
    }
    const files = reports.length === 1 ? '1 file' : `${reports.length} files`;
    io.out(`checked ${files}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}\n`);
  }
  return unreadable ? EXIT_USAGE : failed ? EXIT_ERROR : EXIT_OK;
}
