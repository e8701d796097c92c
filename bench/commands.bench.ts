// The commands of issue 4 beside what they are made of: `compare` against running the program once
// per profile, `basket` measuring its programs, `merg-e compare` startup against `merg-e run`, and the
// price of reading the standard basket's counts at every run's start.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

import { listProfiles, parseProfile } from '../src/model/index.js';
import { measureBasket } from '../src/runtime/basket-measure.js';
import { defaultBasketsDir, loadBasket, parseBasketCounts, STANDARD_BASKET } from '../src/runtime/basket.js';
import { compareProfiles } from '../src/runtime/compare.js';
import { runProgram } from '../src/runtime/run.js';
import { bestOf, fmt, table, type Bench } from './timing.js';

/** The checkout (the folder holding baskets/ and examples/), from src or dist alike. */
const root = dirname(defaultBasketsDir());
const EXAMPLE = join(root, 'examples', 'compare-profiles.merge');
/** The merg-e executable beside this module (dist/bench → dist/src/cli). */
const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'cli', 'merg-e.js');

function bestSpawn(trials: number, args: string[]): number {
  let best = Infinity;
  for (let i = 0; i < trials; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
    best = Math.min(best, performance.now() - t0);
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}`);
  }
  return best;
}

const bench: Bench = {
  name: 'commands',
  title: 'Commands: compare, basket, and the basket counts read at every run',
  async run() {
    const profiles = listProfiles();
    const source = readFileSync(EXAMPLE, 'utf8');
    const input = { file: EXAMPLE, source };
    // Interleaved rounds, so both see the same machine load; the best of each is kept.
    let runs = Infinity;
    let cmp = Infinity;
    for (let round = 0; round < 15; round++) {
      runs = Math.min(runs, bestOf(1, () => profiles.forEach((profile) => runProgram(input, { profile }))));
      cmp = Math.min(cmp, bestOf(1, () => void compareProfiles(input, profiles)));
    }
    const basket = loadBasket(STANDARD_BASKET);
    const measure = bestOf(3, () => void measureBasket(basket));
    const countsPath = join(basket.dir, 'counts.json');
    const countsText = readFileSync(countsPath, 'utf8');
    const readCounts = bestOf(20, () => void parseBasketCounts(readFileSync(countsPath, 'utf8'), countsPath));
    const profileText = readFileSync(join(root, 'baskets', 'runtimes', 'cpython-dev.json'), 'utf8');
    const readProfile = bestOf(20, () => void parseProfile(readFileSync(join(root, 'baskets', 'runtimes', 'cpython-dev.json'), 'utf8'), 'cpython-dev.json'));
    const runCli = bestSpawn(5, [CLI, 'run', EXAMPLE]);
    const compareCli = bestSpawn(5, [CLI, 'compare', EXAMPLE]);
    return [
      `\`examples/compare-profiles.merge\` under the ${profiles.length} shipped profiles (${profiles.join(', ')}), in one process (best of 15 interleaved rounds):`,
      '',
      table(
        ['what', 'best (ms)', 'ratio'],
        [
          [`${profiles.length} runs, one per profile`, fmt(runs, 2), '1.00x'],
          ['`compareProfiles` (the same runs, checked profiles first)', fmt(cmp, 2), `${fmt(cmp / runs, 2)}x`],
          [`measure the standard basket (${basket.programs.length} programs)`, fmt(measure, 2), ''],
        ],
      ),
      '',
      'Startup, each command as a fresh process (best of 5):',
      '',
      table(
        ['command', 'best (ms)', 'ratio'],
        [
          ['`merg-e run examples/compare-profiles.merge`', fmt(runCli, 1), '1.00x'],
          ['`merg-e compare examples/compare-profiles.merge`', fmt(compareCli, 1), `${fmt(compareCli / runCli, 2)}x`],
        ],
      ),
      '',
      `Every run normalizes by the committed counts (${countsText.length.toLocaleString('en-US')} bytes of JSON), read once per process: ${fmt(readCounts * 1000, 0)} µs, beside ${fmt(readProfile * 1000, 0)} µs to read and check one runtime profile (${profileText.length.toLocaleString('en-US')} bytes).`,
    ].join('\n');
  },
};

export default bench;
