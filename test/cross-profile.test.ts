// The seed's promise, measured: a program resembling the basket costs about the same RAM-points
// under every runtime profile, even where the bytes differ several-fold. Every example's spread is
// reported (test output); the standard basket's own programs must stay within 1.15.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { spread } from '../src/cli/table.js';
import { formatPoints } from '../src/model/index.js';
import { measureBasket } from '../src/runtime/basket-measure.js';
import { loadBasket, STANDARD_BASKET } from '../src/runtime/basket.js';
import { compareProfiles, shippedProfiles, type ProfileRun } from '../src/runtime/compare.js';
import { EXAMPLES_DIR, runnableExamples } from './examples.js';

const LIMIT = 1.15;
const profiles = shippedProfiles();

function row(name: string, runs: readonly ProfileRun[]): string {
  const pts = runs.map((r) => `${r.profile} ${formatPoints(r.mp)}`).join(', ');
  const outcomes = [...new Set(runs.map((r) => (r.result.ok ? 'ok' : `${r.result.error?.name ?? r.result.error?.code} at line ${r.result.error?.line}`)))].join(' / ');
  return `${name.padEnd(28)} points spread ${String(spread(runs.map((r) => r.mp))).padEnd(6)} bytes spread ${String(spread(runs.map((r) => r.bytes))).padEnd(6)} (${pts}; ${outcomes})`;
}

describe('cross-profile spread', () => {
  it('ships the four profiles of quota.md §3', () => {
    expect(profiles).toEqual(expect.arrayContaining(['cpython-dev', 'jvm', 'native-compact', 'v8-measured']));
  });

  it('reports every example\'s RAM-points spread across the shipped profiles', () => {
    const lines = runnableExamples().map((f) => row(`examples/${f}`, compareProfiles({ file: join(EXAMPLES_DIR, f) }, profiles)));
    console.log(`RAM-points and bytes of each example under ${profiles.join(', ')}:\n${lines.join('\n')}`);
    expect(lines.length).toBe(runnableExamples().length);
  });

  const basket = loadBasket(STANDARD_BASKET);
  const runs = basket.programs.map((p) => ({ p, runs: compareProfiles({ file: join(basket.dir, p.file) }, profiles) }));

  it(`the standard basket's programs each stay within ${LIMIT} and run to the end under every profile`, () => {
    console.log(`standard basket under ${profiles.join(', ')}:\n${runs.map(({ p, runs }) => row(`${p.file} (weight ${p.weight})`, runs)).join('\n')}`);
    for (const { p, runs: rs } of runs) {
      for (const r of rs) expect(r.result.error, `${p.file} under ${r.profile}`).toBeNull();
      expect(spread(rs.map((r) => r.mp)), p.file).toBeLessThanOrEqual(LIMIT);
    }
  });

  it(`the basket as a whole (weighted) stays within ${LIMIT}, while its bytes spread far wider`, () => {
    const totals = profiles.map((_, i) => runs.reduce((s, { p, runs: rs }) => s + p.weight * (rs[i] as ProfileRun).mp, 0));
    const bytes = profiles.map((_, i) => runs.reduce((s, { p, runs: rs }) => s + BigInt(p.weight) * (rs[i] as ProfileRun).bytes, 0n));
    console.log(`whole basket: points ${profiles.map((p, i) => `${p} ${formatPoints(totals[i] as number)}`).join(', ')}; spread ${spread(totals)}, bytes spread ${spread(bytes)}`);
    expect(spread(totals)).toBeLessThanOrEqual(LIMIT);
    expect(spread(bytes)).toBeGreaterThan(2);
  });

  it('entity counts do not depend on the profile', () => {
    for (const { p, runs: rs } of runs) {
      const counts = rs.map((r) => JSON.stringify([...r.result.counts.byKind, r.result.counts.stringBytes]));
      expect(new Set(counts).size, p.file).toBe(1);
    }
    expect(measureBasket(basket, { profile: 'v8-measured' })).toEqual(measureBasket(basket, { profile: 'native-compact' }));
  });
});
