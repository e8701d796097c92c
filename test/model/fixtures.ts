// Shared test fixtures: a hand-built basket, shipped profiles, a fresh world.
import { join } from 'node:path';

import { loadProfileByName, Memory, parseProfile, Pricing, type EntityCounts, type RuntimeProfile } from '../../src/model/index.js';
import { unitProfileJson, UNIT_BASKET } from '../../src/testing/unit-world.js';

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

// The unit world (1 byte = 1 milli-point) is part of merg-e-sim/testing.
export { unitProfileJson, UNIT_BASKET, unitWorld } from '../../src/testing/unit-world.js';

/** An empty world under the unit profile with some byte counts changed (`bytes` or one membrane kind's `extras`). */
export function unitWorldWith(bytes: Record<string, number>, extras?: { membrane: string; bytes: Record<string, number> }): Memory {
  const json = unitProfileJson() as { bytes: Record<string, number>; extras: Record<string, Record<string, number>> };
  Object.assign(json.bytes, bytes);
  if (extras) Object.assign(json.extras[`membrane:${extras.membrane}`] as object, extras.bytes);
  return new Memory({ pricing: Pricing.fromCounts(parseProfile(JSON.stringify(json), 'unit.json'), UNIT_BASKET) });
}
