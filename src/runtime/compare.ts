// Running one program under several runtime profiles (`merg-e compare`): the RAM-points and bytes of
// what it allocated under each, and how far they spread. Points are normalized per profile over the
// same basket, so a program that resembles the basket costs about the same points everywhere while
// its bytes differ as the runtimes do.
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';

import { diagnostic, MergeError, type Code } from '../diagnostics.js';
import { isProfilePath, listProfiles, loadProfileByName, loadProfileRef, Pricing, type RuntimeProfile } from '../model/index.js';
import { basketPricing, standardBasket, type BasketInUse } from './basket.js';
import { usableProfiles } from './portability.js';
import { refusedRun, runProgram, type ProgramInput, type RunOptions, type RunResult } from './run.js';

export interface ProfileRun {
  readonly profile: string;
  /** False when the profile itself could not be used (its file is invalid, or gives the basket no bytes): `result.error` says why; nothing ran. */
  readonly ran: boolean;
  readonly result: RunResult;
  /** The prices it ran under (null when the profile could not be used). */
  readonly pricing: Pricing | null;
  /** Milli-points of everything live at the end (or at the error). */
  readonly mp: number;
  readonly bytes: bigint;
}

/** A profile to compare: a name in baskets/runtimes, a path to a profile file, or a loaded profile. */
export type ProfileRef = string | RuntimeProfile;

/** Problems of one profile's file: they fail that profile's row, not the whole comparison. */
const PROFILE_PROBLEMS: ReadonlySet<Code> = new Set<Code>(['MRG4001', 'MRG4010', 'MRG4051']);

/** Every shipped profile (baskets/runtimes), sorted by name. */
export function shippedProfiles(): string[] {
  return listProfiles();
}

export interface CompareOptions extends Omit<RunOptions, 'profile' | 'pricing' | 'basket'> {
  /** Folder profile paths are relative to (default: the process's). */
  cwd?: string;
  /** The basket to normalize by (default: the standard basket); its "portability" blend is honoured. */
  basket?: BasketInUse;
}

function refName(ref: ProfileRef): string {
  return typeof ref === 'string' ? (isProfilePath(ref) ? basename(ref).replace(/\.json$/, '') : ref) : ref.name;
}

/**
 * Runs the program once per profile (the same basket, limits and modules each time). Profiles that do
 * not exist are refused before anything runs (MRG4011 naming the first unknown name, MRG4001 for a
 * missing file); a profile that exists but cannot be used (an invalid file, MRG4010; one that gives
 * the basket no bytes, MRG4051) fails only its own row.
 */
export function compareProfiles(input: ProgramInput, profiles: readonly ProfileRef[], opts: CompareOptions = {}): ProfileRun[] {
  const cwd = opts.cwd ?? process.cwd();
  const shipped = listProfiles();
  for (const p of profiles) {
    if (typeof p !== 'string') continue;
    if (isProfilePath(p)) {
      if (!existsSync(resolve(cwd, p))) throw new MergeError(diagnostic('MRG4001', `cannot read runtime profile ${p}: no such file`));
    } else if (!shipped.includes(p)) loadProfileByName(p); // MRG4011 naming it, before anything runs
  }
  const basket = opts.basket ?? standardBasket();
  // The blend's geometric means are over the profiles in use: the catalog's (as for run).
  const reference = basket.basket.portability === 0 ? [] : usableProfiles(basket);
  const { basket: _, ...runOpts } = opts;
  return profiles.map((ref) => {
    let pricing: Pricing;
    try {
      const profile = typeof ref === 'string' ? loadProfileRef(ref, cwd) : ref;
      pricing = basketPricing(profile, basket, reference);
    } catch (e) {
      if (!(e instanceof MergeError) || !PROFILE_PROBLEMS.has(e.code)) throw e;
      const file = typeof ref === 'string' ? (isProfilePath(ref) ? resolve(cwd, ref) : null) : ref.file || null;
      return { profile: refName(ref), ran: false, result: refusedRun(refName(ref), e.diagnostic, file), pricing: null, mp: 0, bytes: 0n };
    }
    const result = runProgram(input, { ...runOpts, pricing });
    // The result's points are exact decimals of integer milli-points: converting back is exact.
    return { profile: result.profile, ran: true, result, pricing, mp: Math.round(result.ramPoints.total * 1000), bytes: BigInt(result.bytes) };
  });
}
