// The basket a run is normalized over when none is given (quota.md §4): a fixed mix of entities in
// the proportions of small Merg-E programs (DAG-heavy, mostly 32/64-bit integers, short strings, a
// few dataframes with many rows, a few membranes and scopes). A basket measured by running the
// standard basket's programs replaces it through RunOptions.basket.
import type { EntityCounts } from '../model/index.js';

export const REFERENCE_BASKET: EntityCounts = Object.freeze({
  byKind: new Map<string, number>([
    ['dag_node', 200],
    ['scalar:int8', 40],
    ['scalar:int32', 120],
    ['scalar:int64', 120],
    ['scalar:int128', 20],
    ['scalar:int2048', 4],
    ['scalar:float64', 40],
    ['scalar:float256', 8],
    ['scalar:bool', 30],
    ['string', 80],
    ['dataframe', 6],
    ['row', 600],
    ['membrane:quota', 12],
    ['membrane:copy_on_mutate', 3],
    ['scope', 20],
    ['blocker', 4],
  ]),
  stringBytes: 2400,
});
