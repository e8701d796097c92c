// Runtime profiles (quota.md §3): how many bytes one entity of each kind takes in a runtime.
// Strictly validated: a wrong profile silently skews every price, so every defect is an error that
// names the file and the key.
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { fail } from '../diagnostics.js';
import { checkProfileJson } from '../schemas/index.js';
import { badKey, parseJsonObject, readJsonText } from '../strict-json.js';
import { MEMBRANE_KINDS, type MembraneKind } from './kinds.js';
import { parseScalarType } from './types.js';

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

export { REQUIRED_BYTES_KEYS, REQUIRED_EXTRAS_KEYS } from './kinds.js';

/** A profile file's JSON, as schemas/runtime-profile.schema.json describes it. */
export interface ProfileJson {
  name: string;
  description: string;
  notes: string[];
  bytes: Record<string, number>;
  int_rule: { tiers: { max_bits: number; bytes: number }[]; ref: number; header: number; unit_bits: number; unit_bytes: number; align: number };
  extras: Record<`membrane:${MembraneKind}`, Record<string, number>>;
}

function bad(file: string, key: string, why: string): never {
  badKey('MRG4010', file, key, why);
}

/** A kind -> bytes table as a Map; the schema checked the keys and numbers. */
function table(v: Record<string, number>): Map<string, number> {
  return new Map(Object.entries(v));
}

/**
 * Parses and validates a profile's JSON text. `file` names it in errors; its base name must match
 * `name`. The structure is checked against the profile's JSON Schema (src/schemas); what a schema
 * cannot say — the name against the file name, the order of the int tiers — is checked here.
 */
export function parseProfile(text: string, file: string): RuntimeProfile {
  const raw = parseJsonObject('MRG4010', text, file);
  checkProfileJson(raw, file);
  const json = raw as unknown as ProfileJson;
  const stem = basename(file).replace(/\.json$/, '');
  if (file.endsWith('.json') && stem !== json.name) bad(file, 'name', `"${json.name}" does not match the file name "${stem}.json"`);
  let last = 0;
  json.int_rule.tiers.forEach((t, i) => {
    if (t.max_bits <= last) bad(file, `int_rule.tiers[${i}].max_bits`, 'tiers must be in increasing max_bits order');
    last = t.max_bits;
  });
  const r = json.int_rule;
  const intRule: IntRule = {
    tiers: r.tiers.map((t) => ({ maxBits: t.max_bits, bytes: t.bytes })),
    ref: r.ref,
    header: r.header,
    unitBits: r.unit_bits,
    unitBytes: r.unit_bytes,
    align: r.align,
  };
  const extras = new Map<MembraneKind, Map<string, number>>(MEMBRANE_KINDS.map((m) => [m, table(json.extras[`membrane:${m}`])]));
  return { name: json.name, description: json.description, notes: json.notes, bytes: table(json.bytes), intRule, extras, file };
}

export function loadProfile(path: string): RuntimeProfile {
  return parseProfile(readJsonText('MRG4001', path), path);
}

/** The shipped `baskets/runtimes` folder (found upward from this module, so it works from src and dist). */
export function defaultRuntimesDir(): string {
  return runtimesDirFrom(dirname(fileURLToPath(import.meta.url)), process.cwd());
}

/** `baskets/runtimes` in `from` or in one of its five nearest parent folders; else the one under `cwd`. */
export function runtimesDirFrom(from: string, cwd: string): string {
  let dir = from;
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'baskets', 'runtimes');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return join(cwd, 'baskets', 'runtimes');
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
