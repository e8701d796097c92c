// The runtime profiles a command can use: the shipped ones (baskets/runtimes) and the user's own
// (the user's profile folder, where `merg-e profile measure` writes). A user profile with a shipped
// profile's name takes its place, and every listing says where each one comes from. `--profile`
// takes a name or the path of a profile file.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { fail } from '../diagnostics.js';
import { defaultRuntimesDir, isProfilePath, listProfiles, loadProfile, type RuntimeProfile } from '../model/index.js';
import { userProfilesDir } from '../user-folders.js';

export { isProfilePath };

export interface ProfileEntry {
  name: string;
  file: string;
  origin: 'shipped' | 'user';
  /** A user profile that takes the place of the shipped one of the same name. */
  shadows: boolean;
}

/** Every profile by name, sorted; the user's folder is optional (it does not exist until written). */
export function profileCatalog(userDir = userProfilesDir()): ProfileEntry[] {
  const shippedDir = defaultRuntimesDir();
  const byName = new Map<string, ProfileEntry>();
  for (const name of listProfiles(shippedDir)) byName.set(name, { name, file: join(shippedDir, `${name}.json`), origin: 'shipped', shadows: false });
  if (existsSync(userDir)) {
    for (const name of listProfiles(userDir)) byName.set(name, { name, file: join(userDir, `${name}.json`), origin: 'user', shadows: byName.has(name) });
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The file of the profile `ref` names (a `--profile`/`--profiles` value): a profile file (absolute or relative to `cwd`), or a name in the catalog (MRG4011). Not read yet. */
export function profileFile(ref: string, cwd: string, catalog: readonly ProfileEntry[] = profileCatalog()): string {
  if (isProfilePath(ref)) return resolve(cwd, ref);
  const entry = catalog.find((e) => e.name === ref);
  if (!entry) {
    const names = catalog.map((e) => (e.origin === 'user' ? `${e.name} (yours)` : e.name)).join(', ');
    fail('MRG4011', `no runtime profile named '${ref}' (have: ${names || 'none'})`, undefined, `The shipped profiles are in ${defaultRuntimesDir()}, yours in ${userProfilesDir()}; or name a profile file (a path ending in .json).`);
  }
  return entry.file;
}

/** The profile `ref` names: a profile file (absolute or relative to `cwd`), or a name in the catalog (MRG4011). */
export function resolveProfile(ref: string, cwd: string, catalog: readonly ProfileEntry[] = profileCatalog()): RuntimeProfile {
  return loadProfile(profileFile(ref, cwd, catalog));
}
