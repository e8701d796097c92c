// A world with round prices, for tests that compute expected charges by hand: under the `unit`
// profile and UNIT_BASKET one byte costs exactly one milli-point.
import { Memory, parseProfile, Pricing, type EntityCounts, type RuntimeProfile } from '../model/index.js';

/**
 * The `unit` profile's JSON: dag_node 1000 bytes (= 1 point), scalar:bool 1, scalar:int32 250, a string
 * 100 + its length, a dataframe 2000, a row 50, a quota membrane 500, a copy_on_mutate membrane 300,
 * a scope 3000, a blocker 700. Quota membranes add no extras; copy_on_mutate adds 7 per entity (and 1
 * per string byte).
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

/** The basket that makes one byte of the unit profile one milli-point: a single dag_node. */
export const UNIT_BASKET: EntityCounts = { byKind: new Map([['dag_node', 1]]), stringBytes: 0 };

export function unitProfile(): RuntimeProfile {
  return parseProfile(JSON.stringify(unitProfileJson()), 'unit.json');
}

/** An empty world priced by the unit profile. */
export function unitWorld(): Memory {
  return new Memory({ pricing: Pricing.fromCounts(unitProfile(), UNIT_BASKET) });
}
