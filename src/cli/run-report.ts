// What `merg-e run` shows of a finished run as text: the error with its source frame, and the
// `--report` text (the membrane usage table: T, D, O, direct and below use, and the points by entity
// kind, per membrane and for the whole run). Its JSON document is in json-documents.ts. All amounts
// come from the model as integer milli-points and are only formatted here.
import { formatDiagnostic, type Diagnostic } from '../diagnostics.js';
import { formatPoints, type MembraneUsage, type UsageReport } from '../model/index.js';
import type { RunResult } from '../runtime/run.js';
import { points3, table } from './table.js';

/** The text `merg-e run` prints on stderr for a failed run: the diagnostic with its source frame. */
export function formatRunError(r: RunResult, opts: { color?: boolean } = {}): string {
  const e = r.error;
  if (!e) return '';
  const d = e.diagnostic;
  const shown: Diagnostic = e.name && !d.message.startsWith(`${e.name}:`) ? { ...d, message: `${e.name}: ${d.message}` } : d;
  const source = d.span ? r.sources.get(d.span.file) : undefined;
  return formatDiagnostic(shown, { source, color: opts.color ?? false });
}

function kinds(list: MembraneUsage['byKind']): string {
  return list.length === 0 ? '-' : list.map((k) => `${k.kind} ${k.count} (${formatPoints(k.mp)})`).join(', ');
}

function membraneTable(report: UsageReport): string {
  const rows: string[][] = [['membrane', 'kind', 'T', 'D', 'O', 'direct', 'below', 'points by entity kind (direct)']];
  for (const m of report.flat) {
    const name = '  '.repeat(m.depth) + m.name;
    if (m.kind === 'quota') {
      rows.push([name, 'quota', formatPoints(m.total), formatPoints(m.direct), formatPoints(m.overcommit), points3(m.directUsed), points3(m.belowUsed), kinds(m.byKind)]);
    } else {
      rows.push([name, 'copy_on_mutate', '-', '-', '-', '-', '-', 'allocations through it are charged to the quota membrane it sits in']);
    }
  }
  return table(rows, ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'left'], '  ');
}

/** The report of one run (the state at its end, or at its error). */
export function formatRunReport(r: RunResult): string {
  const report = r.memory?.report();
  const lines = [`report (profile ${r.profile}; RAM-points; the state at the ${r.ok ? 'end of the run' : 'error'})`];
  if (!report) return `${lines[0]}\n  the program did not start: nothing was allocated\n`;
  lines.push(report.flat.length === 0 ? '  no membranes' : membraneTable(report));
  const t = report.totals;
  lines.push(`  all allocations: ${formatPoints(t.mp)} RAM-points, ${t.bytes} bytes, ${t.entities} entities (${t.stringBytes} string bytes)`);
  const rows = [['kind', 'count', 'points'], ...t.byKind.map((k) => [k.kind, String(k.count), points3(k.mp)])];
  if (t.byKind.length > 0) lines.push(table(rows, ['left', 'right', 'right'], '    '));
  return lines.join('\n') + '\n';
}
