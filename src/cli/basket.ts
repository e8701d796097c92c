// merg-e basket: a basket's entity counts (measured by running its programs), the size of one
// RAM-point under each profile, and every kind's price; --write commits the counts runs normalize by.
import { join, resolve } from 'node:path';

import { writeFileAtomic } from '../atomic-write.js';
import { diagnostic, fail, formatDiagnostic, MergeError } from '../diagnostics.js';
import { fullCounts, loadProfile, MEMBRANE_KINDS, mpToPoints, roundHalfEven, type EntityCounts } from '../model/index.js';
import { BOOTSTRAP_COUNTS, diffBasketCounts, measureBasket } from '../runtime/basket-measure.js';
import { blendRow, type BlendRow } from '../runtime/basket-fit.js';
import { basketCountsText, basketFolder, basketPrices, loadBasketFile, pricedKinds, COUNTS_FILE, countsJson, loadBasket, readBasketCounts, STANDARD_BASKET, type Basket, type BasketCounts, type ProfilePrices } from '../runtime/basket.js';
import { parseOptions } from './args.js';
import { EXIT_ERROR, EXIT_OK, EXIT_STATUS_HELP } from './guard.js';
import type { Io } from './io.js';
import { profileCatalog } from '../runtime/profiles.js';
import { points3, table } from './table.js';

export const BASKET_HELP = `usage: merg-e basket [options]
       merg-e basket fit --corpus DIR [options]   (see merg-e basket fit --help)

Runs the programs of a basket (baskets/NAME/basket.json), counts the entities
they allocate (weighted), and prints those counts, the size of one RAM-point
under each runtime profile (the basket's bytes / its entities), and the price
of every entity kind in RAM-points. Runs normalize by the
counts committed in baskets/NAME/${COUNTS_FILE}; when the programs no longer
allocate what it says, a warning (MRG4023) says so.

options:
  --basket NAME|DIR the basket: a name (yours, from merg-e basket fit
                    --write, then the shipped ones) or a basket folder
                    (default ${STANDARD_BASKET}); with "portability" in its
                    basket.json, prices are blended and the worst byte
                    drift is shown
  --dir DIR         the folder that holds the basket folders (default: the
                    shipped baskets/); the profiles are every profile, shipped
                    and yours (merg-e profile list)
  --write           measure and write baskets/NAME/${COUNTS_FILE}
  --check           exit 1 when ${COUNTS_FILE} is missing or stale
  --json            print one JSON document: basket, description, programs,
                    counts, committed, stale, portability, warnSpread,
                    blend ({lambda, worst, p90, median, drift} or null),
                    profiles [{name, pointBytes, basketBytes, prices,
                    stringByte, extras}]
  -h, --help        show this help

${EXIT_STATUS_HELP}
examples:
  merg-e basket
  merg-e basket --json
  merg-e basket --write          # after changing a basket program
`;

interface Shown {
  basket: Basket;
  counts: BasketCounts;
  committed: boolean;
  stale: string[];
  prices: ProfilePrices[];
  /** With "portability" above 0: spreads and worst byte drift of the basket's programs under the blend. */
  blend?: BlendRow | null;
}

function entities(c: EntityCounts): number {
  let n = 0;
  for (const v of c.byKind.values()) n += v;
  return n;
}

/** Bytes in one RAM-point in thousandths (exact: bytes·1000/N rounded half to even). */
function pointMilliBytes(p: ProfilePrices): bigint {
  return roundHalfEven(p.basketBytes * 1000n, p.entities);
}

function basketJson(s: Shown) {
  return {
    basket: s.basket.name,
    description: s.basket.description,
    programs: s.counts.programs.map((p) => ({ file: p.file, weight: p.weight, ...countsJson(p.counts) })),
    counts: { ...countsJson(s.counts.total), entities: entities(s.counts.total) },
    committed: s.committed,
    stale: s.stale.length > 0,
    portability: s.basket.portability,
    warnSpread: s.basket.warnSpread,
    blend: s.blend ? { lambda: s.blend.lambda, worst: s.blend.worst, p90: s.blend.p90, median: s.blend.median, drift: s.blend.drift } : null,
    profiles: s.prices.map((p) => ({
      name: p.profile,
      pointBytes: mpToPoints(Number(pointMilliBytes(p))),
      basketBytes: Number(p.basketBytes),
      prices: Object.fromEntries([...p.prices].map(([k, mp]) => [k, mpToPoints(mp)])),
      stringByte: mpToPoints(p.stringByte),
      extras: Object.fromEntries([...p.extras].map(([m, t]) => [`membrane:${m}`, Object.fromEntries([...t].map(([k, mp]) => [k, mpToPoints(mp)]))])),
    })),
  };
}

function basketText(s: Shown): string {
  const { basket, counts, prices } = s;
  const out: string[] = [`basket ${basket.name}: ${basket.description}`];
  out.push(`  programs: ${counts.programs.map((p) => `${p.file} (weight ${p.weight})`).join(', ')}`);
  out.push(s.committed ? `entity counts (weighted; committed in ${COUNTS_FILE}, what runs normalize by):` : 'entity counts (weighted; measured now, not committed):');
  const total = counts.total;
  const countRows = [['kind', 'count'], ...[...total.byKind].map(([k, n]) => [k, String(n)]), ['string bytes', String(total.stringBytes)], ['entities (N)', String(entities(total))]];
  out.push(table(countRows, ['left', 'right'], '    '));
  const ex = fullCounts(total);
  const throughRows = MEMBRANE_KINDS.flatMap((m) => {
    const t = ex.extras.get(m) as ReadonlyMap<string, number>;
    const sb = ex.extraStringBytes.get(m) as number;
    if (t.size === 0 && sb === 0) return [];
    return [`membrane:${m}: ${[...t].map(([k, n]) => `${k} ${n}`).join(', ')}${sb > 0 ? `, string bytes ${sb}` : ''}`];
  });
  out.push(`added through membranes (they pay its extras, counted in the basket's bytes):${throughRows.length === 0 ? ' none' : ''}`);
  for (const r of throughRows) out.push(`    ${r}`);
  if (s.blend) {
    out.push(`portability blend ${s.blend.lambda} (basket.json "portability"): prices below are blended; on the basket's programs the worst byte drift is ${s.blend.drift.toFixed(3)} (points ÷ bytes, relative to one RAM-point's bytes) and the worst spread ${s.blend.worst.toFixed(3)}`);
  }
  out.push('one RAM-point:');
  out.push(table([['profile', 'bytes per point', 'basket bytes'], ...prices.map((p) => [p.profile, points3(pointMilliBytes(p)), String(p.basketBytes)])], ['left', 'right', 'right'], '    '));
  out.push('prices (RAM-points per entity; a string costs "string" plus "string byte" per UTF-8 byte):');
  const right = prices.map(() => 'right' as const);
  const head = ['kind', ...prices.map((p) => p.profile)];
  const kinds = [...(prices[0]?.prices.keys() ?? [])];
  const rows = [head, ...kinds.map((k) => [k, ...prices.map((p) => points3(p.prices.get(k) ?? 0))])];
  rows.push(['string byte', ...prices.map((p) => points3(p.stringByte))]);
  out.push(table(rows, ['left', ...right], '    '));
  out.push('extras (RAM-points an entity costs on top when added through a membrane of that kind):');
  const extraRows = [['membrane: kind', ...prices.map((p) => p.profile)]];
  for (const [m, t] of prices[0]?.extras ?? []) {
    for (const k of t.keys()) extraRows.push([`${m}: ${k}`, ...prices.map((p) => points3(p.extras.get(m)?.get(k) ?? 0))]);
  }
  out.push(table(extraRows, ['left', ...right], '    '));
  return out.join('\n') + '\n';
}

/** The basket's counts.json; with --write an invalid one is reported and replaced rather than refused. */
function committedCounts(b: Basket, write: boolean, io: Io): BasketCounts | null {
  try {
    return readBasketCounts(b);
  } catch (e) {
    if (!write || !(e instanceof MergeError) || (e.code !== 'MRG4020' && e.code !== 'MRG4050')) throw e;
    io.err(formatDiagnostic({ ...e.diagnostic, severity: 'warning', hint: 'It is replaced by what the programs allocate now.' }, { color: io.colorErr }) + '\n');
    return null;
  }
}

export async function basket(argv: string[], io: Io): Promise<number> {
  if (argv[0] === 'fit') return (await import('./basket-fit.js')).basketFit(argv.slice(1), io);
  const parsed = parseOptions('merg-e basket', argv, {
    basket: { type: 'string' },
    dir: { type: 'string' },
    write: { type: 'boolean' },
    check: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  const v = parsed.values;
  if (v.help) {
    io.out(BASKET_HELP);
    return EXIT_OK;
  }
  if (parsed.positionals.length > 0) fail('MRG4002', `merg-e basket: takes no file (the basket's programs are listed in its basket.json), got '${parsed.positionals[0]}'`);
  if (v.write && v.check) fail('MRG4002', 'merg-e basket: --write replaces the counts, --check compares them; use one');
  const b = v.dir === undefined ? loadBasketFile(basketFolder(v.basket, io.cwd)) : loadBasket(v.basket ?? STANDARD_BASKET, resolve(io.cwd, v.dir));
  const profiles = profileCatalog().map((e) => loadProfile(e.file));
  const committed = committedCounts(b, v.write === true, io);
  const fresh = measureBasket(b, { pricingCounts: committed?.total ?? BOOTSTRAP_COUNTS });
  let shownCounts = committed ?? fresh;
  let stale = committed ? diffBasketCounts(committed, fresh) : [];
  if (v.write) {
    const path = join(b.dir, COUNTS_FILE);
    try {
      writeFileAtomic(path, basketCountsText(fresh));
    } catch (e) {
      fail('MRG4025', `cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    io.err(`wrote ${path}${stale.length > 0 || !committed ? '' : ' (unchanged)'}\n`);
    shownCounts = fresh;
    stale = [];
  } else if (stale.length > 0) {
    const shown = stale.slice(0, 5).join('; ') + (stale.length > 5 ? `; and ${stale.length - 5} more` : '');
    io.err(formatDiagnostic(diagnostic('MRG4023', `basket '${b.name}': ${COUNTS_FILE} no longer matches what its programs allocate: ${shown}`), { color: io.colorErr }) + '\n');
  }
  const lambda = b.portability;
  const blend = lambda === 0 ? undefined : { lambda, reference: profiles };
  const kinds = pricedKinds(shownCounts.total);
  const s: Shown = { basket: b, counts: shownCounts, committed: Boolean(committed) || v.write === true, stale, prices: profiles.map((p) => basketPrices(shownCounts.total, p, kinds, blend)) };
  // What the blend costs: how far points stop tracking bytes on the basket's own programs.
  s.blend = lambda === 0 ? null : blendRow(shownCounts.programs.map((p) => p.counts), shownCounts.total, profiles, lambda);
  io.out(v.json ? JSON.stringify(basketJson(s)) + '\n' : basketText(s));
  if (v.check && (!committed || stale.length > 0)) return EXIT_ERROR;
  return EXIT_OK;
}
