// Mutation survivors of src/runtime/compare.ts: which profile problems fail only their own row (and
// which still fail the whole comparison), the row's name and file for a path or a loaded profile,
// and profile paths relative to opts.cwd.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { defaultRuntimesDir, loadProfile } from '../../src/model/index.js';
import { standardBasket } from '../../src/runtime/basket.js';
import { compareProfiles } from '../../src/runtime/compare.js';
import { EXAMPLES_DIR } from '../examples.js';
import { thrown } from '../support/errors.js';

const input = { file: join(EXAMPLES_DIR, 'compare-profiles.merge') };
let dir = '';

/** jvm.json with every byte count set to 0 and one 0-byte int tier: valid, but the basket weighs nothing (MRG4051). */
function zeroed(v: unknown): unknown {
  if (typeof v === 'number') return 0;
  if (Array.isArray(v)) return v.map(zeroed);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, zeroed(x)]));
  return v;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'merg-e-compare-'));
  const jvm = JSON.parse(readFileSync(join(defaultRuntimesDir(), 'jvm.json'), 'utf8')) as Record<string, unknown>;
  delete jvm.$schema;
  writeFileSync(join(dir, 'zero.json'), JSON.stringify({ ...jvm, name: 'zero', bytes: zeroed(jvm.bytes), int_rule: { tiers: [{ max_bits: 16384, bytes: 0 }], ref: 0, header: 0, unit_bits: 64, unit_bytes: 1, align: 1 }, extras: zeroed(jvm.extras) }));
  writeFileSync(join(dir, 'a.jsonb.json'), '{}');
  mkdirSync(join(dir, 'folder.json'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('compareProfiles: profile problems fail only their row', () => {
  it('an invalid file (MRG4010), an unreadable one (MRG4001) and a weightless one (MRG4051), relative to opts.cwd', () => {
    const runs = compareProfiles(input, ['jvm', 'a.jsonb.json', 'folder.json', 'zero.json'], { cwd: dir });
    expect(runs.map((r) => [r.profile, r.ran, r.result.error?.code ?? null])).toEqual([
      ['jvm', true, null],
      ['a.jsonb', false, 'MRG4010'],
      ['folder', false, 'MRG4001'],
      ['zero', false, 'MRG4051'],
    ]);
    expect(runs.slice(1).map((r) => r.result.error?.file)).toEqual([join(dir, 'a.jsonb.json'), join(dir, 'folder.json'), join(dir, 'zero.json')]);
    expect(runs.slice(1).map((r) => [r.mp, r.bytes, r.pricing])).toEqual([[0, 0n, null], [0, 0n, null], [0, 0n, null]]);
  });

  it('a loaded profile that fails is named by its name, its error by its file (none when built in memory)', () => {
    const zero = loadProfile(join(dir, 'zero.json'));
    const runs = compareProfiles(input, [zero, { ...zero, name: 'mem', file: '' }, 'jvm'], { cwd: dir });
    expect(runs.map((r) => [r.profile, r.ran, r.result.error?.code ?? null])).toEqual([
      ['zero', false, 'MRG4051'],
      ['mem', false, 'MRG4051'],
      ['jvm', true, null],
    ]);
    expect(runs[0]!.result.error?.file).toBe(join(dir, 'zero.json'));
    expect(runs[1]!.result.error?.file).toBeNull();
  });

  it('a basket problem (MRG4020) is not the profile\'s: the whole comparison fails', () => {
    const basket = { ...standardBasket(), counts: { byKind: new Map([['no-such-kind', 1]]), stringBytes: 0 } };
    expect(thrown(() => compareProfiles(input, ['jvm'], { basket } as never)).code).toBe('MRG4020');
  });
});
