// The HTML report of one run (`merg-e run --html OUT FILE`): how it ended, the membrane tree with a bar
// per quota limit, points by entity kind, use over the run's steps, dataframes, vectorize decisions
// and the program's output. Amounts come from the model as integer milli-points and are only
// formatted here; bar widths are the only drawing done by hand, every chart is a Vega-Lite spec.
import { formatBytes, formatCount, formatScore } from '../coren/format.js';
import { CODES } from '../diagnostics.js';
import { formatPoints, mpToPoints, type MembraneUsage, type UsageReport } from '../model/index.js';
import type { RunResult } from '../runtime/run.js';
import type { VectorizeReport } from '../runtime/vectorize/report.js';
import { renderCharts, type ChartSpec } from './charts.js';
import { codeFrameHtml } from './frame.js';
import { esc, facts, htmlTable, page } from './html.js';

export interface RunReportInput {
  /** The program as the user named it (shown in the title). */
  file: string;
  result: RunResult;
  /** What the vectorize engine reported (one per vectorize that ran). */
  vectorize?: readonly VectorizeReport[];
}

/** Characters of the program's stdout and stderr the page shows (the rest is cut, and says so). */
export const OUTPUT_SHOWN = 20_000;
/** Membranes drawn (a program can hold thousands; the page says how many more there are). */
export const MEMBRANES_SHOWN = 500;
/** Rows of the dataframe, vectorize and diagnostics lists. */
const ITEMS_SHOWN = 200;

const LIMIT_TEXT: Record<string, string> = {
  direct: 'its direct allocation limit D',
  below: 'its limit for membranes below it, T − D',
  total: 'its total T',
  pool: 'its pool for stacked membranes, (T − D) + O',
};

const CSS = `
.legend { display: flex; gap: 18px; flex-wrap: wrap; font-size: 0.9em; color: var(--muted); margin: 6px 0 10px; }
.legend i { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; }
ul.tree, ul.tree ul { list-style: none; margin: 0; padding: 0; }
ul.tree ul { margin-left: 22px; padding-left: 12px; border-left: 2px solid var(--line); }
li.membrane { margin: 10px 0; }
.mbox { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; background: var(--panel); }
li.refused > .mbox { border: 2px solid var(--refused); background: var(--refused-bg); }
.mhead { display: flex; flex-wrap: wrap; gap: 4px 12px; align-items: baseline; }
.mname { font-weight: 700; font-family: var(--mono); }
.badge { background: var(--refused); color: #fff; border-radius: 10px; padding: 0 9px; font-size: 0.82em; font-weight: 600; }
.meter { display: grid; grid-template-columns: 10.5em minmax(160px, 1fr) 15em; gap: 10px; align-items: center; margin: 5px 0; font-size: 0.9em; }
.track { position: relative; display: block; height: 14px; background: var(--track); border-radius: 3px; overflow: hidden; }
.fill { position: absolute; left: 0; top: 0; bottom: 0; display: block; }
.meter.direct .fill { background: var(--direct); }
.meter.below .fill { background: var(--below); }
.meter.total .fill { background: var(--total); }
.meter.pool .fill { background: var(--muted); }
.ask { position: absolute; top: 0; bottom: 0; display: block; background: repeating-linear-gradient(45deg, var(--refused) 0 4px, transparent 4px 8px); outline: 1px solid var(--refused); }
.meter.refused .mlabel, .meter.refused .mval { color: var(--refused); font-weight: 700; }
.meter.zero .track { background: repeating-linear-gradient(90deg, var(--track) 0 6px, transparent 6px 10px); }
.mval { font-variant-numeric: tabular-nums; }
.kinds { font-size: 0.85em; color: var(--muted); margin-top: 4px; }
.vec { border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px; margin: 12px 0; }
.vec.failed { border-color: var(--refused); }
@media (max-width: 640px) { .meter { grid-template-columns: 1fr; gap: 2px; } }
`;

function pts(mp: number): string {
  return formatPoints(mp);
}

/** Percent of `limit` that `x` is (0..100, with four decimals so a bar is exact to well under a pixel). */
function pct(x: number, limit: number): string {
  if (limit <= 0) return '0';
  return String(Math.round(Math.min(Math.max(x / limit, 0), 1) * 1_000_000) / 10_000);
}

interface Refusal {
  id: number | null;
  name: string;
  limit: string;
  requestedMp: number;
}

function refusalOf(r: RunResult): Refusal | null {
  const e = r.error;
  if (!e || e.membrane === null || e.limitKind === null) return null;
  return { id: e.membraneId, name: e.membrane, limit: e.limitKind, requestedMp: Math.round((e.requested ?? 0) * 1000) };
}

/** One limit of a quota membrane as a bar: use against the limit (and, refused, the amount asked). */
function meter(kind: 'direct' | 'below' | 'total' | 'pool', label: string, usedMp: number, limitMp: number, asked: number | null): string {
  const cls = ['meter', kind, limitMp === 0 ? 'zero' : '', asked !== null ? 'refused' : ''].filter(Boolean).join(' ');
  const over = asked !== null ? `<span class="ask" style="left:${pct(usedMp, limitMp)}%;width:${limitMp === 0 ? 100 : pct(asked, limitMp)}%"></span>` : '';
  const value = `${pts(usedMp)} of ${pts(limitMp)}${asked !== null ? ` + ${pts(asked)} asked` : ''}`;
  return (
    `<div class="${cls}" data-limit-kind="${kind}" data-used-mp="${usedMp}" data-limit-mp="${limitMp}">` +
    `<span class="mlabel">${esc(label)}</span>` +
    `<span class="track" role="meter" aria-valuemin="0" aria-valuemax="${mpToPoints(limitMp)}" aria-valuenow="${mpToPoints(usedMp)}" aria-label="${esc(label)}">` +
    `<span class="fill" style="width:${pct(usedMp, limitMp)}%"></span>${over}</span>` +
    `<span class="mval">${value}</span></div>`
  );
}

function kindsLine(m: MembraneUsage): string {
  if (m.byKind.length === 0) return '';
  return `<div class="kinds">direct allocations: ${m.byKind.map((k) => `${esc(k.kind)} ${k.count} (${pts(k.mp)})`).join(', ')}</div>`;
}

function membraneItem(m: MembraneUsage, pools: ReadonlyMap<number, string[]>, refusal: Refusal | null, budget: { left: number }): string {
  budget.left--;
  const refused = refusal !== null && (refusal.id !== null ? refusal.id === m.id : refusal.name === m.name) ? refusal : null;
  const items = drawn(m.children, pools, refusal, budget);
  const children = items.length > 0 ? `<ul>${items.join('\n')}</ul>` : '';
  const attrs = `class="membrane ${m.kind === 'quota' ? 'quota' : 'com'}${refused ? ' refused' : ''}" data-membrane="${esc(m.name)}" data-id="${m.id}"`;
  if (m.kind !== 'quota') {
    return (
      `<li ${attrs}><div class="mbox"><div class="mhead"><span class="mname">${esc(m.name)}</span>` +
      `<span class="muted">copy_on_mutate: a pool of its own; everything added through it pays its extras, charged to the quota membrane around it</span></div></div>${children}</li>`
    );
  }
  const ask = (k: string) => (refused && refused.limit === k ? refused.requestedMp : null);
  const used = m.directUsed + m.belowUsed;
  const poolCap = m.total - m.direct + m.overcommit;
  const members = pools.get(m.pool) ?? [m.name];
  const badge = refused ? `<span class="badge">refused: ${esc(refused.limit)} limit</span>` : '';
  return (
    `<li ${attrs}><div class="mbox"><div class="mhead"><span class="mname">${esc(m.name)}</span>` +
    `<span class="muted">quota &lt;T ${pts(m.total)}, D ${pts(m.direct)}, O ${pts(m.overcommit)}&gt;</span>` +
    `<span class="muted">pool ${m.pool}: ${members.map(esc).join(', ')}</span>${badge}</div>` +
    meter('direct', 'direct / D', m.directUsed, m.direct, ask('direct')) +
    meter('below', 'below / T − D', m.belowUsed, m.total - m.direct, ask('below')) +
    meter('total', 'total / T', used, m.total, ask('total')) +
    meter('pool', 'stacked T / (T−D)+O', m.childTotals, poolCap, ask('pool')) +
    kindsLine(m) +
    `</div>${children}</li>`
  );
}

/** Items of membranes in pre-order until the budget (membranes still to draw) runs out. */
function drawn(ms: readonly MembraneUsage[], pools: ReadonlyMap<number, string[]>, refusal: Refusal | null, budget: { left: number }): string[] {
  const items: string[] = [];
  for (const m of ms) {
    if (budget.left <= 0) break;
    items.push(membraneItem(m, pools, refusal, budget));
  }
  return items;
}

function membranesSection(report: UsageReport | undefined, refusal: Refusal | null): string {
  const head = '<section id="membranes"><h2>Membranes</h2>';
  if (!report) return `${head}<p class="muted">The program did not run: nothing was allocated.</p></section>`;
  if (report.flat.length === 0) return `${head}<p class="muted">The program declared no membranes.</p></section>`;
  const pools = new Map<number, string[]>();
  for (const m of report.flat) if (m.kind === 'quota') pools.set(m.pool, [...(pools.get(m.pool) ?? []), m.name]);
  const found = refusal !== null && report.flat.some((m) => (refusal.id !== null ? m.id === refusal.id : m.name === refusal.name));
  const missing = refusal !== null && !found ? `<p class="bad">The refused membrane '${esc(refusal.name)}' is not in the tree: its declaration was refused.</p>` : '';
  const legend =
    '<div class="legend"><span><i style="background:var(--direct)"></i>direct use against D</span><span><i style="background:var(--below)"></i>use of membranes inside against T − D</span>' +
    '<span><i style="background:var(--total)"></i>all use against T</span><span><i style="background:var(--muted)"></i>T of the quota membranes stacked inside against (T − D) + O (§6)</span>' +
    (refusal ? '<span><i style="background:var(--refused)"></i>the amount a refused charge asked for</span>' : '') +
    '</div>';
  const tree = drawn(report.membranes, pools, refusal, { left: MEMBRANES_SHOWN }).join('\n');
  const more = report.flat.length > MEMBRANES_SHOWN ? `<p class="muted">… and ${report.flat.length - MEMBRANES_SHOWN} more membranes, not drawn (the page shows the first ${MEMBRANES_SHOWN}).</p>` : '';
  return `${head}<p class="muted">Every open membrane, nested under the one it was declared through. Quota membranes stacked directly on each other share a pool.</p>${legend}${missing}<ul class="tree">${tree}</ul>${more}</section>`;
}

function errorSection(r: RunResult): string {
  const e = r.error;
  if (!e) return '';
  const d = e.diagnostic;
  const where = e.file !== null ? ` at <code>${esc(e.file)}${e.line !== null ? `:${e.line}:${e.column ?? 1}` : ''}</code>` : ' before the program ran';
  const rows: string[][] = [];
  if (e.membrane !== null) {
    rows.push(['refused by membrane', `<code>${esc(e.membrane)}</code>`]);
    if (e.limitKind !== null) rows.push(['limit', `<b>${esc(e.limitKind)}</b>${LIMIT_TEXT[e.limitKind] ? `: ${esc(LIMIT_TEXT[e.limitKind] as string)}` : ''}`]);
    if (e.limit !== null) rows.push(['limit value', `${e.limit} points`]);
    if (e.used !== null) rows.push(['used', `${e.used} points`]);
    if (e.requested !== null) rows.push(['requested', `${e.requested} points`]);
  }
  const details = rows.length ? `<table class="kv">${rows.map(([k, v]) => `<tr><th>${esc(k as string)}</th><td>${v}</td></tr>`).join('')}</table>` : '';
  const frame = codeFrameHtml(d.span ? r.sources.get(d.span.file) : undefined, d.span);
  return (
    `<section class="error" id="error"><h2>The run stopped: ${esc(e.name ?? CODES[e.code].title)} <span class="muted">(${esc(e.code)})</span></h2>` +
    `<p><b>${esc(e.message)}</b>${where}</p>${details}${frame}<p class="muted">help: ${esc(d.hint ?? CODES[d.code].hint)}</p></section>`
  );
}

function kindsChart(report: UsageReport): ChartSpec | null {
  const rows = report.totals.byKind.filter((k) => k.mp !== 0);
  if (rows.length === 0) return null;
  // Largest first (sorted here: a sort in the spec would be shared by the bar and text layers).
  const values = [...rows].sort((a, b) => b.mp - a.mp || a.kind.localeCompare(b.kind)).map((k) => ({ kind: k.kind, points: mpToPoints(k.mp), count: k.count, label: `${formatPoints(k.mp)} (${k.count})` }));
  return {
    description: 'Bar chart: RAM-points by entity kind (the table below lists the same figures)',
    width: 560,
    height: { step: 20 },
    data: { values },
    encoding: {
      y: { field: 'kind', type: 'nominal', sort: null, title: null },
      x: { field: 'points', type: 'quantitative', title: 'RAM-points (entities in brackets)' },
    },
    layer: [
      { mark: { type: 'bar', color: '#4c78a8' } },
      { mark: { type: 'text', align: 'left', dx: 4, fontSize: 11 }, encoding: { text: { field: 'label' } } },
    ],
  };
}

function timelineChart(r: RunResult): ChartSpec | null {
  const t = r.timeline;
  if (!t || t.series.length === 0) return null;
  const names = new Map<string, number>();
  for (const s of t.series) names.set(s.name, (names.get(s.name) ?? 0) + 1);
  const label = (s: (typeof t.series)[number]) => (names.get(s.name) === 1 ? s.name : `${s.name} #${s.id}`);
  const values: { membrane: string; step: number; points: number }[] = [];
  for (const s of t.series) {
    for (const p of s.points) values.push({ membrane: label(s), step: p.step, points: p.points });
    // The line goes on at its last use to the end of the run (a closed membrane ends where it closed).
    const last = s.points[s.points.length - 1];
    if (last && !s.closed && last.step < t.steps) values.push({ membrane: label(s), step: t.steps, points: last.points });
  }
  const limits = t.series.map((s) => ({ membrane: label(s), total: s.total }));
  const color = { field: 'membrane', type: 'nominal' as const, title: 'quota membrane', scale: { domain: t.series.map(label) } };
  // A refused charge ends the run at its last step: marked there.
  const stop = r.error?.membrane != null ? [{ step: t.steps, text: `refused by ${r.error.membrane}` }] : [];
  return {
    description: `Line chart: RAM-points in use by step for ${t.series.length === 1 ? 'one quota membrane' : `${t.series.length} quota membranes`}, each with its limit T dashed`,
    width: 640,
    height: 260,
    layer: [
      {
        data: { values },
        mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2 },
        encoding: {
          x: { field: 'step', type: 'quantitative', title: 'step (operations evaluated)', scale: { zero: true } },
          y: { field: 'points', type: 'quantitative', title: 'RAM-points in use' },
          color,
        },
      },
      {
        data: { values: limits },
        mark: { type: 'rule', strokeDash: [4, 4], opacity: 0.6 },
        encoding: { y: { field: 'total', type: 'quantitative' }, color },
      },
      ...(stop.length
        ? [
            { data: { values: stop }, mark: { type: 'rule', color: '#e45756', strokeWidth: 2 }, encoding: { x: { field: 'step', type: 'quantitative' } } },
            { data: { values: stop }, mark: { type: 'text', color: '#e45756', align: 'right', dx: -4, dy: -4, baseline: 'bottom', y: 0 }, encoding: { x: { field: 'step', type: 'quantitative' }, text: { field: 'text' } } },
          ]
        : []),
    ],
  } as ChartSpec;
}

function vectorizeChart(reports: readonly VectorizeReport[]): ChartSpec | null {
  if (reports.length === 0) return null;
  const values = reports.flatMap((v, i) => {
    const name = `${i + 1}. ${v.fn} (line ${v.line})`;
    return [
      { vectorize: name, state: 'kept', rows: v.kept, order: 0 },
      { vectorize: name, state: 'discarded', rows: v.discarded, order: 1 },
      { vectorize: name, state: 'abandoned', rows: v.abandoned, order: 2 },
    ];
  });
  return {
    description: 'Stacked bar chart: rows kept, discarded and abandoned by each vectorize (each one\'s figures follow)',
    width: 480,
    height: { step: 22 },
    data: { values },
    mark: 'bar',
    encoding: {
      y: { field: 'vectorize', type: 'nominal', title: null, sort: null },
      x: { field: 'rows', type: 'quantitative', stack: 'zero', title: 'rows' },
      color: { field: 'state', type: 'nominal', scale: { domain: ['kept', 'discarded', 'abandoned'], range: ['#54a24b', '#e45756', '#bab0ac'] }, title: null },
      order: { field: 'order' },
    },
  };
}

function figure(svg: string | undefined, caption: string): string {
  return svg ? `<figure>${svg}<figcaption>${caption}</figcaption></figure>` : '';
}

function seconds(s: number | '+inf' | '-inf'): string {
  if (typeof s !== 'number') return s;
  return s !== 0 && Math.abs(s) < 0.0005 ? `${s.toPrecision(3)} s` : `${formatScore(s)} s`;
}

function vectorizeSection(reports: readonly VectorizeReport[], chart: string | undefined): string {
  if (reports.length === 0) return '';
  const cards = reports.slice(0, ITEMS_SHOWN).map((v, i) => {
    const c = v.cost;
    const verdict = v.verdict;
    const cost: [string, string][] = c
      ? [
          ['W (operations)', formatCount(BigInt(c.ops))],
          ['Q (bytes moved)', formatBytes(BigInt(c.memBytes))],
          ['M (peak memory)', formatBytes(BigInt(c.peakMem))],
          ['R (result bytes)', formatBytes(BigInt(c.resultBytes))],
        ]
      : [['FnCost', '<span class="muted">unknown: not every row computed</span>']];
    const ver: [string, string][] = verdict
      ? [
          ['t_compute', seconds(verdict.tCompute)],
          ['t_fetch', seconds(verdict.tFetch)],
          ['score', seconds(verdict.score)],
          ['bottleneck', esc(verdict.bottleneck)],
        ]
      : [];
    const outcome: [string, string][] = [
      ['decision', `${esc(v.decision)} <span class="muted">(${esc(v.reason)})</span>`],
      ['result', esc(v.result ?? 'none')],
      ['ran', esc(v.mode === 'threads' || v.mode === 'deterministic' ? `${v.mode} ×${v.workers}` : (v.mode ?? '-'))],
      ['rows kept / discarded / abandoned', `${v.kept} / ${v.discarded} / ${v.abandoned} <span class="muted">of ${v.rows}</span>`],
    ];
    const err = v.error ? `<p class="bad">${esc(v.error.name ?? v.error.code)}: ${esc(v.error.message)}</p>` : '';
    const memo = v.memo ? `<p class="muted">memo store: ${esc(v.memo.location)}${v.memo.stored ? ' (entry written)' : ''}</p>` : '';
    return (
      `<div class="vec${v.error ? ' failed' : ''}" data-vectorize="${i + 1}"><h3>${i + 1}. <code>vectorize ${esc(v.fn)} ${esc(v.input)} ${esc(v.output)}</code> <span class="muted">line ${v.line}, ${v.rows} rows, ${esc(v.machine)} machine</span></h3>` +
      `<p class="muted">FnCost</p>${facts(cost)}${ver.length ? `<p class="muted">verdict: ${esc(verdict?.text ?? '')}</p>${facts(ver)}` : ''}${facts(outcome)}${err}${memo}</div>`
    );
  });
  const more = reports.length > ITEMS_SHOWN ? `<p class="muted">… and ${reports.length - ITEMS_SHOWN} more vectorize reports.</p>` : '';
  return `<section id="vectorize"><h2>vectorize</h2>${figure(chart, 'Rows of each vectorize: kept in the output, discarded after a failure, abandoned (never evaluated).')}${cards.join('\n')}${more}</section>`;
}

function dataframesSection(r: RunResult): string {
  if (r.dataframes.length === 0) return '';
  const rows = r.dataframes.slice(0, ITEMS_SHOWN).map((d) => [`<code>${esc(d.name)}</code>`, String(d.rows), d.frozen ? 'frozen' : 'open']);
  const more = r.dataframes.length > ITEMS_SHOWN ? `<p class="muted">… and ${r.dataframes.length - ITEMS_SHOWN} more dataframes.</p>` : '';
  return `<section id="dataframes"><h2>Dataframes</h2>${htmlTable(['dataframe', 'rows', 'state'], rows, new Set([1]))}${more}</section>`;
}

function outputSection(r: RunResult): string {
  const shown = (s: string) => (s.length > OUTPUT_SHOWN ? `${esc(s.slice(0, OUTPUT_SHOWN))}\n<span class="muted">… ${s.length - OUTPUT_SHOWN} more characters not shown</span>` : esc(s));
  const diags = r.diagnostics;
  const warn = diags.length
    ? `<h3>Diagnostics (${diags.length})</h3><ul>${diags
        .slice(0, ITEMS_SHOWN)
        .map((d) => `<li><code>${esc(d.span ? `${d.span.file}:${d.span.line}:${d.span.column}` : '')}</code> ${esc(d.code)} <span class="${d.severity === 'error' ? 'bad' : 'muted'}">${d.severity}</span>: ${esc(d.message)}</li>`)
        .join('')}</ul>`
    : '';
  const out = r.stdout ? `<h3>stdout</h3><pre class="out">${shown(r.stdout)}</pre>` : '<p class="muted">The program printed nothing on stdout.</p>';
  const err = r.stderr ? `<h3>stderr</h3><pre class="out">${shown(r.stderr)}</pre>` : '';
  return `<section id="output"><h2>Output</h2>${out}${err}${warn}</section>`;
}

/** The whole page. */
export async function runReportHtml(input: RunReportInput): Promise<string> {
  const r = input.result;
  const vec = input.vectorize ?? [];
  const report = r.memory?.report();
  const refusal = refusalOf(r);
  const specs: (ChartSpec | null)[] = [report ? kindsChart(report) : null, timelineChart(r), vectorizeChart(vec.slice(0, ITEMS_SHOWN))];
  const svgs = await renderCharts(specs.filter((s): s is ChartSpec => s !== null), 'run');
  const chart = specs.map((s) => (s === null ? undefined : svgs.shift()));
  const [kinds, timeline, vectorize] = chart;
  const state = r.ok ? 'the end of the run' : r.memory ? 'the error' : 'the start (the program did not run)';
  const outcome = r.ok ? '<span class="ok">ran to the end</span>' : `<span class="bad">${esc(r.error?.name ?? r.error?.code ?? 'failed')}</span>`;
  const quota = report?.flat.filter((m) => m.kind === 'quota').length ?? 0;
  const summary = facts([
    ['outcome', outcome],
    ['profile', esc(r.profile)],
    ['RAM-points (live)', report ? pts(report.totals.mp) : '0'],
    ['bytes under the profile', String(r.bytes)],
    ['entities', String(report?.totals.entities ?? 0)],
    ['steps', String(r.steps)],
    ['quota membranes', String(quota)],
    ['dataframes', String(r.dataframes.length)],
  ]);
  const t = r.timeline;
  const timelineNote = t
    ? `Use of each quota membrane (direct and below) after every charge and release, by step; dashed: its T.${t.bucketSteps > 1 ? ` ${t.charges} charges over ${t.steps} steps, reduced to the first, lowest, highest and last use per ${t.bucketSteps} steps.` : ''}${t.untracked > 0 ? ` ${t.untracked} more quota membranes were charged but are not drawn.` : ''}`
    : '';
  const byKind = report
    ? htmlTable(
        ['entity kind', 'count', 'RAM-points'],
        report.totals.byKind.map((k) => [esc(k.kind), String(k.count), pts(k.mp)]),
        new Set([1, 2]),
      )
    : '';
  const body = [
    `<header><h1>Run report: <code>${esc(input.file)}</code></h1><p class="muted">merg-e run under profile <b>${esc(r.profile)}</b>; RAM-points at ${state}.</p></header>`,
    summary,
    errorSection(r),
    membranesSection(report, refusal),
    `<section id="kinds"><h2>RAM-points by entity kind</h2>${kinds ? figure(kinds, `Everything allocated and still live at ${state}, by entity kind: ${report ? pts(report.totals.mp) : 0} RAM-points, ${r.bytes} bytes.`) : '<p class="muted">Nothing was allocated.</p>'}${byKind}</section>`,
    `<section id="timeline"><h2>RAM-points over the run</h2>${timeline ? figure(timeline, esc(timelineNote)) : `<p class="muted">${r.timeline ? 'No quota membrane was charged.' : 'Not recorded (the run was made without its charge timeline).'}</p>`}</section>`,
    dataframesSection(r),
    vectorizeSection(vec, vectorize),
    outputSection(r),
  ];
  return page(`merg-e run report: ${input.file}`, body.filter(Boolean).join('\n'), CSS);
}
