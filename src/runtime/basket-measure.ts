// Measuring a basket (quota.md §4 step 1): run each of its programs and count the entities it
// allocates. Counts do not depend on the profile; the pricing used while measuring only matters if a
// program hits a quota, and a basket program that fails is refused (MRG4022).
import { join } from 'node:path';

import { diagnostic, MergeError } from '../diagnostics.js';
import { countDifferences, fullCounts, type EntityCounts } from '../model/index.js';
import { readBasketCounts, weightedTotal, type Basket, type BasketCounts } from './basket.js';
import { runProgram, type RunResult } from './run.js';

/** Prices while no counts exist yet (a new basket): any non-empty mix gives a valid pricing. */
export const BOOTSTRAP_COUNTS: EntityCounts = { byKind: new Map([['dag_node', 1], ['scalar:int64', 1], ['string', 1]]), stringBytes: 16 };

export interface MeasureOptions {
  /** Profile to run under (default cpython-dev): counts are the same under every profile. */
  profile?: string;
  /** Counts to price by while running (default: the basket's committed counts, else a bootstrap mix). */
  pricingCounts?: EntityCounts;
}

/** Runs one basket program (its modules beside it); the RunResult, successful or not. */
export function runBasketProgram(b: Basket, file: string, opts: MeasureOptions = {}): RunResult {
  const counts = opts.pricingCounts ?? readBasketCounts(b)?.total ?? BOOTSTRAP_COUNTS;
  return runProgram({ file: join(b.dir, file) }, { profile: opts.profile ?? 'cpython-dev', basket: counts });
}

/** Runs every program of the basket and returns their counts; a program that fails is MRG4022. */
export function measureBasket(b: Basket, opts: MeasureOptions = {}): BasketCounts {
  const pricingCounts = opts.pricingCounts ?? readBasketCounts(b)?.total ?? BOOTSTRAP_COUNTS;
  const programs = b.programs.map((p) => {
    const r = runBasketProgram(b, p.file, { ...opts, pricingCounts });
    if (!r.ok) {
      const e = r.error;
      const why = e ? `${e.file ?? p.file}${e.line !== null ? `:${e.line}` : ''} ${e.code}${e.name ? ` ${e.name}` : ''}: ${e.message}` : 'it failed';
      throw new MergeError(diagnostic('MRG4022', `basket '${b.name}': program ${p.file} did not run to the end: ${why}`));
    }
    return { file: p.file, weight: p.weight, counts: fullCounts(r.counts) };
  });
  return { basket: b.name, total: weightedTotal(programs), programs };
}

/** Where two measurements of a basket differ, one line per difference (empty: the same). */
export function diffBasketCounts(committed: BasketCounts, fresh: BasketCounts): string[] {
  const out: string[] = [];
  const cmp = (where: string, a: EntityCounts, b: EntityCounts) => {
    for (const d of countDifferences(a, b)) out.push(`${where}: ${d.what} committed ${d.a}, measured ${d.b}`);
  };
  const files = [...new Set([...committed.programs.map((p) => p.file), ...fresh.programs.map((p) => p.file)])];
  for (const f of files) {
    const a = committed.programs.find((p) => p.file === f);
    const b = fresh.programs.find((p) => p.file === f);
    if (!a) out.push(`${f}: not in counts.json`);
    else if (!b) out.push(`${f}: in counts.json but no longer in basket.json`);
    else {
      if (a.weight !== b.weight) out.push(`${f}: weight committed ${a.weight}, basket.json says ${b.weight}`);
      cmp(f, a.counts, b.counts);
    }
  }
  cmp('total', committed.total, fresh.total);
  return out;
}
