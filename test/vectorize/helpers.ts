// Running vectorize programs in tests: fixed pricing (independent of the basket files), a fixed
// machine (never the real one), and the engine's reports.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { MachCap } from '../../src/coren/index.js';
import { Pricing } from '../../src/model/index.js';
import { runProgram, type RunOptions, type RunResult } from '../../src/runtime/run.js';
import { FolderMemo, VectorizeEngine, type FolderMemoOptions, type VectorizeOptions } from '../../src/runtime/vectorize/index.js';
import { BASKET, profile } from '../model/fixtures.js';

export const PRICING = Pricing.fromCounts(profile('cpython-dev'), BASKET);

/** A 2-core machine with round figures: verdicts are the same on every host. */
export function fixedMachine(over: Partial<Parameters<typeof MachCap.fixed>[0]> = {}): MachCap {
  return MachCap.fixed({ opsPerSec: 1e9, memBytesPerSec: 1e10, netBytesPerSec: 1e8, diskReadBytesPerSec: 1e9, cores: 2, ...over });
}

export function tempDir(prefix = 'merg-e-vec-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** The key test stores sign their entries with (a real store's comes from key.ts). */
export const TEST_KEY = Buffer.from('test-memo-key-0123456789abcdef0123456789', 'utf8');

/** A folder store signed with TEST_KEY. */
export function folderMemo(dir: string, opts: Partial<FolderMemoOptions> = {}): FolderMemo {
  return new FolderMemo(dir, { key: TEST_KEY, ...opts });
}

/** Much work per row (a 300-step loop), a small result: worth fetching. */
export const HEAVY = (k = 3) => `mutable dataframe inDf int32 x;
mutable int i = 0;
while i < 20 { inDf(i); i += 1; };
mutable dataframe outDf int32 x, int64 s;
inert int k = ${k};
function heavy(x int32)::{}{
  mutable int s = 0;
  mutable int j = 0;
  while j < 300 { s += (x * j + k) % 11; j += 1; };
  return x s;
};
mutable blocker b;
b += vectorize heavy inDf outDf;
await_all b;
cout lang.dataframe.rows(outDf) endl;
`;

/** Two vectorizes of HEAVY's kind, one after the other (different keys). */
export const HEAVY_TWICE = `${HEAVY()}
mutable dataframe inDf2 int32 x;
i = 0;
while i < 20 { inDf2(i + 100); i += 1; };
mutable dataframe outDf2 int32 x, int64 s;
mutable blocker b2;
b2 += vectorize heavy inDf2 outDf2;
await_all b2;
cout lang.dataframe.rows(outDf2) endl;
`;

export interface VecRun {
  r: RunResult;
  engine: VectorizeEngine;
}

export function runVec(source: string, vec: VectorizeOptions = {}, opts: RunOptions & { mods?: Record<string, string> } = {}): VecRun {
  const engine = new VectorizeEngine({ machine: fixedMachine(), ...vec });
  const { mods, ...rest } = opts;
  const modules = mods ? { modules: new Map(Object.entries(mods)) } : {};
  const r = runProgram({ file: 'test.merge', source }, { pricing: PRICING, ...modules, ...rest, vectorize: engine.hook });
  return { r, engine };
}

/** The rows of a dataframe at the end of a run, by its declared name. */
export function dfRows(r: RunResult, name: string): unknown[][] {
  const mem = r.memory;
  if (!mem) throw new Error('the run never started');
  const found = mem.listDataframes().find((d) => d.path[d.path.length - 1] === name);
  if (!found) throw new Error(`no dataframe ${name}`);
  const h = mem.dataframe(mem.root, found.path);
  return Array.from({ length: h.rows }, (_, i) => h.row(i));
}

/** `rows` input rows 0, 1, …; f squares each; prints the rows of outDf. Little work a row. */
export const SQUARES = (rows: number) => `mutable dataframe inDf int32 x;
mutable int i = 0;
while i < ${rows} { inDf(i); i += 1; };
mutable dataframe outDf int64 y;
function sq(x int32)::{}{ return x * x; };
mutable blocker b;
b += vectorize sq inDf outDf;
await_all b;
cout lang.dataframe.rows(outDf) endl;
`;
