/**
 * # merg-e-sim core model — public API
 *
 * A pure library (no I/O except loading profile files): the immutable DAG, membranes and quota
 * accounting, RAM-points, runtime profiles and dataframes. Contract: shared/spec/quota.md.
 *
 * ## Setting up "the world"
 * ```ts
 * const profile = loadProfileByName('cpython-dev');            // baskets/runtimes/<name>.json (MRG4010/4011)
 * const pricing = Pricing.fromCounts(profile, basketCounts);    // quota.md §4 normalization
 * const mem = new Memory({ pricing });                          // the world: one DAG + membranes + accounting
 * mem.installBuiltin(mem.root, ['imported', 'lang'], langDag()); // scope.imported.lang.Version (unpaid, inert)
 * ```
 * `basketCounts` are EntityCounts (entities per kind + string bytes). For a basket run, use any
 * pricing and read `mem.counts()` afterwards: counts do not depend on the profile.
 *
 * ## Views
 * A `View` is a position (absolute path in the world) seen through a chain of membranes.
 * `mem.root` has no membrane; `mem.at(view, ['a', 'b'])` moves down keeping the membranes.
 * - `mem.quota(view, name, T, D, O): View` — `membrane<quota<T,D,O>> X`; `name` = the name it is
 *   declared under (shown in errors/reports). T, D, O are whole points (bigint or number).
 *   Checks §6 (D ≤ T, pool sum ≤ (T−D)+O of the enclosing quota) and charges the membrane entity.
 * - `mem.copyOnMutate(view, name): View` — separates pools, adds its extras to every allocation.
 * - `mem.closeMembrane(view)` — ends the innermost membrane now (must be empty).
 * - `mem.retireMembrane(membrane)` — the name it was bound to went out of scope: allocations through it
 *   are refused from now on (MRG3015), and it closes as soon as it holds nothing and no open membrane
 *   is stacked on it. `mem.allMembranes()` lists the open ones.
 *
 * ## Operations (each atomic: on throw, state is exactly as before)
 * Paths are arrays of names relative to the view. Allocations are priced through the view's chain
 * (entity price + every membrane's extras), charged to its innermost quota membrane (none: counted
 * only) and recorded on the node (`node.acct`: by, mp, q, c).
 * - `declareDag(view, path, {inert?, entity?: 'dag_node'|'scope'})` — creates missing intermediates.
 * - `declareScalar(view, path, type, value, {inert?})` — type name or ScalarType; value bigint|number|string|boolean.
 * - `declareDataframe(view, path, [{name, type}], {inert?})`
 * - `declareOpaque(view, path, 'blocker'|'scope'|null, payload, {inert?})` — interpreter objects in the DAG.
 * - `assign(view, path, value)` — mutable scalars only (freeze_error otherwise); re-pays if the size changes.
 * - `lookup(view, path): Resolved` ({path (canonical), node, frozen}), `has`, `value(view, path)`.
 * - `prune(view, path): Detached` — cut from a mutable parent (payments kept) or copied (unpaid) from a frozen one.
 * - `ent(view, path, detached, name)` — graft; same-pool payments are free, others pay full price.
 * - `release(detached)` — drop a pruned value; its payments are refunded. `isLive(detached)`.
 * - `alias(view, targetPath, name)` — `alias target as name` at view; no copy, no charge.
 * - `freeze(view, path)` — deep (inherited by everything below; dataframes below stop growing).
 * - `appendRow(view, path, values)` or `mem.dataframe(view, path).append(values)` (handle: fast loop).
 * - `atomically(fn)` — a group of operations that succeeds or is undone as a whole (scope construction).
 * - `payLoose(loose, view, kindId, len)` — pays for a scalar kept outside the DAG (an interpreter's frame
 *   slot) exactly as declaring its node through `view` would; `releaseLoose`, `repayLoose` (a value of
 *   another size), `placeLoose(loose, view, name, type, value)` (the node appears and takes the payment
 *   over, nothing charged again). `loosePayments()` lists the live ones (audits count them).
 *
 * ## Errors (MergeError; attach a span with `withSpan(err, span)`)
 * - quota_error MRG3006, `details`: membrane (declared name), limit ('direct'|'below'|'total'|'pool'),
 *   limitValue, used, requested — all amounts in integer MILLI-points (formatPoints/mpToPoints to show).
 * - freeze_error MRG3005, name_error MRG3001, type_error MRG3002, range_error MRG3003/MRG3013,
 *   ownership_error MRG3004 (a Detached grafted or released twice).
 *
 * ## Prices and reports
 * - `mem.priceAt(view, type, value?)` — milli-points of one scalar through the view
 *   (`lang.memory.dag.dag_rampoints`); `pricing.priceOfKind(entityKindOfType(t))`,
 *   `pricing.stringPrice(n, 0, 0)` for `lang.memory.int.rampoints` / `string.dynamic_rampoints`.
 * - `mem.report(view?)` — UsageReport {membranes (tree), flat, totals {mp, byKind, bytes, …}}.
 * - `mem.listDataframes()` — [{path, rows, frozen}] of every dataframe in the world.
 * - `mem.counts()` — EntityCounts of everything allocated (a basket run's result).
 * - `mem.watchCharges(fn)` — `fn(m)` after every change of quota membrane m's direct use (charges,
 *   releases, undos); for use-over-time reports. Off (null) by default.
 * - `checkInvariants(mem)` (I1–I4 + counter consistency), `snapshot(mem)` (plain data).
 */
export { MergeError, type Code, type Diagnostic, type Span } from '../diagnostics.js';
export { checkInvariants, nodeSnapshot, snapshot } from './audit.js';
export { langDag, langVersionDag, SPEC_VERSION } from './builtins.js';
export { Acct, countNodes, entityKid, UNMETERED, UNPAID, walk, type BranchNode, type DagNode, type DataframeNode, type Resolved, type ScalarNode } from './dag.js';
export { Dataframe, type ColumnSpec, type Segment } from './dataframe.js';
export { BASE_KINDS, intKindId, isEntityKind, isScalarKind, kindId, kindName, MEMBRANE_KINDS, scalarKindId, type BaseKind, type MembraneKind } from './kinds.js';
export { Membrane, quotaError, type LimitKind } from './membrane.js';
export { DataframeHandle, type RowsSnapshot } from './handle.js';
export { isLive, looseRecord, type Loose } from './loose.js';
export { type ChargeWatcher } from './ledger.js';
export { Memory, withSpan, type ColumnDecl, type DeclareOptions, type MemoryOptions } from './memory.js';
export { NameMap } from './namemap.js';
export {
  defaultRuntimesDir,
  extraBytes,
  isProfilePath,
  listProfiles,
  loadProfile,
  loadProfileByName,
  loadProfileRef,
  parseProfile,
  profileBytes,
  REQUIRED_BYTES_KEYS,
  REQUIRED_EXTRAS_KEYS,
  type IntRule,
  type ProfileJson,
  type RuntimeProfile,
} from './profile.js';
export { BLEND_UNIT, bytesOf, formatPoints, MP, mpToPoints, pointsToMp, Pricing, roundHalfEven, type Blend, type EntityCounts, type PricingSpec } from './rampoints.js';
export { countDifferences, entityTotal, fullCounts, weightedCounts, type FullCounts } from './counts.js';
export {
  canonicalBytes,
  coerceScalar,
  entityKindOf,
  entityKindOfType,
  intRange,
  isIntegerType,
  MAX_INT_BITS,
  minimalIntBytes,
  parseScalarType,
  roundFloat16,
  scalarType,
  signedBits,
  utf8Length,
  type ScalarFamily,
  type ScalarType,
  type ScalarValue,
} from './types.js';
export { type KindUsage, type MembraneUsage, type RunTotals, type UsageReport } from './usage.js';
export { Detached, View } from './view.js';
export { work } from './work.js';
export { extrasPart, pointParts, pointsOfCounts, spreadBreakdown, type BreakdownPart, type PricedCounts, type SpreadBreakdown } from './portability.js';
export { corpusFloor, fitWeights, MAX_FIT_PROFILES, meanLogSpread, nnls, scalesForMean, scalesWithin, spreadStats, spreadsUnderBasket, spreadsUnderScales, weightsForTarget, wholeWeights, worstUnderScales, type ByteMatrix, type FitObjective, type FloorResult, type SpreadStats } from './fit.js';
