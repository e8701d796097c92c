// Where merg-e-sim keeps what it writes for the user, so nothing lands in the checkout, the installed
// package or beside a program: one cache folder (the measured machine, the vectorize memo store, the
// compile cache) and one config folder (the user's own runtime profiles). Each follows the platform:
// XDG on Linux and other Unixes, ~/Library on macOS, %LOCALAPPDATA% / %APPDATA% on Windows; the
// environment variables MERG_E_CACHE_DIR and MERG_E_CONFIG_DIR override them.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

const APP = 'merg-e';

/** An absolute path from an environment variable, or undefined when unset or empty. */
function fromEnv(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = env[name];
  return v ? resolve(v) : undefined;
}

/**
 * The user's cache folder: $MERG_E_CACHE_DIR, else $XDG_CACHE_HOME/merg-e or ~/.cache/merg-e (Linux
 * and other Unixes), ~/Library/Caches/merg-e (macOS), %LOCALAPPDATA%\merg-e\Cache (Windows).
 * Not created here: a writer creates what it writes.
 */
export function userCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const own = fromEnv(env, 'MERG_E_CACHE_DIR');
  if (own) return own;
  if (platform === 'darwin') return join(homedir(), 'Library', 'Caches', APP);
  if (platform === 'win32') return join(fromEnv(env, 'LOCALAPPDATA') ?? join(homedir(), 'AppData', 'Local'), APP, 'Cache');
  return join(fromEnv(env, 'XDG_CACHE_HOME') ?? join(homedir(), '.cache'), APP);
}

/**
 * The user's config folder: $MERG_E_CONFIG_DIR, else $XDG_CONFIG_HOME/merg-e or ~/.config/merg-e,
 * ~/Library/Application Support/merg-e (macOS), %APPDATA%\merg-e (Windows).
 */
export function userConfigDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const own = fromEnv(env, 'MERG_E_CONFIG_DIR');
  if (own) return own;
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP);
  if (platform === 'win32') return join(fromEnv(env, 'APPDATA') ?? join(homedir(), 'AppData', 'Roaming'), APP);
  return join(fromEnv(env, 'XDG_CONFIG_HOME') ?? join(homedir(), '.config'), APP);
}

/** The user's runtime profiles (`profile measure` writes here; run, compare and basket read them). */
export function userProfilesDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(userConfigDir(env), 'runtimes');
}

/** Where the measured machine that coren and merg-e share is cached (coren's `.coren-cache.json`). */
export function machineCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return userCacheDir(env);
}

/** vectorize's default memo store. */
export function defaultMemoDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(userCacheDir(env), 'memo');
}

/** Node's compile cache for the executables (where the running Node has one). */
export function compileCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(userCacheDir(env), 'compile');
}

/** The user's own baskets (`merg-e basket fit --write NAME` writes here; `--basket NAME` finds them). */
export function userBasketsDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(userConfigDir(env), 'baskets');
}
