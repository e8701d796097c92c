// Runtime profiles (quota.md §3): the checks a schema cannot make, where the shipped profiles are
// found, which files of a folder are profiles, and the sizes of kinds without an explicit entry —
// every refusal with its whole text.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import type { MembraneKind } from '../../src/model/kinds.js';
import { extraBytes, listProfiles, loadProfileByName, parseProfile, profileBytes, runtimesDirFrom, type RuntimeProfile } from '../../src/model/profile.js';
import { unitProfileJson } from '../../src/testing/unit-world.js';
import { thrown } from '../support/errors.js';

const unitText = (edit: (j: any) => void = () => {}) => {
  const j = unitProfileJson() as any;
  edit(j);
  return JSON.stringify(j);
};
const unit = (): RuntimeProfile => parseProfile(unitText((j) => (j.extras['membrane:quota']['scalar:*'] = 5)), 'unit.json');

describe('parseProfile: the name and the int tiers', () => {
  it('matches the name against the file name only for a .json file', () => {
    expect(parseProfile(unitText(), 'profiles/unit.txt').name).toBe('unit');
    expect(parseProfile(unitText(), '').name).toBe('unit');
    expect(parseProfile(unitText(), 'x/unit.json').file).toBe('x/unit.json');
    // Only the final .json is the extension: the stem of unit.jsonl.json is unit.jsonl.
    expect(thrown(() => parseProfile(unitText(), 'x/unit.jsonl.json')).message).toBe('x/unit.jsonl.json: key "name": "unit" does not match the file name "unit.jsonl.json"');
  });

  it('refuses two tiers with the same max_bits', () => {
    const e = thrown(() => parseProfile(unitText((j) => (j.int_rule.tiers = [{ max_bits: 32, bytes: 4 }, { max_bits: 32, bytes: 8 }])), 'unit.json'));
    expect([e.code, e.message]).toEqual(['MRG4010', 'unit.json: key "int_rule.tiers[1].max_bits": tiers must be in increasing max_bits order']);
  });
});

describe('runtimesDirFrom: the shipped profiles, found upward', () => {
  // root/a/b/c/d/e/f, with baskets/runtimes made where a test asks.
  const tree = (runtimesIn: string | undefined) => {
    const root = mkdtempSync(join(tmpdir(), 'runtimes-'));
    const deep = join(root, 'a', 'b', 'c', 'd', 'e', 'f');
    mkdirSync(deep, { recursive: true });
    if (runtimesIn !== undefined) mkdirSync(join(root, runtimesIn, 'baskets', 'runtimes'), { recursive: true });
    return { root, deep };
  };

  it('takes the folder itself or one of its five nearest parents', () => {
    const here = tree('a/b/c/d/e/f');
    expect(runtimesDirFrom(here.deep, '/elsewhere')).toBe(join(here.deep, 'baskets', 'runtimes'));
    const fiveUp = tree('a');
    expect(runtimesDirFrom(fiveUp.deep, '/elsewhere')).toBe(join(fiveUp.root, 'a', 'baskets', 'runtimes'));
  });

  it('falls back to the working folder six parents up or when there is none', () => {
    const sixUp = tree('');
    expect(runtimesDirFrom(sixUp.deep, '/elsewhere')).toBe(join('/elsewhere', 'baskets', 'runtimes'));
    const none = tree(undefined);
    expect(runtimesDirFrom(none.deep, '/elsewhere')).toBe(join('/elsewhere', 'baskets', 'runtimes'));
  });
});

describe('listProfiles and loadProfileByName', () => {
  it('lists the .json files that are not hidden, by stem, sorted', () => {
    const dir = mkdtempSync(join(tmpdir(), 'profiles-'));
    for (const f of ['zeta.json', 'beta.json', '.hidden.json', 'notes.txt', 'alpha.json', 'old.json.bak', 'mid.json', 'json', '.json']) writeFileSync(join(dir, f), '{}');
    expect(listProfiles(dir)).toEqual(['alpha', 'beta', 'mid', 'zeta']);
  });

  it('says why a folder cannot be listed', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'profiles-')), 'missing');
    const e = thrown(() => listProfiles(dir));
    expect([e.code, e.message]).toEqual(['MRG4001', `cannot list runtime profiles in ${dir}: ENOENT`]);
  });

  it('names an unknown profile and the ones there are, or none', () => {
    const dir = mkdtempSync(join(tmpdir(), 'profiles-'));
    const e = thrown(() => loadProfileByName('pypy', dir));
    expect([e.code, e.message]).toEqual(['MRG4011', `no runtime profile named 'pypy' in ${dir} (have: none)`]);
  });
});

describe('profileBytes and extraBytes: kinds without an explicit entry', () => {
  it('sizes an unlisted intN or uintN by the int rule and nothing else', () => {
    // The unit int rule: one tier up to 64 bits of 10 bytes; wider: 0 + alignUp(20 + ceil(N/64)·8, 4).
    expect([profileBytes(unit(), 'scalar:int7'), profileBytes(unit(), 'scalar:uint64'), profileBytes(unit(), 'scalar:int65')]).toEqual([10, 10, 36]);
    for (const kind of ['widget', 'widget:int32', 'scalar:string', 'scalar:int', 'scalar:float8']) {
      expect(() => profileBytes(unit(), kind)).toThrow(new Error(`profile unit has no size for entity kind '${kind}'`));
    }
  });

  it('gives a scalar its explicit extra or the scalar:* one, and refuses anything else', () => {
    const p = parseProfile(unitText((j) => Object.assign(j.extras['membrane:quota'], { 'scalar:*': 5, 'scalar:int32': 9 })), 'unit.json');
    expect([extraBytes(p, 'quota', 'scalar:int32'), extraBytes(p, 'quota', 'scalar:int7'), extraBytes(p, 'quota', 'dag_node')]).toEqual([9, 5, 0]);
    expect(() => extraBytes(p, 'quota', 'widget')).toThrow(new Error("profile unit has no extras for 'widget' through membrane:quota"));
    // A profile built in memory without a membrane kind's table.
    const bare: RuntimeProfile = { ...p, extras: new Map<MembraneKind, ReadonlyMap<string, number>>([['copy_on_mutate', new Map()]]) };
    expect(() => extraBytes(bare, 'quota', 'scalar:int32')).toThrow(new Error('profile unit has no extras for membrane:quota'));
  });
});
