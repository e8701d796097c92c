// Running merg-e commands in-process, in a folder of given files.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { captureIo, type CapturedIo } from '../../src/cli/io.js';
import { mergeMain } from '../../src/cli/merge-main.js';

export function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'merg-e-cli-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** Runs `merg-e ARGS` in `cwd`; its exit status and what it printed. */
export async function mergE(args: string[], cwd = process.cwd()): Promise<{ code: number; io: CapturedIo }> {
  const io = captureIo(cwd);
  const code = await mergeMain(args, io);
  return { code, io };
}
