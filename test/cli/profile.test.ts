// merg-e profile measure: this interpreter's entity sizes on the V8 heap, as a strict runtime profile.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

import { defaultRuntimesDir, loadProfile, loadProfileByName, parseProfile, profileBytes } from '../../src/model/index.js';
import { measureEntityBytes } from '../../src/runtime/heap-profile.js';
import { shippedSchema } from '../../src/schemas/index.js';
import { userProfilesDir } from '../../src/user-folders.js';
import { folder, mergE } from './helpers.js';

describe('merg-e profile measure', () => {
  it('writes a valid v8-measured profile to --out and summarizes it', async () => {
    const dir = folder({});
    const { code, io } = await mergE(['profile', 'measure', '--out', 'v8.json', '--count', '200', '--samples', '1'], dir);
    expect(code).toBe(0);
    expect(io.stdout).toBe('');
    expect(io.stderr).toMatch(/^wrote v8\.json: dag_node \d+ B, scalar:int32 \d+ B, string \d+ B \+ \d+ B\/byte, row \d+ B, scope \d+ B\n$/);
    // parseProfile checks the name against the file name, so read it under its real name.
    const p = parseProfile(readFileSync(join(dir, 'v8.json'), 'utf8'), 'v8-measured.json');
    expect(p.name).toBe('v8-measured');
    expect(p.notes.join(' ')).toContain('count 200, median of 1 samples');
  });

  it('refuses bad usage with MRG4002 (exit 2)', async () => {
    for (const args of [['profile'], ['profile', 'guess'], ['profile', 'measure', 'extra'], ['profile', 'measure', '--count', '10'], ['profile', 'measure', '--samples', 'x'], ['profile', 'measure', '--bogus']]) {
      const r = await mergE(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.io.stderr).toContain('MRG4002');
    }
  });

  it('an unwritable --out is MRG4025 (exit 1)', async () => {
    const r = await mergE(['profile', 'measure', '--out', '/nonexistent-dir/v8.json', '--count', '200', '--samples', '1']);
    expect(r.code).toBe(1);
    expect(r.io.stderr).toContain('MRG4025');
  });

  it('--help shows the usage with examples', async () => {
    const { code, io } = await mergE(['profile', '--help']);
    expect(code).toBe(0);
    expect(io.stdout).toContain('examples:\n  merg-e profile list\n  merg-e profile measure\n');
  });
});

describe('the shipped v8-measured profile', () => {
  const shipped = loadProfileByName('v8-measured');

  it('is a strict profile measured by this command', () => {
    expect(loadProfile(join(defaultRuntimesDir(), 'v8-measured.json'))).toEqual(shipped);
    expect(shipped.notes[0]).toMatch(/^Measured \d{4}-\d{2}-\d{2} with count \d+/);
  });

  it('still matches this interpreter: a fresh measurement of the main kinds lands within 35%', () => {
    // Sizes change when the model's data structures do; then run `merg-e profile measure` again.
    const main = ['dag_node', 'scalar:int32', 'scalar:int64', 'scalar:int2048', 'string@16', 'string@272', 'scope', 'dataframe', 'membrane:quota'];
    const fresh = measureEntityBytes((k) => main.includes(k), 'plain', { count: 10_000, samples: 3 });
    const shippedBytes = (k: string) => (k.startsWith('string@') ? profileBytes(shipped, 'string') + Number(k.slice(7)) * profileBytes(shipped, 'string_byte') : profileBytes(shipped, k));
    for (const kind of main) {
      const [a, b] = [shippedBytes(kind), (fresh.get(kind) as { bytes: number }).bytes];
      expect(Math.abs(a - b) / a, `${kind}: shipped ${a} B, measured now ${b.toFixed(1)} B`).toBeLessThan(0.35);
    }
    // What V8 stores: BigInt digits of 8 bytes (an int2048 holds 31 more than an int64), one byte per ASCII character.
    const get = (k: string) => (fresh.get(k) as { bytes: number }).bytes;
    const digit = (get('scalar:int2048') - get('scalar:int64')) / 31;
    expect(digit).toBeGreaterThan(6);
    expect(digit).toBeLessThan(10);
    const perChar = (get('string@272') - get('string@16')) / 256;
    expect(perChar).toBeGreaterThan(0.7);
    expect(perChar).toBeLessThan(1.3);
  });
});

describe("the user's own profiles", () => {
  const shippedText = (name: string) => readFileSync(join(defaultRuntimesDir(), `${name}.json`), 'utf8');
  /** A copy of a shipped profile under another name, with every byte size doubled. */
  function doubled(from: string, name: string): string {
    const doc = JSON.parse(shippedText(from)) as { name: string; bytes: Record<string, number> };
    doc.name = name;
    for (const k of Object.keys(doc.bytes)) doc.bytes[k] = doc.bytes[k]! * 2;
    return JSON.stringify(doc);
  }

  it('profile measure writes into the user profile folder by default, never into baskets/runtimes', async () => {
    const before = shippedText('v8-measured');
    const { code, io } = await mergE(['profile', 'measure', '--count', '200', '--samples', '1'], folder({}));
    expect(code).toBe(0);
    const written = join(userProfilesDir(), 'v8-measured.json');
    expect(io.stderr).toContain(`wrote ${written}`);
    expect(loadProfile(written).name).toBe('v8-measured');
    // Editors find the shipped schema from the user's folder too.
    const ref = (JSON.parse(readFileSync(written, 'utf8')) as { $schema: string }).$schema;
    expect(resolve(dirname(written), ref)).toBe(shippedSchema('runtime-profile'));
    expect(shippedText('v8-measured')).toBe(before);
    const list = JSON.parse((await mergE(['profile', 'list', '--json'])).io.stdout) as { name: string; origin: string; shadows: boolean; file: string }[];
    expect(list.find((e) => e.name === 'v8-measured')).toEqual({ name: 'v8-measured', origin: 'user', shadows: true, file: written });
    rmSync(written);
  });

  it('are listed beside the shipped ones and used by name; a file path works anywhere a name does', async () => {
    mkdirSync(userProfilesDir(), { recursive: true });
    writeFileSync(join(userProfilesDir(), 'big.json'), doubled('cpython-dev', 'big'));
    writeFileSync(join(userProfilesDir(), '.big.json'), 'an editor backup, not a profile');
    try {
      const text = (await mergE(['profile', 'list'])).io.stdout;
      expect(text).toMatch(/^big +yours +\S+big\.json$/m);
      expect(text).toMatch(/^cpython-dev +shipped /m);
      expect(text).toContain(`your profile folder: ${userProfilesDir()}`);
      const dir = folder({ 'p.merge': 'dag d;\nd.x = 1;\n', 'mine.json': doubled('jvm', 'mine') });
      const base = JSON.parse((await mergE(['run', '--json', 'p.merge'], dir)).io.stdout);
      const big = JSON.parse((await mergE(['run', '--json', '--profile', 'big', 'p.merge'], dir)).io.stdout);
      expect(big.profile).toBe('big');
      expect(big.bytes).toBe(base.bytes * 2);
      const byFile = JSON.parse((await mergE(['run', '--json', '--profile', './mine.json', 'p.merge'], dir)).io.stdout);
      expect(byFile.profile).toBe('mine');
      const cmp = JSON.parse((await mergE(['compare', '--json', 'p.merge'], dir)).io.stdout);
      expect(cmp.profiles.map((p: { name: string }) => p.name)).toContain('big');
      const two = JSON.parse((await mergE(['compare', '--json', '--profiles', 'big,mine.json', 'p.merge'], dir)).io.stdout);
      expect(two.profiles.map((p: { name: string }) => p.name)).toEqual(['big', 'mine']);
    } finally {
      rmSync(userProfilesDir(), { recursive: true });
    }
  });

  it('a broken profile file named by path is MRG4010 naming the file and key', async () => {
    const dir = folder({ 'p.merge': 'cout 1 endl;\n', 'bad.json': JSON.stringify({ ...JSON.parse(shippedText('jvm')), name: 'bad', bytes: {} }) });
    const { code, io } = await mergE(['run', '--json', '--profile', 'bad.json', 'p.merge'], dir);
    expect(code).toBe(1);
    const doc = JSON.parse(io.stdout);
    expect(doc.error).toMatchObject({ code: 'MRG4010', file: join(dir, 'bad.json') });
    expect(doc.error.message).toContain('key "bytes.');
  });
});
