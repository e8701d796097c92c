// The HTML report of `merg-e compare --html OUT FILE`: RAM-points and bytes per runtime profile side by
// side, their spread and what makes it (the breakdown by part), the points by entity kind under each
// profile, and which profiles ended differently (with each different ending's error and code frame).
import { spread } from '../cli/table.js';
import { formatPoints, mpToPoints } from '../model/index.js';
import { CODES } from '../diagnostics.js';
import type { SpreadBreakdown } from '../model/index.js';
import { standardBasket } from '../runtime/basket.js';
import type { ProfileRun } from '../runtime/compare.js';
import { comparePortability, topParts, type Portability } from '../runtime/portability.js';
import { renderCharts, type ChartSpec } from './charts.js';
import { codeFrameHtml } from './frame.js';
import { esc, facts, htmlTable, page } from './html.js';

export interface CompareReportInput {
  /** The program as the user named it. */
  file: string;
  runs: readonly ProfileRun[];
  /** The runs' portability (the spread's breakdown, differing outcomes, MRG4052); default: comparePortability with the standard basket's warnSpread. */
  portability?: Portability;
}

/** Parts of a spread's breakdown drawn and listed one by one; the rest are summed in one row. */
export const PARTS_SHOWN = 12;

const CSS = `
tr.differs td { background: var(--refused-bg); }
tr.spread td { font-weight: 600; border-top: 2px solid var(--line); }
.ending { border: 1px solid var(--line); border-radius: 6px; padding: 6px 14px; margin: 10px 0; }
.ending.error { border-color: var(--refused); }
.warning { border: 2px solid var(--total); border-radius: 6px; padding: 8px 14px; margin: 12px 0; }
ul.differences li { margin: 2px 0; }
`;

/** How a run ended, as one short phrase: `ok`, or the error name and line. */
export function outcomeOf(r: ProfileRun): string {
  const e = r.result.error;
  if (!e) return 'ok';
  if (!r.ran) return `${e.code}: the profile cannot be used`;
  return `${e.name ?? e.code}${e.line !== null ? ` at line ${e.line}` : ''}`;
}

function showSpread(x: number | null): string {
  return x === null ? 'n/a' : `${x.toFixed(3)}×`;
}

/** Kinds with their milli-points under each profile (0 where a profile allocated none). */
function kindsByProfile(runs: readonly ProfileRun[]): { kind: string; mp: number[] }[] {
  const kinds = new Map<string, number[]>();
  runs.forEach((run, i) => {
    for (const k of run.result.memory?.report().totals.byKind ?? []) {
      const row = kinds.get(k.kind) ?? runs.map(() => 0);
      row[i] = k.mp;
      kinds.set(k.kind, row);
    }
  });
  return [...kinds].map(([kind, mp]) => ({ kind, mp })).sort((a, b) => a.kind.localeCompare(b.kind));
}

function sideBySide(runs: readonly ProfileRun[]): ChartSpec {
  const values = runs.map((r) => ({ profile: r.profile, points: mpToPoints(r.mp), bytes: Number(r.bytes), outcome: outcomeOf(r) }));
  const bar = (field: 'points' | 'bytes', title: string, color: string) => ({
    width: 340,
    height: { step: 24 },
    layer: [
      { mark: { type: 'bar' as const, color } },
      { mark: { type: 'text' as const, align: 'left' as const, dx: 4, fontSize: 11 }, encoding: { text: { field, type: 'quantitative' as const, format: field === 'points' ? ',.3~f' : ',d' } } },
    ],
    encoding: {
      y: { field: 'profile', type: 'nominal' as const, sort: null, title: null },
      x: { field, type: 'quantitative' as const, title, scale: { zero: true } },
    },
  });
  return {
    description: 'Bar charts: RAM-points and bytes under each profile (the table below lists the same figures)',
    data: { values },
    hconcat: [bar('points', 'RAM-points', '#4c78a8'), bar('bytes', 'bytes', '#f58518')],
    resolve: { scale: { x: 'independent' } },
  } as ChartSpec;
}

function kindsChart(runs: readonly ProfileRun[], kinds: { kind: string; mp: number[] }[]): ChartSpec | null {
  const values = kinds.flatMap((k) => runs.map((r, i) => ({ kind: k.kind, profile: r.profile, points: mpToPoints(k.mp[i] as number) })));
  if (values.length === 0) return null;
  return {
    description: 'Grouped bar chart: RAM-points of each entity kind under each profile (the table below lists the same figures)',
    width: 560,
    height: { step: 9 },
    data: { values },
    mark: 'bar',
    encoding: {
      y: { field: 'kind', type: 'nominal', title: null },
      yOffset: { field: 'profile', type: 'nominal', sort: runs.map((r) => r.profile) },
      x: { field: 'points', type: 'quantitative', title: 'RAM-points' },
      color: { field: 'profile', type: 'nominal', title: 'profile', scale: { domain: runs.map((r) => r.profile) } },
    },
  } as ChartSpec;
}

function pct(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** The shown parts of a breakdown, the rest summed into one (points and shares add up). */
function shownParts(b: SpreadBreakdown): { kind: string; hiPoints: number; loPoints: number; share: number; rest: boolean }[] {
  const shown = b.parts.slice(0, PARTS_SHOWN).map((p) => ({ ...p, rest: false }));
  const rest = b.parts.slice(PARTS_SHOWN);
  if (rest.length === 0) return shown;
  const sum = (f: (p: (typeof rest)[number]) => number) => rest.reduce((a, p) => a + f(p), 0);
  return [...shown, { kind: `${rest.length} other part${rest.length === 1 ? '' : 's'}`, hiPoints: sum((p) => p.hiPoints), loPoints: sum((p) => p.loPoints), share: sum((p) => p.share), rest: true }];
}

function breakdownChart(b: SpreadBreakdown): ChartSpec {
  const values = shownParts(b).map((p) => ({ part: p.kind, share: p.share * 100, effect: p.share >= 0 ? 'widens the gap' : 'narrows it', label: pct(p.share) }));
  // Room for the labels beyond the longest bars on either side.
  const [min, max] = [Math.min(0, ...values.map((v) => v.share)), Math.max(0, ...values.map((v) => v.share))];
  const pad = 0.15 * (max - min);
  const [lo, hi] = [min < 0 ? min - pad : 0, max > 0 ? max + pad : 0];
  const label = (side: 'left' | 'right') => ({
    transform: [{ filter: side === 'left' ? 'datum.share >= 0' : 'datum.share < 0' }],
    mark: { type: 'text', align: side, dx: side === 'left' ? 4 : -4, fontSize: 11 },
    encoding: { text: { field: 'label' } },
  });
  return {
    description: `Bar chart: each part's share of the points gap between ${b.hi} and ${b.lo} (the table below lists the same figures)`,
    width: 480,
    height: { step: 20 },
    data: { values },
    encoding: {
      y: { field: 'part', type: 'nominal', sort: null, title: null },
      x: { field: 'share', type: 'quantitative', title: `share of the gap (%), ${b.hi} over ${b.lo}`, scale: { domain: [lo, hi] } },
    },
    layer: [
      { mark: { type: 'bar' }, encoding: { color: { field: 'effect', type: 'nominal', title: null, legend: { orient: 'top' }, scale: { domain: ['widens the gap', 'narrows it'], range: ['#e45756', '#54a24b'] } } } },
      label('left'),
      label('right'),
    ],
  } as ChartSpec;
}

function breakdownSection(p: Portability, chart: string | undefined): string {
  const head = '<section id="breakdown"><h2>What makes the spread</h2>';
  const b = p.breakdown;
  if (!b) return `${head}<p class="muted">No spread to explain: ${p.points.length < 2 ? 'fewer than two profiles ran' : 'every profile that ran costs the same points (or the cheapest costs none)'}.</p></section>`;
  const rows = shownParts(b).map((x) => [x.rest ? `<i>${esc(x.kind)}</i>` : `<code>${esc(x.kind)}</code>`, x.hiPoints.toFixed(3), x.loPoints.toFixed(3), (x.hiPoints - x.loPoints).toFixed(3), pct(x.share)]);
  const table = htmlTable(['part', `points under ${b.hi}`, `points under ${b.lo}`, 'gap', 'share of the gap'], rows, new Set([1, 2, 3, 4]), 'breakdown');
  const intro =
    `<p>The dearest profile, <b>${esc(b.hi)}</b> (${formatPoints(b.hiMp)} points), costs ${b.spread.toFixed(3)}× the cheapest, <b>${esc(b.lo)}</b> (${formatPoints(b.loMp)} points). ` +
    `Each part's share is its points under ${esc(b.hi)} minus under ${esc(b.lo)}, over the whole gap: the shares sum to 100%, and a part that costs less under ${esc(b.hi)} has a negative share. ` +
    `Parts are entity kinds, <code>string_byte</code> (the bytes of strings) and <code>extras:membrane:KIND</code> (what allocating through membranes of that kind adds); points are unrounded.</p>`;
  const differ = p.outcomesDiffer ? '<p class="bad">The runs ended differently, so this spread compares different work (see how each profile ended).</p>' : '';
  return `${head}${intro}${differ}${chart ? `<figure>${chart}<figcaption>Share of the gap between ${esc(b.hi)} and ${esc(b.lo)} by part, largest first.</figcaption></figure>` : ''}${table}</section>`;
}

function warningBox(p: Portability): string {
  const w = p.warning;
  if (!w) return '';
  return `<div class="warning" id="unlike"><p><b>${esc(w.code)} ${esc(CODES[w.code].title)}</b>: ${esc(w.message)}</p><p class="muted">help: ${esc(w.hint ?? CODES[w.code].hint)}</p></div>`;
}

/** Profiles grouped by how they ended, most common ending first. */
function endings(runs: readonly ProfileRun[]): { outcome: string; runs: ProfileRun[] }[] {
  const groups = new Map<string, ProfileRun[]>();
  for (const r of runs) groups.set(outcomeOf(r), [...(groups.get(outcomeOf(r)) ?? []), r]);
  return [...groups].map(([outcome, rs]) => ({ outcome, runs: rs })).sort((a, b) => b.runs.length - a.runs.length);
}

function endingsSection(runs: readonly ProfileRun[], p: Portability): string {
  const groups = endings(runs);
  const head = '<section id="endings"><h2>How each profile ended</h2>';
  // Runs can also differ without an error: other row counts, other entities (Portability.differences).
  const diffs = p.outcomesDiffer ? `<p>How the runs differ, profile by profile:</p><ul class="differences">${p.differences.map((d) => `<li>${esc(d)}</li>`).join('')}</ul>` : '';
  if (groups.length <= 1) {
    const only = groups[0];
    return `${head}<p>Every profile ended the same way: <b>${esc(only?.outcome ?? 'no runs')}</b>.</p>${only && only.outcome !== 'ok' ? ending(only) : ''}${diffs}</section>`;
  }
  return `${head}<p class="bad">The profiles ended differently (${groups.length} different endings): a program that fits under one runtime's prices may not under another's.</p>${groups.map(ending).join('\n')}${diffs}</section>`;
}

function ending(g: { outcome: string; runs: ProfileRun[] }): string {
  const first = g.runs[0] as ProfileRun;
  const e = first.result.error;
  const names = g.runs.map((r) => `<b>${esc(r.profile)}</b>`).join(', ');
  if (!e) return `<div class="ending" data-outcome="ok"><p>${names}: ran to the end.</p></div>`;
  const d = e.diagnostic;
  if (!first.ran) return `<div class="ending error" data-outcome="${esc(g.outcome)}"><p>${names}: <span class="bad">the profile cannot be used</span> — ${esc(e.code)} ${esc(e.message)}</p><p class="muted">help: ${esc(d.hint ?? CODES[d.code].hint)}</p></div>`;
  const frame = codeFrameHtml(d.span ? first.result.sources.get(d.span.file) : undefined, d.span);
  const quota = e.membrane !== null ? ` <span class="muted">(membrane ${esc(e.membrane)}, ${esc(e.limitKind ?? '')} limit ${e.limit ?? ''}, used ${e.used ?? ''}, asked ${e.requested ?? ''} points under ${esc(first.profile)})</span>` : '';
  return `<div class="ending error" data-outcome="${esc(g.outcome)}"><p>${names}: <span class="bad">${esc(g.outcome)}</span> — ${esc(e.code)} ${esc(e.message)}${quota}</p>${frame}</div>`;
}

/** The whole page. */
export async function compareReportHtml(input: CompareReportInput): Promise<string> {
  const { runs } = input;
  const portability = input.portability ?? comparePortability(input.file, runs, standardBasket().basket.warnSpread);
  // A profile that could not be used (its file is invalid) has a row and an ending, but no amounts.
  const ran = runs.filter((r) => r.ran);
  const kinds = kindsByProfile(ran);
  const specs = [ran.length > 0 ? sideBySide(ran) : null, portability.breakdown ? breakdownChart(portability.breakdown) : null, kindsChart(ran, kinds)];
  const svgs = await renderCharts(specs.filter((s): s is ChartSpec => s !== null), 'cmp');
  const [side, breakdown, byKind] = specs.map((s) => (s === null ? undefined : svgs.shift()));
  const groups = endings(runs);
  const common = groups[0]?.outcome;
  const spreadPoints = spread(ran.map((r) => BigInt(r.mp)));
  const spreadBytes = spread(ran.map((r) => r.bytes));
  const summary = facts([
    ['profiles', String(runs.length)],
    ['spread of RAM-points (max/min)', showSpread(spreadPoints)],
    ['spread of bytes (max/min)', showSpread(spreadBytes)],
    ['endings', groups.length <= 1 && !portability.outcomesDiffer ? '<span class="ok">all the same</span>' : `<span class="bad">${groups.length <= 1 ? 'other work' : `${groups.length} different`}</span>`],
    ['most of the gap', portability.breakdown ? esc(topParts(portability.breakdown)) : 'n/a'],
  ]);
  const rows = runs.map((r) => {
    const o = outcomeOf(r);
    const [points, bytes] = r.ran ? [formatPoints(r.mp), String(r.bytes)] : ['n/a', 'n/a'];
    return `<tr data-profile="${esc(r.profile)}"${o !== common ? ' class="differs"' : ''}><td>${esc(r.profile)}</td><td class="num">${points}</td><td class="num">${bytes}</td><td>${esc(o)}</td></tr>`;
  });
  rows.push(`<tr class="spread"><td>spread (max/min)</td><td class="num">${showSpread(spreadPoints)}</td><td class="num">${showSpread(spreadBytes)}</td><td></td></tr>`);
  const table = `<table id="profiles"><thead><tr><th>profile</th><th class="num">RAM-points</th><th class="num">bytes</th><th>outcome</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
  const kindTable = htmlTable(
    ['entity kind', ...ran.map((r) => r.profile), 'max/min'],
    kinds.map((k) => [esc(k.kind), ...k.mp.map((mp) => formatPoints(mp)), showSpread(spread(k.mp.map(BigInt)))]),
    new Set(Array.from({ length: ran.length + 1 }, (_, i) => i + 1)),
  );
  const body = [
    `<header><h1>Compare report: <code>${esc(input.file)}</code></h1><p class="muted">The same program under ${runs.length} runtime profile${runs.length === 1 ? '' : 's'}; RAM-points and bytes of everything live at the end of each run (or at its error). RAM-points are normalized per profile over the same basket, so a program that resembles the basket costs about the same points everywhere, while its bytes differ as the runtimes do.</p></header>`,
    summary,
    warningBox(portability),
    `<section id="side"><h2>Points and bytes per profile</h2>${side ? `<figure>${side}<figcaption>RAM-points (left) and bytes (right) under each profile.</figcaption></figure>` : ''}${table}</section>`,
    endingsSection(runs, portability),
    breakdownSection(portability, breakdown),
    `<section id="kinds"><h2>RAM-points by entity kind per profile</h2>${byKind ? `<figure>${byKind}<figcaption>What each kind costs under each profile: the kinds whose bars differ most make the spread.</figcaption></figure>` : '<p class="muted">Nothing was allocated.</p>'}${kindTable}</section>`,
  ];
  return page(`merg-e compare report: ${input.file}`, body.join('\n'), CSS);
}
