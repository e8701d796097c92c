// npm run build (also run by `npm ci` / `npm install` through prepare): compiles everything with tsc
// into a fresh dist/ (so no file of an older build is packed), then gives the executables named in
// package.json `bin` their run bit, which tsc does not set (a fresh clone otherwise answered
// `npx merg-e` with "Permission denied").
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

rmSync(join(root, 'dist'), { recursive: true, force: true });
const compiled = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);

for (const file of Object.values(pkg.bin)) {
  const path = join(root, file);
  chmodSync(path, statSync(path).mode | 0o111);
}
