// merg-e basket fit: how portable a basket's points are on a corpus of programs, the floor no basket
// can beat there, a fitted basket that comes close to it, and the portability blend table.
import { join, resolve } from 'node:path';

import { fail, formatDiagnostic } from '../diagnostics.js';
import { isBasketPath, resolveBasket } from '../runtime/basket.js';
import type { FitObjective } from '../model/index.js';
import { corpusFiles, fitBasket, measureCorpus, writeFittedBasket, type FitReport } from '../runtime/basket-fit.js';
import { usableProfiles } from '../runtime/portability.js';
import { resolveProfile } from '../runtime/profiles.js';
import { userBasketsDir } from '../user-folders.js';
import { parseOptions } from './args.js';
import { EXIT_OK, EXIT_STATUS_HELP } from './guard.js';
import type { Io } from './io.js';
import { table } from './table.js';

export const BASKET_FIT_HELP = `usage: merg-e basket fit --corpus DIR [DIR...] [options]

Runs every .merge/.mrg program of the corpus folders once and prints:
  - the current basket's spread over the corpus (median, p90, worst; the five
    worst programs). A spread is a program's RAM-points under the dearest
    profile over those under the cheapest;
  - the floor: the smallest worst spread that any basket can reach on this
    corpus (a profile's prices are its bytes times one scale, so a basket only
    chooses the scales; solved exactly), the profiles and programs that pin
    it, and the floor of every pair of profiles;
  - a fitted basket: whole weights over the corpus's programs and the current
    basket's, whose worst spread comes close to the floor (--objective worst)
    or whose mean log-spread is smallest (--objective mean);
  - the portability blend table: spreads and the worst byte drift (how far
    points stop tracking bytes) for "portability" 0, 0.25, 0.5, 0.75 and 1.

options:
  --corpus DIR          a folder of programs (repeat it, or list more folders)
  --objective worst|mean  what the fit minimizes (default worst)
  --profiles A,B,...    profiles, by name or file (default: every usable one)
  --basket NAME|DIR     the current basket (default standard)
  --write NAME|DIR      write the fitted basket (basket.json, copies of its
                        programs, counts.json) to your baskets folder
                        (${userBasketsDir()}/NAME) or to DIR;
                        then --basket NAME uses it
  --json                print one JSON document: programs, current, floor,
                        pairFloors, fitted, blend
  -h, --help            show this help

${EXIT_STATUS_HELP}
examples:
  merg-e basket fit --corpus baskets/corpus
  merg-e basket fit --corpus baskets/corpus --profiles cpython-dev,jvm,native-compact
  merg-e basket fit --corpus baskets/corpus examples --write portable
  merg-e compare --basket portable examples/grafts.merge
`;

const f3 = (x: number) => x.toFixed(3);

export function fitJson(r: FitReport) {
  return {
    programs: r.programs,
    profiles: r.profiles,
    objective: r.objective,
    basket: r.basket,
    current: { median: r.current.median, p90: r.current.p90, worst: r.current.worst, worstPrograms: r.current.worstPrograms },
    floor: { worst: r.floor.worst, profiles: r.floor.profiles, programs: r.floor.programs },
    pairFloors: r.pairFloors,
    fitted: { median: r.fitted.median, p90: r.fitted.p90, worst: r.fitted.worst, meanLogSpread: r.fitted.meanLogSpread, weights: Object.fromEntries(r.fitted.weights) },
    blend: r.blend.map((b) => ({ lambda: b.lambda, worst: b.worst, p90: b.p90, median: b.median, drift: b.drift })),
  };
}

export function fitText(r: FitReport): string {
  const out: string[] = [`${r.programs} programs, profiles ${r.profiles.join(', ')}`];
  out.push(`current basket '${r.basket}': spread median ${f3(r.current.median)}, p90 ${f3(r.current.p90)}, worst ${f3(r.current.worst)}`);
  out.push(table([['worst programs', 'spread'], ...r.current.worstPrograms.map((p) => [p.file, f3(p.spread)])], ['left', 'right'], '    '));
  const pin = r.floor.profiles.map((p, i) => `${p} → ${r.floor.profiles[(i + 1) % r.floor.profiles.length]}: ${r.floor.programs[i]}`).join('; ');
  out.push(`floor: ${f3(r.floor.worst)} — no basket can bring the worst spread lower on this corpus; pinned by ${r.floor.profiles.join(' / ')} (${pin})`);
  out.push(table([['profiles', 'floor'], ...[...r.pairFloors].sort((a, b) => b.worst - a.worst).map((p) => [p.profiles.join(' / '), f3(p.worst)])], ['left', 'right'], '    '));
  const within = ((r.fitted.worst / r.floor.worst - 1) * 100).toFixed(1);
  out.push(`fitted basket (objective ${r.objective}): spread median ${f3(r.fitted.median)}, p90 ${f3(r.fitted.p90)}, worst ${f3(r.fitted.worst)} (${within}% above the floor)`);
  out.push(table([['program', 'weight'], ...[...r.fitted.weights].sort((a, b) => b[1] - a[1]).map(([f, w]) => [f, String(w)])], ['left', 'right'], '    '));
  out.push(`portability blend (basket '${r.basket}'; "portability" in basket.json): spreads and the worst byte drift`);
  out.push(table([['lambda', 'worst', 'p90', 'median', 'drift'], ...r.blend.map((b) => [String(b.lambda), f3(b.worst), f3(b.p90), f3(b.median), f3(b.drift)])], ['right', 'right', 'right', 'right', 'right'], '    '));
  return out.join('\n') + '\n';
}

export async function basketFit(argv: string[], io: Io): Promise<number> {
  const parsed = parseOptions('merg-e basket fit', argv, {
    corpus: { type: 'string', multiple: true },
    objective: { type: 'string' },
    profiles: { type: 'string' },
    basket: { type: 'string' },
    write: { type: 'string' },
    json: { type: 'boolean' },
  });
  const v = parsed.values;
  if (v.help) {
    io.out(BASKET_FIT_HELP);
    return EXIT_OK;
  }
  const dirs = [...(v.corpus ?? []), ...parsed.positionals];
  if ((v.corpus ?? []).length === 0) fail('MRG4002', 'merg-e basket fit: name the corpus with --corpus DIR (one or more folders of .merge/.mrg programs)');
  const objective = (v.objective ?? 'worst') as FitObjective;
  if (objective !== 'worst' && objective !== 'mean') fail('MRG4002', `merg-e basket fit: --objective is worst or mean, got '${v.objective}'`);
  const current = resolveBasket(v.basket, io.cwd);
  let profiles = usableProfiles(current);
  if (v.profiles !== undefined) {
    const refs = v.profiles.split(',').map((s) => s.trim());
    if (refs.some((s) => s === '')) fail('MRG4002', `merg-e basket fit: --profiles takes names or profile files separated by commas, got '${v.profiles}'`);
    profiles = refs.map((r) => resolveProfile(r, io.cwd));
    if (new Set(profiles.map((p) => p.name)).size !== profiles.length) fail('MRG4002', `merg-e basket fit: --profiles names a profile twice: '${v.profiles}'`);
  }
  const target = v.write === undefined ? null : isBasketPath(v.write) ? resolve(io.cwd, v.write) : join(userBasketsDir(), v.write);
  const files = corpusFiles(dirs, io.cwd);
  const { programs, warnings } = measureCorpus(files, current, profiles, io.cwd);
  for (const w of warnings) io.err(formatDiagnostic(w, { color: io.colorErr }) + '\n');
  const report = fitBasket(programs, current, profiles, { objective, warnings });
  io.out(v.json ? JSON.stringify(fitJson(report)) + '\n' : fitText(report));
  if (target !== null) {
    writeFittedBasket(target, report, current);
    io.err(`wrote the fitted basket to ${target} (use it with --basket ${v.write})\n`);
  }
  return EXIT_OK;
}
