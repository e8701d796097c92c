// Shared test fixtures: a hand-built basket, shipped profiles, a fresh world.
import { join } from 'node:path';

import { loadProfileByName, Memory, parseProfile, Pricing, type EntityCounts, type RuntimeProfile } from '../../src/model/index.js';

export const RUNTIMES = join(import.meta.dirname, '..', '..', 'baskets', 'runtimes');

/** A hand-built basket (the interpreter issue runs real basket programs; the model takes counts). */
export const BASKET: EntityCounts = {
  byKind: new Map<string, number>([
    ['dag_node', 120],
    ['scope', 10],
    ['blocker', 4],
    ['dataframe', 6],
    ['row', 400],
    ['membrane:quota', 8],
    ['membrane:copy_on_mutate', 2],
    ['string', 60],
    ['scalar:bool', 20],
    ['scalar:int8', 40],
    ['scalar:int32', 300],
    ['scalar:int64', 60],
    ['scalar:int128', 10],
    ['scalar:int2048', 2],
    ['scalar:float64', 50],
    ['scalar:float256', 8],
  ]),
  stringBytes: 1500,
};

export function profile(name = 'cpython-dev'): RuntimeProfile {
  return loadProfileByName(name, RUNTIMES);
}

export function world(name = 'cpython-dev', counts: EntityCounts = BASKET): Memory {
  return new Memory({ pricing: Pricing.fromCounts(profile(name), counts) });
}

/**
 * A test profile where, with UNIT_BASKET, one byte costs exactly one milli-point: dag_node 1000
 * bytes = 1 point, scalar:bool 1 mp, a string 100 + length mp. Quota membranes add no extras;
 * copy_on_mutate adds 7 per entity (and 1 per string byte).
 */
export function unitProfileJson(): Record<string, unknown> {
  const kinds = ['dag_node', 'dataframe', 'row', 'string', 'membrane:quota', 'membrane:copy_on_mutate', 'scope', 'blocker'];
  const zero = Object.fromEntries([...kinds, 'string_byte', 'scalar:*'].map((k) => [k, 0]));
  return {
    name: 'unit',
    description: 'test profile: 1 byte = 1 milli-point under UNIT_BASKET',
    notes: ['hand-made for exact arithmetic in tests'],
    bytes: {
      dag_node: 1000,
      dataframe: 2000,
      row: 50,
      string: 100,
      string_byte: 1,
      'membrane:quota': 500,
      'membrane:copy_on_mutate': 300,
      scope: 3000,
      blocker: 700,
      'scalar:bool': 1,
      'scalar:float16': 2,
      'scalar:float32': 4,
      'scalar:float64': 8,
      'scalar:float128': 16,
      'scalar:float256': 32,
      'scalar:int32': 250,
    },
    int_rule: { tiers: [{ max_bits: 64, bytes: 10 }], ref: 0, header: 20, unit_bits: 64, unit_bytes: 8, align: 4 },
    extras: {
      'membrane:quota': zero,
      'membrane:copy_on_mutate': { ...Object.fromEntries([...kinds, 'scalar:*'].map((k) => [k, 7])), string_byte: 1 },
    },
  };
}

export const UNIT_BASKET: EntityCounts = { byKind: new Map([['dag_node', 1]]), stringBytes: 0 };

export function unitWorld(): Memory {
  const p = parseProfile(JSON.stringify(unitProfileJson()), 'unit.json');
  return new Memory({ pricing: Pricing.fromCounts(p, UNIT_BASKET) });
}
