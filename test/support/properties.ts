// Property tests (fast-check) draw their cases from one fixed seed in `npm test` and CI, so a result
// never depends on luck. `npm run test:random` (or MERG_E_RANDOM=1) is the longer random campaign: a
// fresh seed, and every property runs MERG_E_RUNS_FACTOR (default 10) times as many cases. A failure
// always prints the seed and path that reproduce it (fast-check's `{ seed: S, path: "…" }`); replay it
// with MERG_E_SEED=S (and the same factor). Mutation testing runs a fraction of the cases (a factor
// below 1: npm run mutation sets it), since every mutant reruns the properties that reach it.
import fc from 'fast-check';

/** The seed of `npm test` and CI. */
export const FIXED_SEED = 20_261_206;

const env = process.env;
/** True in the random campaign. */
export const RANDOM_CAMPAIGN = env['MERG_E_RANDOM'] === '1' || env['npm_lifecycle_event'] === 'test:random';

function wholeNumber(name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new Error(`${name} must be a whole number, got '${text}'`);
  return n;
}

export const PROPERTY_SEED = wholeNumber('MERG_E_SEED', RANDOM_CAMPAIGN ? (Date.now() ^ (process.pid << 16)) | 0 : FIXED_SEED);
function positiveNumber(name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!(Number.isFinite(n) && n > 0)) throw new Error(`${name} must be a number above 0, got '${text}'`);
  return n;
}

const FACTOR = positiveNumber('MERG_E_RUNS_FACTOR', RANDOM_CAMPAIGN ? 10 : 1);

/** The number of cases a property runs: `n` in CI, `n` times the factor otherwise (at least 1). */
export function runs(n: number): number {
  return Math.max(1, Math.round(n * FACTOR));
}

/** Installs the seed for every fc.assert of a test file (vitest setupFiles). */
export function configureProperties(): void {
  fc.configureGlobal({ seed: PROPERTY_SEED, numRuns: runs(100) });
}
