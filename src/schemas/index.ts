// Checking a profile or basket.json against its JSON Schema (schemas/*.schema.json, compiled by ajv
// into validators.generated.ts). The first defect becomes a coded diagnostic in the project's own
// words, naming the file and the key — `FILE: key "bytes.row": must not be negative, got -1` —
// never ajv's raw text. The words come from the schema: every value's `title` says what it must be.
import { existsSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { Code } from '../diagnostics.js';
import { badKey } from '../strict-json.js';
import { validateBasket, validateProfile } from './validators.generated.js';

/** The part of an ajv error (with `verbose`) this module reads. */
interface SchemaError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  parentSchema?: { title?: string; minimum?: number; maximum?: number; properties?: Record<string, unknown> };
  data?: unknown;
}

type Validator = ((data: unknown) => boolean) & { errors?: SchemaError[] | null };

/** `/int_rule/tiers/1/max_bits` → `int_rule.tiers[1].max_bits` (the key as the messages write it). */
export function keyOf(pointer: string): string {
  let key = '';
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    key += /^[0-9]+$/.test(part) ? `[${part}]` : key === '' ? part : `.${part}`;
  }
  return key;
}

function child(key: string, name: string): string {
  return key === '' ? name : `${key}.${name}`;
}

/** What an unknown key in the object at `key` is called: a profile table's keys are kinds. */
function unknownKey(key: string, allowed: readonly string[]): string {
  if (key === 'bytes' || /^extras\.membrane:/.test(key)) return 'unknown kind (scalar kinds are scalar:<sized type>, e.g. scalar:int32; `int` values count as scalar:intN)';
  if (key === 'extras') return `unknown membrane kind (${allowed.join(', ')})`;
  return `unknown key (allowed: ${allowed.filter((k) => k !== '$schema').join(', ')})`;
}

/** The error in words: [the key it is about, why]. */
export function describeSchemaError(e: SchemaError): [string, string] {
  const key = keyOf(e.instancePath);
  const what = e.parentSchema?.title ?? 'valid';
  const got = JSON.stringify(e.data);
  switch (e.keyword) {
    case 'required':
      return [child(key, String(e.params['missingProperty'])), 'missing'];
    case 'additionalProperties':
      return [child(key, String(e.params['additionalProperty'])), unknownKey(key, Object.keys(e.parentSchema?.properties ?? {}))];
    case 'minimum':
      return [key, typeof e.data === 'number' && e.data < 0 && e.parentSchema?.minimum === 0 ? `must not be negative, got ${got}` : `must be at least ${e.parentSchema?.minimum}, got ${got}`];
    case 'maximum':
      // Sizes and weights have a plausibility cap; a bounded setting (portability ≤ 1) just has a range.
      if ((e.parentSchema?.maximum ?? 0) < 1000) return [key, `must be ${what}, got ${got}`];
      return [key, `${got} is implausibly large (at most ${e.parentSchema?.maximum})`];
    case 'type':
      if (e.params['type'] === 'integer' && typeof e.data === 'number') return [key, `must be ${what}, got the fraction ${got}`];
      return [key, Array.isArray(e.data) || (typeof e.data === 'object' && e.data !== null) ? `must be ${what}` : `must be ${what}, got ${got}`];
    case 'pattern':
      return [key, `must be ${what}, got ${got}`];
    default:
      return [key, `must be ${what}`];
  }
}

function check(validate: Validator, code: Code, json: unknown, file: string): void {
  if (validate(json)) return;
  const e = validate.errors?.[0];
  if (e === undefined) badKey(code, file, '', 'does not match its schema');
  const [key, why] = describeSchemaError(e);
  badKey(code, file, key, why);
}

/** A runtime profile's JSON against schemas/runtime-profile.schema.json (MRG4010 naming file and key). */
export function checkProfileJson(json: unknown, file: string): void {
  check(validateProfile as Validator, 'MRG4010', json, file);
}

/** A basket.json against schemas/basket.schema.json (MRG4020 naming file and key). */
export function checkBasketJson(json: unknown, file: string): void {
  check(validateBasket as Validator, 'MRG4020', json, file);
}

/** The shipped schema file (schemas/NAME.schema.json, found upward from this module). */
export function shippedSchema(name: 'runtime-profile' | 'basket'): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const file = join(dir, 'schemas', `${name}.schema.json`);
    if (existsSync(file)) return file;
    dir = dirname(dir);
  }
  return join(process.cwd(), 'schemas', `${name}.schema.json`);
}

/** A file's "$schema" reference: the shipped schema relative to the folder the file is written to. */
export function schemaReference(name: 'runtime-profile' | 'basket', writtenTo: string): string {
  return relative(dirname(writtenTo), shippedSchema(name)).split(sep).join('/');
}
