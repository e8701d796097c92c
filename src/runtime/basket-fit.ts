// `merg-e basket fit` (quota.md §9): run a corpus once, then say how portable the current basket's
// points are on it, the floor no basket can beat, a fitted basket (integer weights over candidate
// programs) that comes close to it, and what the portability blend costs. Spreads are those of the
// exact prices before rounding (points ∝ a program's bytes × N / bytes_p): the quantity the floor
// bounds; a program's charges round each price once more, by at most half a milli-point each.
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join, relative, resolve } from 'node:path';

import { writeFileAtomic } from '../atomic-write.js';
import { diagnostic, fail, type Diagnostic } from '../diagnostics.js';
import {
  bytesOf,
  corpusFloor,
  fitWeights,
  countDifferences,
  entityTotal,
  fullCounts,
  meanLogSpread,
  MAX_FIT_PROFILES,
  pointParts,
  Pricing,
  spreadStats,
  spreadsUnderBasket,
  weightedCounts,
  type ByteMatrix,
  type EntityCounts,
  type FitObjective,
  type SpreadStats,
  type RuntimeProfile,
} from '../model/index.js';
import { readSourceText } from '../source-file.js';
import { basketCountsText, COUNTS_FILE, type BasketInUse } from './basket.js';
import { runProgram } from './run.js';

/** One program of the corpus (or a candidate from the current basket) and what it allocated. */
export interface FitProgram {
  /** As shown: relative to the current folder for the corpus, `basket:FILE` for the current basket's. */
  readonly name: string;
  readonly path: string;
  readonly counts: EntityCounts;
  /** In the corpus (its spread counts); false: only a candidate (the current basket's programs). */
  readonly inCorpus: boolean;
  /** Allocated the same under the first and the last profile: a fitted basket may hold it (its counts do not move with its prices). */
  readonly stable: boolean;
}


export interface FitOptions {
  readonly objective?: FitObjective;
  /** Folder names are shown relative to (default: the process's). */
  readonly cwd?: string;
}

export interface ProgramSpread {
  readonly file: string;
  readonly spread: number;
}

export interface BlendRow extends SpreadStats {
  readonly lambda: number;
  /** Worst byte drift over programs and profiles: points·(bytes_p/N)/B_p(x), as the factor ≥ 1 furthest from 1. */
  readonly drift: number;
}

export interface FitReport {
  readonly programs: number;
  readonly profiles: readonly string[];
  readonly objective: FitObjective;
  readonly basket: string;
  readonly current: SpreadStats & { readonly worstPrograms: readonly ProgramSpread[] };
  readonly floor: { readonly worst: number; readonly profiles: readonly string[]; readonly programs: readonly string[] };
  readonly pairFloors: readonly { readonly profiles: readonly [string, string]; readonly worst: number }[];
  readonly fitted: SpreadStats & { readonly meanLogSpread: number; readonly weights: ReadonlyMap<string, number> };
  readonly blend: readonly BlendRow[];
  /** Corpus programs left out (they did not run to the end), as warnings. */
  readonly warnings: readonly Diagnostic[];
  /** What --write needs: the fitted programs' paths and counts. */
  readonly chosen: readonly { readonly program: FitProgram; readonly weight: number }[];
}

/** The `.merge` / `.mrg` programs of the corpus folders (not recursive), sorted; MRG4053 for a folder that is not one or holds none. */
export function corpusFiles(dirs: readonly string[], cwd: string): string[] {
  const out: string[] = [];
  for (const d of dirs) {
    const dir = resolve(cwd, d);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) fail('MRG4053', `--corpus ${d}: not a folder`);
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.merge') || f.endsWith('.mrg'))
      .sort()
      .map((f) => join(dir, f))
      .filter((f) => statSync(f).isFile());
    if (files.length === 0) fail('MRG4053', `--corpus ${d}: holds no .merge or .mrg program`);
    out.push(...files);
  }
  return [...new Set(out)];
}

function runCounts(path: string, profile: RuntimeProfile, b: BasketInUse): { counts: EntityCounts | null; why: string } {
  const r = runProgram({ file: path }, { pricing: Pricing.fromCounts(profile, b.counts), timeoutMs: 30_000 });
  if (r.ok) return { counts: fullCounts(r.counts), why: '' };
  const e = r.error;
  return { counts: null, why: e ? `${e.code}${e.name ? ` ${e.name}` : ''}${e.line !== null ? ` at line ${e.line}` : ''}: ${e.message}` : 'it failed' };
}

/**
 * Runs the corpus (and the current basket's programs, as candidates) under the first profile, and
 * again under the last to learn whether what a program allocates depends on its prices.
 */
export function measureCorpus(files: readonly string[], b: BasketInUse, profiles: readonly RuntimeProfile[], cwd: string): { programs: FitProgram[]; warnings: Diagnostic[] } {
  const first = profiles[0] as RuntimeProfile;
  const last = profiles[profiles.length - 1] as RuntimeProfile;
  const warnings: Diagnostic[] = [];
  const programs: FitProgram[] = [];
  const seen = new Set<string>();
  const add = (path: string, name: string, inCorpus: boolean) => {
    if (seen.has(path)) return;
    seen.add(path);
    const a = runCounts(path, first, b);
    if (a.counts === null) {
      warnings.push(diagnostic('MRG4054', `${name} did not run to the end under ${first.name} (${a.why}); it is left out of the fit`));
      return;
    }
    const z = last === first ? a : runCounts(path, last, b);
    const stable = z.counts !== null && countDifferences(a.counts, z.counts).length === 0;
    programs.push({ name, path, counts: a.counts, inCorpus, stable });
  };
  for (const f of files) add(f, relative(cwd, f) || basename(f), true);
  for (const p of b.basket.programs) add(join(b.basket.dir, p.file), `${b.basket.name}:${p.file}`, false);
  if (!programs.some((p) => p.inCorpus)) fail('MRG4053', 'no corpus program ran to the end: nothing to fit');
  return { programs, warnings };
}

function byteRow(c: EntityCounts, profiles: readonly RuntimeProfile[]): number[] {
  return profiles.map((p) => Number(bytesOf(p, c)));
}

/** Why no weights of the candidates formed a basket: none is stable, or together they leave a profile without bytes. */
function noBasketWhy(candidateBytes: ByteMatrix, profiles: readonly RuntimeProfile[]): string {
  const empty = profiles.findIndex((_, k) => candidateBytes.every((row) => !((row[k] as number) > 0)));
  if (candidateBytes.length === 0 || empty < 0) return 'no candidate program can form a basket (every one allocates differently under different profiles)';
  return `no candidate program can form a basket: none allocates anything that ${(profiles[empty] as RuntimeProfile).name} gives bytes, so every basket of them would be free there; add a stable program that allocates what it prices`;
}

/** Spreads (max/min over profiles) of programs priced by a blended pricing per profile: the sum of their unrounded parts. */
function blendedSpreads(counts: readonly EntityCounts[], pricings: readonly Pricing[], profiles: readonly RuntimeProfile[]): { spreads: number[]; drift: number } {
  let drift = 1;
  const spreads = counts.map((c) => {
    const pts = pricings.map((pr) => {
      let s = 0;
      for (const v of pointParts(pr, c).values()) s += v;
      return s;
    });
    pts.forEach((v, i) => {
      const pr = pricings[i] as Pricing;
      const bytes = Number(bytesOf(profiles[i] as RuntimeProfile, c));
      if (bytes > 0 && v > 0) {
        const d = (v * (Number(pr.bytes) / Number(pr.entities))) / bytes;
        drift = Math.max(drift, d, 1 / d);
      }
    });
    const lo = Math.min(...pts);
    return lo > 0 ? Math.max(...pts) / lo : 1;
  });
  return { spreads, drift };
}

/** The blend table: spreads and worst byte drift of the corpus under the basket `counts` for λ = 0, ¼, ½, ¾, 1. */
export function blendTable(corpus: readonly EntityCounts[], basketCounts: EntityCounts, profiles: readonly RuntimeProfile[]): BlendRow[] {
  return [0, 0.25, 0.5, 0.75, 1].map((lambda) => blendRow(corpus, basketCounts, profiles, lambda));
}

/** Spreads and the worst byte drift of programs under the basket `basketCounts` blended by λ over `profiles`. */
export function blendRow(corpus: readonly EntityCounts[], basketCounts: EntityCounts, profiles: readonly RuntimeProfile[], lambda: number): BlendRow {
  const pricings = profiles.map((p) => (lambda === 0 ? Pricing.fromCounts(p, basketCounts) : Pricing.blended(p, basketCounts, { lambda, reference: profiles })));
  const { spreads, drift } = blendedSpreads(corpus, pricings, profiles);
  return { lambda, ...spreadStats(spreads), drift };
}

/** The fitted weights' stats on the corpus from exact byte totals. */
function basketStats(chosen: readonly { program: FitProgram; weight: number }[], corpusBytes: ByteMatrix, profiles: readonly RuntimeProfile[]) {
  const total = weightedCounts(chosen.map((c) => ({ weight: c.weight, counts: c.program.counts })));
  const basketBytes = byteRow(total, profiles);
  const spreads = spreadsUnderBasket(corpusBytes, basketBytes);
  const logScales = basketBytes.map((b) => -Math.log(b));
  return { total, spreads, stats: spreadStats(spreads), mean: meanLogSpread(corpusBytes, logScales) };
}

/**
 * The whole fit (quota.md §9) over programs already measured: the current basket's spreads, the
 * floor (exact), a fitted basket and the blend table.
 */
export function fitBasket(programs: readonly FitProgram[], b: BasketInUse, profiles: readonly RuntimeProfile[], opts: FitOptions & { warnings?: Diagnostic[] } = {}): FitReport {
  if (profiles.length < 2) fail('MRG4053', 'a fit compares profiles: give at least two');
  if (profiles.length > MAX_FIT_PROFILES) fail('MRG4053', `a fit takes at most ${MAX_FIT_PROFILES} profiles (got ${profiles.length}); choose them with --profiles`);
  const objective = opts.objective ?? 'worst';
  const corpus = programs.filter((p) => p.inCorpus);
  const corpusBytes = corpus.map((p) => byteRow(p.counts, profiles));
  for (const [i, row] of corpusBytes.entries()) {
    if (row.some((v) => !(v > 0))) fail('MRG4053', `${(corpus[i] as FitProgram).name} allocates nothing that ${profiles[row.findIndex((v) => !(v > 0))]?.name} gives bytes: its spread is undefined; leave it out of the corpus`);
  }
  const names = profiles.map((p) => p.name);

  const currentBytes = byteRow(b.counts, profiles);
  const currentSpreads = spreadsUnderBasket(corpusBytes, currentBytes);
  const worstPrograms = corpus
    .map((p, i) => ({ file: p.name, spread: currentSpreads[i] as number }))
    .sort((x, y) => y.spread - x.spread || (x.file < y.file ? -1 : 1))
    .slice(0, 5);

  const floor = corpusFloor(corpusBytes, profiles.length);

  // Candidates: programs whose counts do not move with prices (else a written basket would be stale at once).
  const candidates = programs.filter((p) => p.stable);
  const candidateBytes = candidates.map((p) => byteRow(p.counts, profiles));
  const weights = fitWeights(corpusBytes, candidateBytes, profiles.length, objective, floor);
  const chosen = weights === null ? [] : candidates.map((program, j) => ({ program, weight: weights[j] as number })).filter((c) => c.weight > 0);
  if (chosen.length === 0) fail('MRG4053', noBasketWhy(candidateBytes, profiles));
  const fitted = basketStats(chosen, corpusBytes, profiles);

  const blend = blendTable(
    corpus.map((p) => p.counts),
    b.counts,
    profiles,
  );
  return {
    programs: corpus.length,
    profiles: names,
    objective,
    basket: b.basket.name,
    current: { ...spreadStats(currentSpreads), worstPrograms },
    floor: { worst: floor.worst, profiles: floor.profiles.map((i) => names[i] as string), programs: floor.programs.map((i) => (corpus[i] as FitProgram).name) },
    pairFloors: floor.pairFloors.map((f) => ({ profiles: [names[f.profiles[0]] as string, names[f.profiles[1]] as string] as const, worst: f.worst })),
    fitted: { ...fitted.stats, meanLogSpread: fitted.mean, weights: new Map(chosen.map((c) => [c.program.name, c.weight])) },
    blend,
    warnings: opts.warnings ?? [],
    chosen,
  };
}

/**
 * A file name for a program copied into a written basket: its own, or numbered when two share one
 * (by its place, or the next number free: `k-2.merge` may be another program's own name).
 */
function copyNames(chosen: readonly { program: FitProgram }[]): string[] {
  const base = chosen.map((c) => basename(c.program.path));
  const shared = (n: string) => base.indexOf(n) !== base.lastIndexOf(n);
  const taken = new Set(base.filter((n) => !shared(n)));
  return base.map((n, i) => {
    if (!shared(n)) return n;
    const stem = n.slice(0, n.length - extname(n).length);
    let k = i + 1;
    while (taken.has(`${stem}-${k}${extname(n)}`)) k++;
    const name = `${stem}-${k}${extname(n)}`;
    taken.add(name);
    return name;
  });
}

/**
 * Writes the fitted basket to the folder `dir` (basket.json, a copy of each program, counts.json):
 * the name is the folder's; warnSpread and portability are kept from the current basket. Refuses a
 * folder that exists and is not a basket (MRG4025), so nothing of the user's is overwritten.
 */
export function writeFittedBasket(dir: string, report: FitReport, current: BasketInUse): string[] {
  const name = basename(dir);
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(name)) fail('MRG4053', `--write ${name}: a basket name is lower-case letters, digits, '-' and '_'`);
  if (existsSync(dir) && (!statSync(dir).isDirectory() || (readdirSync(dir).length > 0 && !existsSync(join(dir, 'basket.json'))))) {
    fail('MRG4025', `cannot write the basket into ${dir}: it exists and is not a basket folder (nothing was written)`);
  }
  const files = copyNames(report.chosen);
  const texts = report.chosen.map((c) => readSourceText(c.program.path));
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    fail('MRG4025', `cannot create ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const programs = report.chosen.map((c, i) => ({ file: files[i] as string, weight: c.weight }));
  const json: Record<string, unknown> = {
    name,
    description: `Fitted by merg-e basket fit (objective ${report.objective}) over ${report.programs} programs and the profiles ${report.profiles.join(', ')}: worst spread ${report.fitted.worst.toFixed(3)} (floor ${report.floor.worst.toFixed(3)}).`,
    programs,
  };
  if (current.basket.warnSpread !== 1.5) json['warnSpread'] = current.basket.warnSpread;
  if (current.basket.portability !== 0) json['portability'] = current.basket.portability;
  const counts = { basket: name, total: weightedCounts(report.chosen.map((c) => ({ weight: c.weight, counts: c.program.counts }))), programs: report.chosen.map((c, i) => ({ file: files[i] as string, weight: c.weight, counts: c.program.counts })) };
  const written: string[] = [];
  const write = (f: string, text: string) => {
    const path = join(dir, f);
    try {
      writeFileAtomic(path, text);
    } catch (e) {
      fail('MRG4025', `cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    written.push(path);
  };
  report.chosen.forEach((_, i) => write(files[i] as string, texts[i] as string));
  write(COUNTS_FILE, basketCountsText(counts));
  write('basket.json', JSON.stringify(json, null, 2) + '\n');
  return written;
}

/** Entities of a program (for tables). */
export function programEntities(p: FitProgram): number {
  return entityTotal(p.counts);
}
