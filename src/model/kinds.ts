// Entity kinds (quota.md §2) and their interning into small integers, so hot counters are arrays.
import { entityKindOf, parseScalarType, type ScalarType, type ScalarValue } from './types.js';

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
  if (t.family === 'bigint') return kindId(entityKindOf(t, v));
  let id = fixedKinds.get(t.name);
  if (id === undefined) {
    id = kindId(entityKindOf(t, v));
    fixedKinds.set(t.name, id);
  }
  return id;
}

/** How many kinds have ids so far. */
export function kindCount(): number {
  return names.length;
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
  out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return new Map(out);
}
