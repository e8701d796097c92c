/**
 * # merg-e-sim — the library (`import … from 'merg-e-sim'`)
 *
 * Parse, check, run and compare Merg-E programs; runtime profiles and baskets; diagnostics and the
 * JSON documents the commands print. The memory model itself is `merg-e-sim/model`, coren (FnCost,
 * MachCap, Verdict) is `merg-e-sim/coren`, and fast-check arbitraries for property tests are
 * `merg-e-sim/testing`.
 *
 * ```ts
 * import { run, runResultJson } from 'merg-e-sim';
 * const r = run({ file: 'hello.merge', source: 'cout "hi" endl;' }, { profile: 'jvm' });
 * r.ok; r.stdout; r.membranes; r.ramPoints.total; r.memory?.report();
 * ```
 *
 * Nothing here prints, exits or writes a file; a refused operation throws `MergeError` with a coded
 * diagnostic, and a program's own errors come back in `RunResult.error`.
 */

// ---- parse and check
export { hasErrors, parseProgram, parseProgram as parse, type ParseResult } from './ast/parse.js';
export type { Program } from './ast/types.js';
export { checkSource, checkSource as check } from './check/index.js';

// ---- run and compare
export {
  MAX_KEPT_OUTPUT,
  runProgram,
  runProgram as run,
  type DataframeRow,
  type MembraneRow,
  type ProgramInput,
  type RunError,
  type RunOptions,
  type RunResult,
} from './runtime/run.js';
export { compareProfiles, compareProfiles as compare, shippedProfiles, type ProfileRun } from './runtime/compare.js';
export { comparePortability, runPortability, topParts, type Portability, type ProfileOutcome } from './runtime/portability.js';
export { pointsOfCounts, spreadBreakdown, type BreakdownPart, type SpreadBreakdown } from './model/index.js';
export { formatRunError, formatRunReport } from './cli/run-report.js';
export {
  checkFileJson,
  compareJson,
  runErrorJson,
  runResultJson,
  type CheckJson,
  type CompareJson,
  type MembraneJson,
  type RunErrorJson,
  type RunResultJson,
} from './cli/json-documents.js';

// ---- HTML reports: whole self-contained pages as strings (Vega is loaded on the first call)
export { compareReportHtml, runReportHtml, type CompareReportInput, type RunReportInput } from './report/index.js';
export type { Timeline, TimelinePoint, TimelineSeries } from './runtime/timeline.js';

// ---- runtime profiles and baskets
export { defaultRuntimesDir, listProfiles, loadProfile, loadProfileByName, parseProfile, type RuntimeProfile } from './model/index.js';
export { isProfilePath, profileCatalog, resolveProfile, type ProfileEntry } from './runtime/profiles.js';
export {
  basketAt,
  basketPricing,
  basketPrices,
  defaultBasketsDir,
  listBaskets,
  loadBasket,
  parseBasket,
  readBasketCounts,
  resolveBasket,
  STANDARD_BASKET,
  standardBasketCounts,
  type Basket,
  type BasketCounts,
  type BasketInUse,
  type BasketProgram,
  type ProfilePrices,
} from './runtime/basket.js';
export { diffBasketCounts, measureBasket, type MeasureOptions } from './runtime/basket-measure.js';
export { blendTable, corpusFiles, fitBasket, measureCorpus, writeFittedBasket, type BlendRow, type FitProgram, type FitReport } from './runtime/basket-fit.js';
export type { EntityCounts } from './model/index.js';

// ---- diagnostics
export {
  CODES,
  diagnostic,
  diagnosticJson,
  formatDiagnostic,
  MergeError,
  type Code,
  type Diagnostic,
  type DiagnosticJson,
  type MergeErrorName,
  type Severity,
  type Span,
} from './diagnostics.js';

// ---- where the commands keep what they write
export { userCacheDir, userConfigDir, userBasketsDir, userProfilesDir } from './user-folders.js';
