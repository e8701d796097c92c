// Merg-E declared types as the interpreter sees them: what a destination accepts and how wide it is.
// Scalar types are the model's (src/model/types.ts); this adds the non-scalar kinds and caches bounds.
import { intRange, MAX_INT_BITS, parseScalarType, type ScalarType } from '../model/types.js';

/**
 * Every integer lies in [−LIMIT, LIMIT): MAX_INT_BITS bits in two's complement whatever the type, as
 * the model checks and prices them (a value of 16,385 bits had no entity kind), so a runaway never
 * hangs on bigint work.
 */
export const INT_MAGNITUDE_LIMIT = 1n << BigInt(MAX_INT_BITS - 1);
export { MAX_INT_BITS };

export type TypeDesc =
  | IntType
  | FloatType
  | { readonly k: 'string'; readonly name: 'string'; readonly scalar: ScalarType }
  | { readonly k: 'bool'; readonly name: 'bool'; readonly scalar: ScalarType }
  | { readonly k: 'dag'; readonly name: 'dag' }
  | { readonly k: 'dataframe'; readonly name: 'dataframe' }
  | { readonly k: 'blocker'; readonly name: 'blocker' };

export interface IntType {
  readonly k: 'int';
  readonly name: string;
  /** 0 for the unbounded `int`. */
  readonly bits: number;
  readonly signed: boolean;
  /** Inclusive bounds; null for `int`. */
  readonly min: bigint | null;
  readonly max: bigint | null;
  readonly scalar: ScalarType;
}

export interface FloatType {
  readonly k: 'float';
  readonly name: string;
  readonly bits: 16 | 32 | 64 | 128 | 256;
  readonly scalar: ScalarType;
}

export const INT: IntType = { k: 'int', name: 'int', bits: 0, signed: true, min: null, max: null, scalar: parseScalarType('int') as ScalarType };
export const STRING: TypeDesc = { k: 'string', name: 'string', scalar: parseScalarType('string') as ScalarType };
export const BOOL: TypeDesc = { k: 'bool', name: 'bool', scalar: parseScalarType('bool') as ScalarType };
export const DAG: TypeDesc = { k: 'dag', name: 'dag' };
export const DATAFRAME: TypeDesc = { k: 'dataframe', name: 'dataframe' };
export const BLOCKER: TypeDesc = { k: 'blocker', name: 'blocker' };

const cache = new Map<string, TypeDesc | null>();

const FIXED = new Map<string, TypeDesc>([
  ['int', INT],
  ['string', STRING],
  ['bool', BOOL],
  ['dag', DAG],
  ['dataframe', DATAFRAME],
  ['blocker', BLOCKER],
  // The older snapshot of the spec calls a blocker an awaitable.
  ['awaitable', BLOCKER],
]);

/** The type a name denotes, or null when it is not a Merg-E type name. */
export function typeByName(name: string): TypeDesc | null {
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  const t = FIXED.get(name) ?? sized(name);
  if (cache.size < 100_000) cache.set(name, t);
  return t;
}

function sized(name: string): TypeDesc | null {
  const scalar = parseScalarType(name);
  if (!scalar) return null;
  if (scalar.family === 'float') return { k: 'float', name, bits: scalar.bits as FloatType['bits'], scalar };
  const r = intRange(scalar);
  if (!r) return null;
  return { k: 'int', name, bits: scalar.bits, signed: scalar.family === 'int', min: r.min, max: r.max, scalar };
}

/** The model's scalar type behind a declared type, or null for dag, dataframe and blocker. */
export function scalarOf(t: TypeDesc): ScalarType | null {
  return 'scalar' in t ? t.scalar : null;
}
