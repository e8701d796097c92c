// Entity kinds (quota.md §2) and their interning into small integers, so hot counters are arrays.
import { entityKindOf, FLOAT_WIDTHS, parseScalarType, type ScalarType, type ScalarValue } from './types.js';

/** Every entity kind that is not a scalar. `string` is the string entity (its bytes: `string_byte`). */
export const BASE_KINDS = [
  'dag_node',
  'dataframe',
  'row',
  'string',
  'membrane:quota',
  'membrane:copy_on_mutate',
  'scope',
  'blocker',
] as const;
export type BaseKind = (typeof BASE_KINDS)[number];

export const MEMBRANE_KINDS = ['quota', 'copy_on_mutate'] as const;
export type MembraneKind = (typeof MEMBRANE_KINDS)[number];

/** Keys every runtime profile's `bytes` must have. */
export const REQUIRED_BYTES_KEYS: readonly string[] = [...BASE_KINDS, 'string_byte', 'scalar:bool', ...FLOAT_WIDTHS.map((w) => `scalar:float${w}`)];
/** Keys every `extras.membrane:<kind>` table of a profile must have (explicit `scalar:<T>` entries may be added). */
export const REQUIRED_EXTRAS_KEYS: readonly string[] = [...BASE_KINDS, 'string_byte', 'scalar:*'];

/** True for `scalar:<T>` where T is a sized scalar type (int8, uint64, float256, bool; not `int`/`string`). */
export function isScalarKind(kind: string): boolean {
  if (!kind.startsWith('scalar:')) return false;
  const t = parseScalarType(kind.slice(7));
  return t !== undefined && t.family !== 'bigint' && t.family !== 'string';
}

export function isEntityKind(kind: string): boolean {
  return (BASE_KINDS as readonly string[]).includes(kind) || isScalarKind(kind);
}

const ids = new Map<string, number>();
const names: string[] = [];

/** A small stable integer for a kind (process-wide; the table only grows). */
export function kindId(kind: string): number {
  let id = ids.get(kind);
  if (id === undefined) {
    id = names.length;
    names.push(kind);
    ids.set(kind, id);
  }
  return id;
}

const fixedKinds = new Map<string, number>();

/** kindId(entityKindOf(t, v)); for every type but `int` the kind is the type's own, looked up by name
 *  without building the kind's name again (an assignment's hot path). */
export function scalarKindId(t: ScalarType, v: ScalarValue): number {
  if (t.family === 'bigint') return intKindId(v as bigint);
  let id = fixedKinds.get(t.name);
  if (id === undefined) {
    id = kindId(entityKindOf(t, v));
    fixedKinds.set(t.name, id);
  }
  return id;
}

const SMALL_INT = 1n << 31n;
/** Kind ids of scalar:int8 … scalar:int32 by byte count. */
const SMALL_KIDS: number[] = [];

/** Value ranges of `int` values of 1…8 bytes and their kinds (scalar:int8 … scalar:int64). */
const INT_TIERS: { readonly lo: bigint; readonly hi: bigint; readonly kid: number }[] = [];

/** The kind id of an `int` value (`scalar:intN` of its minimal bytes) without building its name. */
export function intKindId(v: bigint): number {
  // Small values (most of them) by their bit count, in plain number arithmetic.
  if (v > -SMALL_INT && v < SMALL_INT) {
    const n = Number(v);
    const bytes = (40 - Math.clz32(n < 0 ? -n - 1 : n)) >> 3;
    let kid = SMALL_KIDS[bytes];
    if (kid === undefined) kid = SMALL_KIDS[bytes] = kindId(`scalar:int${8 * bytes}`);
    return kid;
  }
  if (INT_TIERS.length === 0) {
    for (let b = 1; b <= 8; b++) INT_TIERS.push({ lo: -(1n << BigInt(8 * b - 1)), hi: (1n << BigInt(8 * b - 1)) - 1n, kid: kindId(`scalar:int${8 * b}`) });
  }
  for (let i = 0; i < INT_TIERS.length; i++) {
    const t = INT_TIERS[i] as (typeof INT_TIERS)[number];
    if (v >= t.lo && v <= t.hi) return t.kid;
  }
  return kindId(entityKindOf(parseScalarType('int') as ScalarType, v));
}

export function kindName(id: number): string {
  const n = names[id];
  if (n === undefined) throw new Error(`unknown kind id ${id}`);
  return n;
}

export const K_DAG_NODE = kindId('dag_node');
export const K_DATAFRAME = kindId('dataframe');
export const K_ROW = kindId('row');
export const K_STRING = kindId('string');
export const K_MEMBRANE_QUOTA = kindId('membrane:quota');
export const K_MEMBRANE_COM = kindId('membrane:copy_on_mutate');
export const K_SCOPE = kindId('scope');
export const K_BLOCKER = kindId('blocker');

/** A growable array of counters indexed by kind id. */
export function bump(arr: number[], id: number, by: number): void {
  while (arr.length <= id) arr.push(0);
  arr[id] = (arr[id] as number) + by;
}

/** Non-zero entries of a kind-indexed array as a Map sorted by kind name. */
export function kindMap(arr: readonly number[]): Map<string, number> {
  const out: [string, number][] = [];
  arr.forEach((v, id) => {
    if (v !== 0) out.push([kindName(id), v]);
  });
  // Kinds have distinct names, so no two entries compare equal.
  out.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  return new Map(out);
}
