// Runtime profiles (quota.md §3): how many bytes one entity of each kind takes in a runtime.
// Strictly validated: a wrong profile silently skews every price, so every defect is an error that
// names the file and the key.
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { fail } from '../diagnostics.js';
import { badKey, isObject, parseJsonObject, readJsonText, type Json } from '../strict-json.js';
import { BASE_KINDS, isScalarKind, MEMBRANE_KINDS, type MembraneKind } from './kinds.js';
import { FLOAT_WIDTHS, parseScalarType } from './types.js';

/**
 * Bytes of `scalar:intN` / `scalar:uintN` without an explicit entry: the first tier whose `maxBits`
 * holds N gives a fixed size (values stored inline or in a fixed box); wider values take
 * `ref + alignUp(header + ceil(N / unitBits) · unitBytes, align)` (a reference to a heap object of
 * `unitBytes`-sized digits behind a header).
 */
export interface IntRule {
  readonly tiers: readonly { readonly maxBits: number; readonly bytes: number }[];
  readonly ref: number;
  readonly header: number;
  readonly unitBits: number;
  readonly unitBytes: number;
  readonly align: number;
}

export interface RuntimeProfile {
  readonly name: string;
  readonly description: string;
  /** Where the numbers come from (documented object layouts). */
  readonly notes: readonly string[];
  /** Base kinds, `string_byte`, the five float kinds, `scalar:bool`, and optional explicit `scalar:intN`. */
  readonly bytes: ReadonlyMap<string, number>;
  readonly intRule: IntRule;
  /** Per membrane kind: extra bytes per entity added through it; keys as `bytes` plus `scalar:*`. */
  readonly extras: ReadonlyMap<MembraneKind, ReadonlyMap<string, number>>;
  /** The file it was loaded from ('' when built in memory). */
  readonly file: string;
}

/** Keys every profile's `bytes` must have. */
export const REQUIRED_BYTES_KEYS: readonly string[] = [
  ...BASE_KINDS,
  'string_byte',
  'scalar:bool',
  ...FLOAT_WIDTHS.map((w) => `scalar:float${w}`),
];
/** Keys every `extras.membrane:<kind>` table must have (explicit `scalar:<T>` entries may be added). */
export const REQUIRED_EXTRAS_KEYS: readonly string[] = [...BASE_KINDS, 'string_byte', 'scalar:*'];
const TOP_KEYS = new Set(['name', 'description', 'notes', 'bytes', 'int_rule', 'extras']);
const RULE_KEYS = ['ref', 'header', 'unit_bits', 'unit_bytes', 'align'] as const;

function bad(file: string, key: string, why: string): never {
  badKey('MRG4010', file, key, why);
}

function byteCount(file: string, key: string, v: Json, min = 0): number {
  if (typeof v !== 'number') bad(file, key, `must be a whole number of bytes, got ${JSON.stringify(v)}`);
  if (!Number.isInteger(v)) bad(file, key, `must be a whole number of bytes, got the fraction ${v}`);
  if (v < min) bad(file, key, v < 0 ? `must not be negative, got ${v}` : `must be at least ${min}, got ${v}`);
  if (v > 1_000_000_000) bad(file, key, `${v} bytes is implausibly large (at most 1e9)`);
  return v;
}

function table(file: string, key: string, v: Json, required: readonly string[], allowScalarStar: boolean): Map<string, number> {
  if (!isObject(v)) bad(file, key, 'must be an object of kind -> bytes');
  const out = new Map<string, number>();
  for (const [k, n] of Object.entries(v)) {
    const known = required.includes(k) || isScalarKind(k) || (allowScalarStar && k === 'scalar:*');
    if (!known) {
      const hint = k.startsWith('scalar:') ? ' (scalar kinds are scalar:<sized type>, e.g. scalar:int32; `int` values count as scalar:intN)' : '';
      bad(file, `${key}.${k}`, `unknown kind${hint}`);
    }
    out.set(k, byteCount(file, `${key}.${k}`, n));
  }
  for (const k of required) if (!out.has(k)) bad(file, `${key}.${k}`, 'missing');
  return out;
}

function intRule(file: string, v: Json): IntRule {
  if (!isObject(v)) bad(file, 'int_rule', 'must be an object');
  for (const k of Object.keys(v)) if (k !== 'tiers' && !(RULE_KEYS as readonly string[]).includes(k)) bad(file, `int_rule.${k}`, 'unknown key');
  for (const k of ['tiers', ...RULE_KEYS]) if (!(k in v)) bad(file, `int_rule.${k}`, 'missing');
  const tiersJson = v['tiers'];
  if (!Array.isArray(tiersJson)) bad(file, 'int_rule.tiers', 'must be an array of {"max_bits", "bytes"}');
  let last = 0;
  const tiers = tiersJson.map((t: Json, i) => {
    const key = `int_rule.tiers[${i}]`;
    if (!isObject(t)) bad(file, key, 'must be an object {"max_bits", "bytes"}');
    for (const k of Object.keys(t)) if (k !== 'max_bits' && k !== 'bytes') bad(file, `${key}.${k}`, 'unknown key');
    if (!('max_bits' in t)) bad(file, `${key}.max_bits`, 'missing');
    if (!('bytes' in t)) bad(file, `${key}.bytes`, 'missing');
    const maxBits = byteCount(file, `${key}.max_bits`, t['max_bits'], 1);
    if (maxBits <= last) bad(file, `${key}.max_bits`, 'tiers must be in increasing max_bits order');
    last = maxBits;
    return { maxBits, bytes: byteCount(file, `${key}.bytes`, t['bytes']) };
  });
  return {
    tiers,
    ref: byteCount(file, 'int_rule.ref', v['ref']),
    header: byteCount(file, 'int_rule.header', v['header']),
    unitBits: byteCount(file, 'int_rule.unit_bits', v['unit_bits'], 1),
    unitBytes: byteCount(file, 'int_rule.unit_bytes', v['unit_bytes'], 1),
    align: byteCount(file, 'int_rule.align', v['align'], 1),
  };
}

/** Parses and validates a profile's JSON text. `file` names it in errors; its base name must match `name`. */
export function parseProfile(text: string, file: string): RuntimeProfile {
  const json = parseJsonObject('MRG4010', text, file);
  for (const k of Object.keys(json)) if (!TOP_KEYS.has(k)) bad(file, k, 'unknown key');
  for (const k of TOP_KEYS) if (!(k in json)) bad(file, k, 'missing');
  const name = json['name'];
  if (typeof name !== 'string' || !/^[a-z0-9][a-z0-9_-]*$/.test(name)) bad(file, 'name', 'must be a lowercase name like "cpython-dev"');
  const stem = basename(file).replace(/\.json$/, '');
  if (file !== '' && file.endsWith('.json') && stem !== name) bad(file, 'name', `"${name}" does not match the file name "${stem}.json"`);
  const description = json['description'];
  if (typeof description !== 'string') bad(file, 'description', 'must be a string');
  const notes = json['notes'];
  if (!Array.isArray(notes) || notes.length === 0 || !notes.every((n) => typeof n === 'string')) {
    bad(file, 'notes', 'must be a non-empty array of strings (cite the object layouts the numbers come from)');
  }
  const bytes = table(file, 'bytes', json['bytes'], REQUIRED_BYTES_KEYS, false);
  const extrasJson = json['extras'];
  if (!isObject(extrasJson)) bad(file, 'extras', 'must be an object with one table per membrane kind');
  const extras = new Map<MembraneKind, Map<string, number>>();
  for (const k of Object.keys(extrasJson)) {
    if (!MEMBRANE_KINDS.some((m) => `membrane:${m}` === k)) bad(file, `extras.${k}`, 'unknown membrane kind (membrane:quota, membrane:copy_on_mutate)');
  }
  for (const m of MEMBRANE_KINDS) {
    const key = `extras.membrane:${m}`;
    if (!(`membrane:${m}` in extrasJson)) bad(file, key, 'missing');
    extras.set(m, table(file, key, extrasJson[`membrane:${m}`], REQUIRED_EXTRAS_KEYS, true));
  }
  return { name, description, notes: notes as string[], bytes, intRule: intRule(file, json['int_rule']), extras, file };
}

export function loadProfile(path: string): RuntimeProfile {
  return parseProfile(readJsonText('MRG4001', path), path);
}

/** The shipped `baskets/runtimes` folder (found upward from this module, so it works from src and dist). */
export function defaultRuntimesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'baskets', 'runtimes');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return join(process.cwd(), 'baskets', 'runtimes');
}

/** Profile names (file stems) in a folder, sorted; hidden files (`.name.json`, editors' backups) are not profiles. */
export function listProfiles(dir = defaultRuntimesDir()): string[] {
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch (e) {
    fail('MRG4001', `cannot list runtime profiles in ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return files.filter((f) => f.endsWith('.json') && !f.startsWith('.')).map((f) => f.slice(0, -5)).sort();
}

export function loadProfileByName(name: string, dir = defaultRuntimesDir()): RuntimeProfile {
  const names = listProfiles(dir);
  if (!names.includes(name)) fail('MRG4011', `no runtime profile named '${name}' in ${dir} (have: ${names.join(', ') || 'none'})`);
  return loadProfile(join(dir, `${name}.json`));
}

/** True when a profile named on the command line is a file (it has a folder part or ends in .json), not a name. */
export function isProfilePath(ref: string): boolean {
  return ref.includes('/') || ref.includes('\\') || ref.endsWith('.json');
}

/** A profile by name (in `dir`) or by path (resolved against `cwd`): MRG4011 / MRG4001 / MRG4010. */
export function loadProfileRef(ref: string, cwd = process.cwd(), dir = defaultRuntimesDir()): RuntimeProfile {
  return isProfilePath(ref) ? loadProfile(resolve(cwd, ref)) : loadProfileByName(ref, dir);
}

function alignUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

/** Bytes of one entity of `kind` (or `string_byte`) under `p`; `scalar:intN`/`uintN` fall back to the int rule. */
export function profileBytes(p: RuntimeProfile, kind: string): number {
  const explicit = p.bytes.get(kind);
  if (explicit !== undefined) return explicit;
  const t = kind.startsWith('scalar:') ? parseScalarType(kind.slice(7)) : undefined;
  if (t && (t.family === 'int' || t.family === 'uint')) {
    const r = p.intRule;
    for (const tier of r.tiers) if (t.bits <= tier.maxBits) return tier.bytes;
    return r.ref + alignUp(r.header + Math.ceil(t.bits / r.unitBits) * r.unitBytes, r.align);
  }
  throw new Error(`profile ${p.name} has no size for entity kind '${kind}'`);
}

/** Extra bytes one entity of `kind` costs when added through a membrane of kind `m`. */
export function extraBytes(p: RuntimeProfile, m: MembraneKind, kind: string): number {
  const t = p.extras.get(m);
  if (!t) throw new Error(`profile ${p.name} has no extras for membrane:${m}`);
  const explicit = t.get(kind);
  if (explicit !== undefined) return explicit;
  if (kind.startsWith('scalar:')) return t.get('scalar:*') ?? 0;
  throw new Error(`profile ${p.name} has no extras for '${kind}' through membrane:${m}`);
}
