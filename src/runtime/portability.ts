// Portability of one program's RAM-points (quota.md §9), for `merg-e compare` and `merg-e run
// --report`: its spread across the profiles, which kinds make the gap (the breakdown), whether the
// runs under different profiles ended differently (then a spread compares different work), and the
// "unlike the basket" warning (MRG4052) when the spread exceeds the basket's warnSpread.
import { diagnostic, MergeError, type Diagnostic } from '../diagnostics.js';
import { countDifferences, loadProfile, pointsOfCounts, Pricing, spreadBreakdown, type PricedCounts, type RuntimeProfile, type SpreadBreakdown } from '../model/index.js';
import { basketPricing, DEFAULT_WARN_SPREAD, type BasketInUse } from './basket.js';
import type { ProfileRun } from './compare.js';
import { profileCatalog } from './profiles.js';
import type { RunResult } from './run.js';

/** How one profile's run ended, in plain words. */
export interface ProfileOutcome {
  readonly profile: string;
  readonly ok: boolean;
  /** "ran to the end", or "stopped at line 12: quota_error (membrane 'box' refused)". */
  readonly ending: string;
  /** Rows of each dataframe at the end. */
  readonly dataframes: readonly { readonly name: string; readonly rows: number }[];
}

/** A program's portability across profiles (typed for reports: `merg-e compare`, its HTML report, `run --report`). */
export interface Portability {
  /** Each profile's milli-points (as its run reports them, or priced from one run's counts). */
  readonly points: readonly { readonly profile: string; readonly mp: number }[];
  /** Points of the dearest over the cheapest profile (exact milli-points); null below two profiles or at 0 points. */
  readonly spread: number | null;
  /** What makes the gap between them; null without a gap. */
  readonly breakdown: SpreadBreakdown | null;
  /** The runs ended differently (an error under one, not under another; other row counts; other entities). */
  readonly outcomesDiffer: boolean;
  /** One per profile that ran. */
  readonly outcomes: readonly ProfileOutcome[];
  /** Plain statements of how the outcomes differ, one per profile (empty when they agree). */
  readonly differences: readonly string[];
  readonly warnSpread: number;
  /** spread > warnSpread. */
  readonly unlikeBasket: boolean;
  /** MRG4052 when unlikeBasket. */
  readonly warning: Diagnostic | null;
}

function ending(r: RunResult): string {
  const e = r.error;
  if (!e) return 'ran to the end';
  const where = e.line !== null ? ` at line ${e.line}` : '';
  const who = e.membrane !== null ? ` (membrane '${e.membrane}' refused ${e.requested ?? '?'} points)` : '';
  return `stopped${where}: ${e.name ?? e.code}${who}`;
}

function outcomeOf(profile: string, r: RunResult): ProfileOutcome {
  return { profile, ok: r.ok, ending: ending(r), dataframes: r.dataframes.map((d) => ({ name: d.name, rows: d.rows })) };
}

/** Plain statements of how runs under different profiles differ, one line per profile (none: they agree). */
function differences(runs: readonly { profile: string; result: RunResult }[]): string[] {
  if (runs.length < 2) return [];
  const outcomes = runs.map((r) => outcomeOf(r.profile, r.result));
  const endings = new Set(outcomes.map((o) => o.ending));
  const rowsOf = (o: ProfileOutcome) => new Map(o.dataframes.map((d) => [d.name, d.rows]));
  const names = [...new Set(outcomes.flatMap((o) => o.dataframes.map((d) => d.name)))];
  const differing = names.filter((n) => new Set(outcomes.map((o) => rowsOf(o).get(n) ?? -1)).size > 1);
  const first = runs[0] as (typeof runs)[number];
  const sameWork = runs.every((r) => countDifferences(r.result.counts, first.result.counts).length === 0);
  if (endings.size === 1 && differing.length === 0 && sameWork) return [];
  return outcomes.map((o) => {
    const rows = rowsOf(o);
    const dfs = differing.map((n) => (rows.has(n) ? `${n} kept ${rows.get(n)} row${rows.get(n) === 1 ? '' : 's'}` : `${n} does not exist`));
    const parts = [o.ending, ...dfs];
    if (endings.size === 1 && differing.length === 0) parts.push('allocated other entities than under another profile');
    return `${o.profile}: ${parts.join('; ')}`;
  });
}

function percent(share: number): string {
  return `${(share * 100).toFixed(share >= 0.1 || share <= -0.1 ? 0 : 1)}%`;
}

/** The top contributors of a breakdown in words: "string_byte (81%) and scalar:bool (12%)". */
export function topParts(b: SpreadBreakdown, n = 2): string {
  const top = b.parts.filter((p) => p.share > 0).sort((x, y) => y.share - x.share).slice(0, n);
  return top.map((p) => `${p.kind} (${percent(p.share)})`).join(' and ');
}

function unlikeWarning(what: string, b: SpreadBreakdown, warnSpread: number, pricedFrom: string): Diagnostic {
  return diagnostic(
    'MRG4052',
    `${what} is unlike the basket: its RAM-points spread ${b.spread.toFixed(3)}x across the profiles (${b.hi} ${(b.hiMp / 1000).toFixed(3)}, ${b.lo} ${(b.loMp / 1000).toFixed(3)}; ${pricedFrom}), more than the basket's warnSpread ${warnSpread}; most of the gap is ${topParts(b)}`,
    undefined,
    "Its points do not mean the same on every runtime. Make the basket hold programs like it ('merg-e basket fit --corpus DIR'), blend prices (\"portability\" in basket.json), or raise \"warnSpread\" in basket.json.",
  );
}

function assess(what: string, rows: readonly PricedCounts[], warnSpread: number, pricedFrom: string, outcomes: ProfileOutcome[], diffs: string[]): Portability {
  const breakdown = spreadBreakdown(rows);
  const mps = rows.map((r) => r.mp ?? pointsOfCounts(r.pricing, r.counts));
  const spread = breakdown?.spread ?? (mps.length >= 2 && mps.every((m) => m > 0) ? 1 : null);
  const unlikeBasket = breakdown !== null && breakdown.spread > warnSpread;
  return {
    points: rows.map((r) => ({ profile: r.profile, mp: r.mp ?? pointsOfCounts(r.pricing, r.counts) })),
    spread,
    breakdown,
    outcomesDiffer: diffs.length > 0,
    outcomes,
    differences: diffs,
    warnSpread,
    unlikeBasket,
    warning: unlikeBasket && breakdown ? unlikeWarning(what, breakdown, warnSpread, pricedFrom) : null,
  };
}

/** The portability of a `merg-e compare`: each profile's own run (profiles that could not be used are left out). */
export function comparePortability(file: string, runs: readonly ProfileRun[], warnSpread = DEFAULT_WARN_SPREAD): Portability {
  const ran = runs.filter((r) => r.ran && r.pricing !== null);
  const rows = ran.map((r) => ({ profile: r.profile, pricing: r.pricing as Pricing, counts: r.result.counts, mp: r.mp }));
  const outcomes = ran.map((r) => outcomeOf(r.profile, r.result));
  return assess(file, rows, warnSpread, 'each profile running it', outcomes, differences(ran));
}

/**
 * The portability of one run, without running it again: its entity counts do not depend on the
 * profile, so its points under each of `pricings` come from its counts (exactly what a run under that
 * profile reports, if it ends the same way there).
 */
export function runPortability(file: string, r: RunResult, pricings: readonly Pricing[], warnSpread = DEFAULT_WARN_SPREAD): Portability {
  const rows = pricings.map((p) => ({ profile: p.profile.name, pricing: p, counts: r.counts, mp: pointsOfCounts(p, r.counts) }));
  return assess(file, rows, warnSpread, "priced from this run's entity counts", [outcomeOf(r.profile, r)], []);
}

/** Every profile of the catalog (shipped and the user's) that can price `b` (the others are left out: compare reports them). */
export function usableProfiles(b: BasketInUse): RuntimeProfile[] {
  const out: RuntimeProfile[] = [];
  for (const e of profileCatalog()) {
    try {
      const p = loadProfile(e.file);
      Pricing.fromCounts(p, b.counts);
      out.push(p);
    } catch (err) {
      if (!(err instanceof MergeError)) throw err;
    }
  }
  return out;
}

/**
 * The pricing of every usable profile of the catalog over the basket `b`, for pricing a run under all
 * of them; `own` (the run's own pricing) stands for its namesake or is added.
 */
export function catalogPricings(b: BasketInUse, own?: Pricing): Pricing[] {
  const reference = usableProfiles(b);
  const out = reference.filter((p) => !own || p.name !== own.profile.name).map((p) => basketPricing(p, b, reference));
  if (own) out.push(own);
  return out.sort((a, b) => (a.profile.name < b.profile.name ? -1 : a.profile.name > b.profile.name ? 1 : 0));
}
