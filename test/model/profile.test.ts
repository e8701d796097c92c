import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { extraBytes, listProfiles, loadProfile, loadProfileByName, parseProfile, profileBytes, REQUIRED_BYTES_KEYS } from '../../src/model/index.js';
import { RUNTIMES, unitProfileJson } from './fixtures.js';
import { thrown } from '../support/errors.js';

const text = (o: unknown) => JSON.stringify(o);

describe('shipped runtime profiles', () => {
  it('ships at least the three runtimes, each valid, cited and distinct', () => {
    const names = listProfiles(RUNTIMES);
    expect(names).toEqual(expect.arrayContaining(['cpython-dev', 'native-compact', 'jvm']));
    const sizes = names.map((n) => {
      const p = loadProfileByName(n, RUNTIMES);
      expect(p.notes.length).toBeGreaterThan(3);
      for (const k of REQUIRED_BYTES_KEYS) expect(profileBytes(p, k)).toBeGreaterThanOrEqual(0);
      return ['dag_node', 'scalar:int32', 'scalar:int2048', 'string'].map((k) => profileBytes(p, k)).join(',');
    });
    expect(new Set(sizes).size).toBe(sizes.length);
  });

  it('derives integer sizes from the documented layouts', () => {
    const py = loadProfileByName('cpython-dev', RUNTIMES);
    expect(profileBytes(py, 'scalar:int32')).toBe(40); // 8 ref + alignUp(24 + 2·4, 16)
    expect(profileBytes(py, 'scalar:int64')).toBe(56);
    expect(profileBytes(py, 'scalar:int2048')).toBe(312);
    const nat = loadProfileByName('native-compact', RUNTIMES);
    expect(profileBytes(nat, 'scalar:int64')).toBe(16);
    expect(profileBytes(nat, 'scalar:int128')).toBe(40);
    const jvm = loadProfileByName('jvm', RUNTIMES);
    expect(profileBytes(jvm, 'scalar:int32')).toBe(20);
    expect(profileBytes(jvm, 'scalar:uint33')).toBe(28);
    expect(profileBytes(jvm, 'scalar:int128')).toBe(76);
  });

  it('makes an int128 through copy_on_mutate relatively dearer on the native runtime (the seed\'s runtime B)', () => {
    const ratio = (n: string) => {
      const p = loadProfileByName(n, RUNTIMES);
      return extraBytes(p, 'copy_on_mutate', 'scalar:int128') / profileBytes(p, 'scalar:int128');
    };
    expect(ratio('native-compact')).toBeGreaterThan(ratio('cpython-dev'));
    expect(ratio('native-compact')).toBeGreaterThan(ratio('jvm'));
  });
});

describe('profile validation names the file and the key', () => {
  const base = unitProfileJson();
  const with_ = (f: (o: Record<string, any>) => void) => {
    const o = structuredClone(base) as Record<string, any>;
    f(o);
    return text(o);
  };

  it('accepts the base test profile', () => {
    expect(parseProfile(text(base), 'unit.json').name).toBe('unit');
  });

  it.each([
    ['a missing kind', (o: any) => delete o.bytes.dag_node, 'key "bytes.dag_node": missing'],
    ['a missing float kind', (o: any) => delete o.bytes['scalar:float128'], 'key "bytes.scalar:float128": missing'],
    ['a negative byte count', (o: any) => (o.bytes.row = -1), 'key "bytes.row": must not be negative, got -1'],
    ['a fractional byte count', (o: any) => (o.bytes.string_byte = 1.5), 'key "bytes.string_byte": must be a whole number of bytes, got the fraction 1.5'],
    ['a string byte count', (o: any) => (o.bytes.row = '8'), 'key "bytes.row": must be a whole number of bytes, got "8"'],
    ['an unknown kind', (o: any) => (o.bytes.widget = 3), 'key "bytes.widget": unknown kind'],
    ['an unknown scalar kind', (o: any) => (o.bytes['scalar:int'] = 3), 'key "bytes.scalar:int": unknown kind'],
    ['an unknown top-level key', (o: any) => (o.colour = 'red'), 'key "colour": unknown key'],
    ['__proto__ as a key', (o: any) => Object.defineProperty(o.bytes, '__proto__', { value: 1, enumerable: true }), 'key "bytes.__proto__": unknown kind'],
    ['a missing extras table', (o: any) => delete o.extras['membrane:copy_on_mutate'], 'key "extras.membrane:copy_on_mutate": missing'],
    ['a missing extras kind', (o: any) => delete o.extras['membrane:quota']['scalar:*'], 'key "extras.membrane:quota.scalar:*": missing'],
    ['an unknown membrane kind', (o: any) => (o.extras['membrane:vault'] = {}), 'key "extras.membrane:vault": unknown membrane kind'],
    ['a missing int rule field', (o: any) => delete o.int_rule.unit_bits, 'key "int_rule.unit_bits": missing'],
    ['a zero alignment', (o: any) => (o.int_rule.align = 0), 'key "int_rule.align": must be at least 1, got 0'],
    ['unordered tiers', (o: any) => (o.int_rule.tiers = [{ max_bits: 64, bytes: 8 }, { max_bits: 32, bytes: 4 }]), 'key "int_rule.tiers[1].max_bits": tiers must be in increasing max_bits order'],
    ['empty notes', (o: any) => (o.notes = []), 'key "notes": must be a non-empty array'],
    ['a name that is not the file name', (o: any) => (o.name = 'other'), 'key "name": "other" does not match the file name "unit.json"'],
  ])('refuses %s', (_what, edit, message) => {
    const e = thrown(() => parseProfile(with_(edit), 'baskets/runtimes/unit.json'));
    expect(e.code).toBe('MRG4010');
    expect(e.message).toContain('baskets/runtimes/unit.json: ');
    expect(e.message).toContain(message);
  });

  it('refuses bad JSON with the parser\'s reason', () => {
    const e = thrown(() => parseProfile('{"name": "unit",', 'x/unit.json'));
    expect(e.code).toBe('MRG4010');
    expect(e.message).toBe('x/unit.json: not valid JSON at line 1, column 17: expected double-quoted property name');
  });

  it('loads files from a folder and names unknown profiles', () => {
    const dir = mkdtempSync(join(tmpdir(), 'profiles-'));
    writeFileSync(join(dir, 'unit.json'), text(base));
    writeFileSync(join(dir, 'broken.json'), '[');
    expect(listProfiles(dir)).toEqual(['broken', 'unit']);
    expect(loadProfile(join(dir, 'unit.json')).file).toBe(join(dir, 'unit.json'));
    expect(thrown(() => loadProfileByName('broken', dir)).code).toBe('MRG4010');
    const unknown = thrown(() => loadProfileByName('pypy', dir));
    expect(unknown.code).toBe('MRG4011');
    expect(unknown.message).toContain('have: broken, unit');
    expect(thrown(() => loadProfile(join(dir, 'none.json'))).code).toBe('MRG4001');
  });
});
