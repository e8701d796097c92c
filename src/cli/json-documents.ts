// The JSON documents the commands print (`run --json`, `compare --json`, `check --json`), built from
// library results. The library exports them too, so a program gets the same documents the CLI prints.
import { diagnosticFile, diagnosticJson, type Diagnostic, type DiagnosticJson } from '../diagnostics.js';
import { mpToPoints } from '../model/index.js';
import type { ProfileRun } from '../runtime/compare.js';
import { comparePortability, type Portability } from '../runtime/portability.js';
import type { DataframeRow, RunResult } from '../runtime/run.js';
import { spread } from './table.js';

/** A failed run's error: the one diagnostic shape, plus its Merg-E name and, for quota errors, the figures (points). */
export interface RunErrorJson extends DiagnosticJson {
  /** The Merg-E error name (`quota_error`, …), or null for limits and internal failures. */
  name: string | null;
  membrane: string | null;
  /** `direct` (D), `below` (T − D), `total` (T) or `pool` ((T − D) + O, at a declaration). */
  limitKind: string | null;
  limit: number | null;
  used: number | null;
  requested: number | null;
}

/** A quota membrane at the end of the run (or at its error); amounts in RAM-points. */
export interface MembraneJson {
  name: string;
  total: number;
  direct: number;
  overcommit: number;
  directUsed: number;
  belowUsed: number;
}

/** `merg-e run --json` (the CLI adds `vectorize`: one report per vectorize statement). */
export interface RunResultJson {
  ok: boolean;
  profile: string;
  stdout: string;
  error: RunErrorJson | null;
  membranes: MembraneJson[];
  dataframes: DataframeRow[];
  ramPoints: { total: number; byKind: Record<string, number> };
  bytes: number;
}

/** `merg-e compare --json`. */
export interface CompareJson {
  /** ramPoints and bytes are null for a profile that could not be used (its `error` says why). */
  profiles: { name: string; ramPoints: number | null; bytes: number | null; ok: boolean; error: RunErrorJson | null }[];
  /** max/min over the profiles, to three decimals; null when some amount is 0. */
  spread: { ramPoints: number | null; bytes: number | null };
  /** What makes the points gap between the dearest and the cheapest profile, largest share first (shares sum to 1). */
  breakdown: { kind: string; share: number }[];
  /** The profiles the breakdown compares (null without a gap). */
  breakdownProfiles: { hi: string; lo: string } | null;
  /** The runs ended differently (then the spread compares different work); `differences` says how, per profile. */
  outcomesDiffer: boolean;
  differences: string[];
  /** The points spread exceeds the basket's warnSpread (warning MRG4052). */
  unlikeBasket: boolean;
  warnSpread: number;
}

/** `merg-e check --json`. */
export interface CheckJson {
  files: { file: string; diagnostics: DiagnosticJson[] }[];
}

export function runErrorJson(r: RunResult): RunErrorJson | null {
  const e = r.error;
  if (!e) return null;
  return { ...diagnosticJson(e.diagnostic), name: e.name, membrane: e.membrane, limitKind: e.limitKind, limit: e.limit, used: e.used, requested: e.requested };
}

export function runResultJson(r: RunResult): RunResultJson {
  return {
    ok: r.ok,
    profile: r.profile,
    stdout: r.stdout,
    error: runErrorJson(r),
    // The quota membranes (T, D, O describe only them).
    membranes: r.membranes
      .filter((m) => m.kind === 'quota')
      .map((m) => ({ name: m.name, total: m.total, direct: m.direct, overcommit: m.overcommit, directUsed: m.directUsed, belowUsed: m.belowUsed })),
    dataframes: r.dataframes,
    ramPoints: { total: r.ramPoints.total, byKind: Object.fromEntries(r.ramPoints.byKind) },
    bytes: r.bytes,
  };
}

/** Spreads over the profiles that ran (a profile that could not be used has no amounts). */
export function compareSpreads(runs: readonly ProfileRun[]): CompareJson['spread'] {
  const ran = runs.filter((r) => r.ran);
  return { ramPoints: spread(ran.map((r) => r.mp)), bytes: spread(ran.map((r) => r.bytes)) };
}

/** The document of `merg-e compare --json`; `portability` defaults to comparePortability(runs) with the default warnSpread. */
export function compareJson(runs: readonly ProfileRun[], portability: Portability = comparePortability('', runs)): CompareJson {
  const b = portability.breakdown;
  return {
    profiles: runs.map((r) => ({ name: r.profile, ramPoints: r.ran ? mpToPoints(r.mp) : null, bytes: r.ran ? Number(r.bytes) : null, ok: r.result.ok, error: runErrorJson(r.result) })),
    spread: compareSpreads(runs),
    breakdown: (b?.parts ?? []).map((p) => ({ kind: p.kind, share: p.share })),
    breakdownProfiles: b ? { hi: b.hi, lo: b.lo } : null,
    outcomesDiffer: portability.outcomesDiffer,
    differences: [...portability.differences],
    unlikeBasket: portability.unlikeBasket,
    warnSpread: portability.warnSpread,
  };
}

/** One file's diagnostics; a diagnostic about no particular place is still about this file. */
export function checkFileJson(file: string, diagnostics: readonly Diagnostic[]): CheckJson['files'][number] {
  return { file, diagnostics: diagnostics.map((d) => ({ ...diagnosticJson(d), file: diagnosticFile(d) ?? file })) };
}
