// merg-e run --report: the run's points under every profile, priced from its own counts (no rerun),
// and the "unlike the basket" warning (MRG4052) when they spread more than the basket's warnSpread.
import { describe, expect, it } from 'vitest';

import { folder, mergE } from './helpers.js';

const TEXTS = `mutable dag docs;\n${Array.from({ length: 12 }, (_, i) => `mutable string docs.p${i} = "${'lorem ipsum dolor sit amet '.repeat(8)}";`).join('\n')}\n`;

describe('merg-e run --report portability', () => {
  it('prices the run under every profile from its counts: the same points compare reports', async () => {
    const dir = folder({ 't.merge': TEXTS });
    const { code, io } = await mergE(['run', '--report', 't.merge'], dir);
    expect(code).toBe(0);
    const at = io.stderr.indexOf('portability (this run priced from its entity counts under every profile): spread ');
    expect(at).toBeGreaterThan(0);
    const [head, names, points] = io.stderr.slice(at).split('\n');
    const cmp = JSON.parse((await mergE(['compare', '--json', 't.merge'], dir)).io.stdout);
    expect(head).toContain(`spread ${cmp.spread.ramPoints.toFixed(3)} (warn above 1.5)`);
    expect(names!.trim().split(/\s+/)).toEqual(cmp.profiles.map((p: { name: string }) => p.name));
    expect(points!.trim().split(/\s+/).map(Number)).toEqual(cmp.profiles.map((p: { ramPoints: number }) => p.ramPoints));
    expect(io.stderr).toMatch(/\nMRG4052 warning: t\.merge is unlike the basket: .*priced from this run's entity counts\), more than the basket's warnSpread 1\.5; most of the gap is string_byte \(\d+%\) and /);
  });

  it('a basket-like program: the spread, and no warning', async () => {
    const { io } = await mergE(['run', '--report', 'examples/compare-profiles.merge']);
    expect(io.stderr).toMatch(/portability \(this run priced from its entity counts under every profile\): spread 1\.0\d\d \(warn above 1\.5\)/);
    expect(io.stderr).not.toContain('MRG4052');
    expect(io.stderr).not.toContain('the gap between');
  });

  it('without --report nothing is said', async () => {
    const { io } = await mergE(['run', 't.merge'], folder({ 't.merge': TEXTS }));
    expect(io.stderr).toBe('');
  });
});
