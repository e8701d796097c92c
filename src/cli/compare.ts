// merg-e compare FILE: the program's RAM-points and bytes under several runtime profiles, and their spread.
import { basename } from 'node:path';

import { hasErrors } from '../ast/parse.js';
import { checkSource } from '../check/index.js';
import { fail, formatDiagnostic } from '../diagnostics.js';
import { resolveBasket } from '../runtime/basket.js';
import { compareProfiles, type ProfileRun } from '../runtime/compare.js';
import { comparePortability, type Portability } from '../runtime/portability.js';
import { breakdownText, outcomesText } from './portability-text.js';
import { parseOptions } from './args.js';
import { errorDocument, EXIT_ERROR, EXIT_OK, EXIT_STATUS_HELP } from './guard.js';
import { HTML_HELP, HTML_OPTION, htmlTarget, jsonThenReport, writeCompareHtml } from './html-option.js';
import { readProgram } from './input.js';
import type { Io } from './io.js';
import { profileCatalog, profileFile } from '../runtime/profiles.js';
import { compareJson, compareSpreads } from './json-documents.js';
import { points3, spread, table } from './table.js';

export const COMPARE_HELP = `usage: merg-e compare [options] FILE

Runs a Merg-E program once under each runtime profile and prints, per profile,
the RAM-points and bytes of everything it allocated (live at the end of the run,
or at its error) and how the run ended; then the spread (max/min) of the points
and of the bytes. RAM-points are normalized per profile over the standard
basket, so a program that resembles the basket costs about the same points
everywhere while its bytes differ as the runtimes do. The program's own output
is not shown. FILE '-' reads the program from standard input.

options:
  --profiles A,B,C      profiles to compare, by name or as profile files
                        (default: every profile, shipped and yours; see
                        merg-e profile list)
  --basket NAME|DIR     the basket points are normalized over (default
                        standard; see merg-e run --help); its warnSpread and
                        "portability" blend are honoured
  --json                print one JSON document: {"profiles":[{"name",
                        "ramPoints","bytes","ok","error"}],"spread":{"ramPoints",
                        "bytes"}}
${HTML_HELP}  -h, --help            show this help

${EXIT_STATUS_HELP}
examples:
  merg-e compare examples/compare-profiles.merge
  merg-e compare --profiles cpython-dev,jvm --json examples/quota-stack.merge
  merg-e compare --html compare.html examples/profile-endings.merge
`;

/** The profiles' files (each is read when its row runs, so an unusable one fails only its row). */
function profileList(v: string | undefined, cwd: string): string[] {
  const catalog = profileCatalog();
  if (v === undefined) return catalog.map((e) => e.file);
  const refs = v.split(',').map((s) => s.trim());
  if (refs.some((n) => n === '')) fail('MRG4002', `merg-e compare: --profiles takes names or profile files separated by commas, got '${v}'`);
  const files = refs.map((r) => profileFile(r, cwd, catalog));
  const names = files.map((f) => basename(f).replace(/\.json$/, ''));
  if (new Set(names).size !== names.length) fail('MRG4002', `merg-e compare: --profiles names a profile twice: '${v}'`);
  return files;
}

function outcome(r: ProfileRun): string {
  const e = r.result.error;
  if (!e) return 'ok';
  if (!r.ran) return `${e.code}: the profile cannot be used (below)`;
  return `${e.name ?? e.code}${e.line !== null ? ` at line ${e.line}` : ''}`;
}

function compareText(file: string, runs: readonly ProfileRun[], p: Portability): string {
  const rows = [['profile', 'RAM-points', 'bytes', 'outcome'], ...runs.map((r) => [r.profile, r.ran ? points3(r.mp) : 'n/a', r.ran ? String(r.bytes) : 'n/a', outcome(r)])];
  const sp = (x: number | null) => (x === null ? 'n/a' : x.toFixed(3));
  const s = compareSpreads(runs);
  rows.push(['spread (max/min)', sp(s.ramPoints), sp(s.bytes), '']);
  const lines = [`${file} under ${runs.length} profile${runs.length === 1 ? '' : 's'}`, table(rows, ['left', 'right', 'right', 'left'], '  '), ...outcomesText(p), ...breakdownText(p)];
  return lines.join('\n') + '\n';
}

export async function compare(argv: string[], io: Io): Promise<number> {
  const parsed = parseOptions('merg-e compare', argv, { profiles: { type: 'string' }, basket: { type: 'string' }, json: { type: 'boolean' }, ...HTML_OPTION });
  const v = parsed.values;
  if (v.help) {
    io.out(COMPARE_HELP);
    return EXIT_OK;
  }
  if (parsed.positionals.length !== 1) fail('MRG4002', 'merg-e compare: name exactly one program file (.merge or .mrg)');
  const profiles = profileList(v.profiles, io.cwd);
  const basket = resolveBasket(v.basket, io.cwd);
  const html = await htmlTarget('merg-e compare', v.html, io);
  const program = await readProgram(parsed.positionals[0]!, io);
  // A program that does not parse or check fails the same way under every profile: say it once.
  const found = checkSource(program.source, program.file, program.dir);
  if (hasErrors(found)) {
    for (const d of found) io.err(formatDiagnostic(d, { source: d.span?.file === program.file ? program.source : undefined, color: io.colorErr }) + '\n');
    if (v.json) io.out(errorDocument(found.find((d) => d.severity === 'error')!));
    return EXIT_ERROR;
  }
  const runs = compareProfiles({ file: program.file, source: program.source }, profiles, { moduleDir: program.dir, cwd: io.cwd, basket });
  const status = runs.every((r) => r.result.ok) ? EXIT_OK : EXIT_ERROR;
  const json = v.json === true;
  const portability = comparePortability(program.file, runs, basket.basket.warnSpread);
  io.out(json ? JSON.stringify(compareJson(runs, portability)) + '\n' : compareText(program.file, runs, portability));
  if (!json) {
    for (const r of runs) if (!r.ran && r.result.error) io.err(formatDiagnostic(r.result.error.diagnostic, { color: io.colorErr }) + '\n');
    if (portability.warning) io.err(formatDiagnostic(portability.warning, { color: io.colorErr }) + '\n');
  }
  if (html === null) return status;
  const report = () => writeCompareHtml(html, v.html as string, { file: program.file, runs, portability }, io, json);
  if (json) return jsonThenReport(status, report, io);
  await report();
  return status;
}
