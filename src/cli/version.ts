// `--version`: the version in merg-e-sim's package.json, found upward from this module (so it is
// right from the sources, the compiled dist/ and the bundled executables alike).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'merg-e-sim' && typeof pkg.version === 'string') return pkg.version;
    }
    dir = dirname(dir);
  }
  return 'unknown';
}

/** What `merg-e --version` and `coren --version` print: `merg-e 0.1.0 (merg-e-sim, node v20.20.2)`. */
export function versionLine(program: string): string {
  return `${program} ${packageVersion()} (merg-e-sim, node ${process.version})\n`;
}
