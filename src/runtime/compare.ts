// Running one program under several runtime profiles (`merg-e compare`): the RAM-points and bytes of
// what it allocated under each, and how far they spread. Points are normalized per profile over the
// same basket, so a program that resembles the basket costs about the same points everywhere while
// its bytes differ as the runtimes do.
import { listProfiles, loadProfileByName, type RuntimeProfile } from '../model/index.js';
import { runProgram, type ProgramInput, type RunOptions, type RunResult } from './run.js';

export interface ProfileRun {
  readonly profile: string;
  readonly result: RunResult;
  /** Milli-points of everything live at the end (or at the error). */
  readonly mp: number;
  readonly bytes: bigint;
}

/** Every shipped profile (baskets/runtimes), sorted by name. */
export function shippedProfiles(): string[] {
  return listProfiles();
}

/**
 * Runs the program once per profile (the same basket, limits and modules each time). A profile is a
 * shipped profile's name or a loaded RuntimeProfile; every one is loaded before anything runs, so an
 * unknown or invalid one (MRG4011, MRG4010) is refused first.
 */
export function compareProfiles(input: ProgramInput, profiles: readonly (string | RuntimeProfile)[], opts: Omit<RunOptions, 'profile' | 'pricing'> = {}): ProfileRun[] {
  const loaded = profiles.map((p) => (typeof p === 'string' ? loadProfileByName(p) : p));
  return loaded.map((profile) => {
    const result = runProgram(input, { ...opts, profile });
    // The result's points are exact decimals of integer milli-points: converting back is exact.
    return { profile: profile.name, result, mp: Math.round(result.ramPoints.total * 1000), bytes: BigInt(result.bytes) };
  });
}
