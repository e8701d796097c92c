// merg-e check FILE...: parse each file and print every diagnostic (text with a source frame, or --json).
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { hasErrors } from '../ast/parse.js';
import { checkSource } from '../check/index.js';
import { diagnostic, diagnosticJson, fail, formatDiagnostic, type Diagnostic } from '../diagnostics.js';
import { readSourceText, unreadable } from '../source-file.js';
import { EXIT_ERROR, EXIT_OK, EXIT_USAGE } from './guard.js';
import type { Io } from './io.js';

export const CHECK_HELP = `usage: merg-e check [--json] FILE...

Parses each Merg-E file (.merge script, .mrg app, .mrm module) and reports every
lexical and syntax problem (MRG1xxx) and, when the syntax is sound, every static
check (MRG2xxx: undefined names, assignment to inert names, use after a move,
argument counts, authority) with its code, place and a source frame. Warnings
(such as a statement missing its ';' at the end of a line) do not fail the check.

options:
  --json      print {"files":[{"file","diagnostics":[{"code","severity","message",
              "line","column","endLine","endColumn"}]}]} instead of text
  -h, --help  show this help

exit status: 0 no errors, 1 errors in a file, 2 bad usage or a file that cannot be read

examples:
  merg-e check examples/seed-part17.merge
  merg-e check examples/primes.mrg examples/utils.mrm
  merg-e check --json examples/*.merge
`;

interface FileReport {
  file: string;
  source: string | undefined;
  diagnostics: Diagnostic[];
}

function checkFile(file: string, cwd: string): FileReport {
  let source: string;
  try {
    source = readSourceText(resolve(cwd, file));
  } catch (e) {
    return { file, source: undefined, diagnostics: [unreadable(file, e)] };
  }
  // Syntax, then the static checks (src/check) when the syntax is sound.
  return { file, source, diagnostics: checkSource(source, file, dirname(resolve(cwd, file))) };
}

export async function check(argv: string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (e) {
    fail('MRG4002', `merg-e check: ${(e as Error).message}`);
  }
  if (parsed.values.help) {
    io.out(CHECK_HELP);
    return EXIT_OK;
  }
  if (parsed.positionals.length === 0) fail('MRG4002', 'merg-e check: no file given; name one or more .merge, .mrg or .mrm files');

  const reports = parsed.positionals.map((f) => checkFile(f, io.cwd));
  const unreadable = reports.some((r) => r.source === undefined);
  const failed = reports.some((r) => hasErrors(r.diagnostics));

  if (parsed.values.json) {
    const files = reports.map((r) => ({ file: r.file, diagnostics: r.diagnostics.map(diagnosticJson) }));
    io.out(JSON.stringify({ files }) + '\n');
  } else {
    let errors = 0;
    let warnings = 0;
    for (const r of reports) {
      for (const d of r.diagnostics) {
        if (d.severity === 'error') errors++;
        else warnings++;
        const text = formatDiagnostic(d, { source: r.source, color: io.colorOut });
        io.out((d.span === undefined ? `${r.file}: ${text}` : text) + '\n\n');
      }
    }
    const files = reports.length === 1 ? '1 file' : `${reports.length} files`;
    io.out(`checked ${files}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}\n`);
  }
  return unreadable ? EXIT_USAGE : failed ? EXIT_ERROR : EXIT_OK;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
