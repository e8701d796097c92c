// Portability of RAM-points (quota.md §9): how long `merg-e basket fit` takes on the corpus (as a
// whole command, and in-process split into running the programs and the arithmetic, CPU beside
// wall), and the spread table — median / p90 / worst for the examples, the standard basket's own
// programs, the corpus and its basket-like programs, under the standard basket, a basket fitted on
// corpus + examples, and the standard basket blended with λ = 0.5. Spreads are of unrounded prices.
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

import { bytesOf, corpusFloor, spreadStats, spreadsUnderBasket, weightedCounts, type RuntimeProfile, type SpreadStats } from '../src/model/index.js';
import { standardBasket } from '../src/runtime/basket.js';
import { blendRow, corpusFiles, fitBasket, measureCorpus, type FitProgram } from '../src/runtime/basket-fit.js';
import { usableProfiles } from '../src/runtime/portability.js';
import { fmt, table, type Bench } from './timing.js';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = join(here, '..', '..');
const CLI = join(ROOT, 'bin', 'merg-e.js');
const TARGET_S = 10;

/** Basket-like corpus programs: records, configs and apps (the kinds the standard basket holds). */
const BASKET_LIKE = /^(app|record|config)-/;

function wholeCommand(): { wall: number; cpu: number } {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', process.execPath, CLI, 'basket', 'fit', '--corpus', 'baskets/corpus', '--json'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, MERG_E_CONFIG_DIR: join(ROOT, 'node_modules', '.cache', 'bench-empty-config') } });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`basket fit failed: ${r.stderr}`);
  const [u, s] = (r.stderr.trim().split('\n').pop() ?? '0 0').split(' ').map(Number);
  return { wall, cpu: (u ?? 0) + (s ?? 0) };
}

const f3 = (x: number) => fmt(x, 3);
const stats = (s: SpreadStats) => `${f3(s.median)} / ${f3(s.p90)} / ${f3(s.worst)}`;

function bytesRows(ps: readonly FitProgram[], profiles: readonly RuntimeProfile[]): number[][] {
  return ps.map((p) => profiles.map((q) => Number(bytesOf(q, p.counts))));
}

const bench: Bench = {
  name: 'portability',
  title: 'Portability: basket fit and spreads',
  async run() {
    const load = loadavg().map((l) => l.toFixed(2)).join(' ');
    const basket = standardBasket();
    const profiles = usableProfiles(basket);

    // 1. The whole command, three times (best and median wall; CPU of the process beside it).
    const cmds = [wholeCommand(), wholeCommand(), wholeCommand()].sort((a, b) => a.wall - b.wall);
    // In-process: running the programs, then the arithmetic.
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const corpusOnly = measureCorpus(corpusFiles(['baskets/corpus'], ROOT), basket, profiles, ROOT);
    const t1 = performance.now();
    const fitCorpus = fitBasket(corpusOnly.programs, basket, profiles);
    const t2 = performance.now();
    const cpu = process.cpuUsage(cpu0);

    // 2. Corpus + examples: the issue's target set.
    const both = measureCorpus(corpusFiles(['baskets/corpus', 'examples'], ROOT), basket, profiles, ROOT);
    const fit = fitBasket(both.programs, basket, profiles);
    const fittedBytes = profiles.map((p) => Number(bytesOf(p, weightedCounts(fit.chosen.map((c) => ({ weight: c.weight, counts: c.program.counts }))))));
    const currentBytes = profiles.map((p) => Number(bytesOf(p, basket.counts)));

    // 3. Basket-like programs and the standard basket's own, and a basket re-fitted to them.
    const like = both.programs.filter((p) => (p.inCorpus && BASKET_LIKE.test(p.name.split('/').pop() ?? '')) || !p.inCorpus).map((p) => ({ ...p, inCorpus: true }));
    const likeFit = fitBasket(like, basket, profiles);
    const likeMean = fitBasket(like, basket, profiles, { objective: 'mean' });

    const sets: { label: string; ps: FitProgram[] }[] = [
      { label: `examples/ (${both.programs.filter((p) => p.inCorpus && p.name.startsWith('examples/')).length} that run to the end)`, ps: both.programs.filter((p) => p.inCorpus && p.name.startsWith('examples/')) },
      { label: `standard basket's programs (${both.programs.filter((p) => !p.inCorpus).length})`, ps: both.programs.filter((p) => !p.inCorpus) },
      { label: `baskets/corpus (${corpusOnly.programs.filter((p) => p.inCorpus).length})`, ps: both.programs.filter((p) => p.inCorpus && p.name.startsWith('baskets/corpus/')) },
      { label: `basket-like: corpus app-/record-/config- + basket programs (${like.length})`, ps: like },
    ];
    const rows = sets.map(({ label, ps }) => {
      const b = bytesRows(ps, profiles);
      const cur = spreadStats(spreadsUnderBasket(b, currentBytes));
      const fitted = spreadStats(spreadsUnderBasket(b, fittedBytes));
      const half = blendRow(
        ps.map((p) => p.counts),
        basket.counts,
        profiles,
        0.5,
      );
      return [label, stats(cur), stats(fitted), stats(half), f3(half.drift), f3(corpusFloor(b, profiles.length).worst)];
    });

    const within = (fit.fitted.worst / fit.floor.worst - 1) * 100;
    const out: string[] = [];
    out.push(`Load average at start: ${load} (2 cores shared). Profiles: ${profiles.map((p) => p.name).join(', ')}.`);
    out.push('');
    out.push('### Time of `merg-e basket fit --corpus baskets/corpus` (51 programs, each run twice: under the first and the last profile)');
    out.push('');
    out.push(
      table(
        ['measure', 'seconds', 'target'],
        [
          ['whole command, best of 3 (wall)', fmt(cmds[0]?.wall ?? 0), `< ${TARGET_S} s: ${(cmds[0]?.wall ?? 0) < TARGET_S ? 'met' : 'missed'}`],
          ['whole command, median of 3 (wall)', fmt(cmds[1]?.wall ?? 0), ''],
          ['whole command, CPU (user + sys) of the median run', fmt(cmds[1]?.cpu ?? 0), ''],
          ['in-process: running the programs (wall)', fmt((t1 - t0) / 1000), ''],
          ['in-process: floor, fit and blend table (wall)', fmt((t2 - t1) / 1000), ''],
          ['in-process: both, CPU', fmt((cpu.user + cpu.system) / 1e6), ''],
        ],
      ),
    );
    out.push('');
    out.push(`Corpus alone: floor ${f3(fitCorpus.floor.worst)} (${fitCorpus.floor.profiles.join(' / ')}), fitted worst ${f3(fitCorpus.fitted.worst)}.`);
    out.push('');
    out.push('### Spreads: median / p90 / worst');
    out.push('');
    out.push(`"fitted": the basket \`merg-e basket fit --corpus baskets/corpus examples\` fits (weights ${[...fit.fitted.weights].map(([f, w]) => `${f} ${w}`).join(', ')}). "λ = 0.5": the standard basket with \`"portability": 0.5\`; drift is its worst byte drift. "floor": the floor of that set alone.`);
    out.push('');
    out.push(table(['programs', 'standard basket', 'fitted', 'λ = 0.5', 'drift at 0.5', 'floor'], rows));
    out.push('');
    out.push('### Targets');
    out.push('');
    out.push(
      table(
        ['target', 'measured', 'result'],
        [
          ['corpus + examples: fitted basket within 2% of the floor', `floor ${f3(fit.floor.worst)}, fitted ${f3(fit.fitted.worst)} (+${fmt(within, 1)}%)`, within <= 2 ? 'met' : 'missed'],
          [
            'basket-like programs, basket re-fitted to them: median ≤ 1.15, worst ≤ 1.3',
            `median ${f3(likeFit.fitted.median)}, worst ${f3(likeFit.fitted.worst)} (floor ${f3(likeFit.floor.worst)}, ${likeFit.floor.profiles.join(' / ')})`,
            likeFit.fitted.median <= 1.15 && likeFit.fitted.worst <= 1.3 ? 'met' : likeFit.fitted.median <= 1.15 ? 'median met, worst missed' : 'missed',
          ],
          [
            'the same, fitted with --objective mean',
            `median ${f3(likeMean.fitted.median)}, worst ${f3(likeMean.fitted.worst)}`,
            likeMean.fitted.median <= 1.15 && likeMean.fitted.worst <= 1.3 ? 'met' : likeMean.fitted.median <= 1.15 ? 'median met, worst missed' : 'missed',
          ],
        ],
      ),
    );
    return out.join('\n');
  },
};

export default bench;
