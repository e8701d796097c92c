// QA: every file the project reads goes through one bounded, non-blocking reader. A FIFO at a path
// blocked open() forever (whatever --timeout said); a link to /dev/zero was read until the process
// died. Each hostile path is now a coded answer within a second. Reads that could block run in a
// child process with a deadline, so a regression fails instead of hanging the test run.
import { execFileSync } from 'node:child_process';
import { closeSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { FileReadError, readFailure, readTextFile } from '../src/read-file.js';
import { runIsolated } from './support/isolated.js';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'merg-e-read-'));
}

function fifo(path: string): string {
  execFileSync('mkfifo', [path]);
  return path;
}

/** What reading `path` throws (the test fails if it returns). */
function failure(path: string, max: number): NodeJS.ErrnoException {
  let caught: unknown = null;
  try {
    readTextFile(path, max);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(Error);
  return caught as NodeJS.ErrnoException;
}

describe('readTextFile', () => {
  const dir = tmp();
  writeFileSync(join(dir, 'ok.txt'), 'héllo\n');
  const big = join(dir, 'big.txt');
  const fd = openSync(big, 'w');
  ftruncateSync(fd, 4097); // sparse
  closeSync(fd);
  symlinkSync('/dev/zero', join(dir, 'zero.json'));
  mkdirSync(join(dir, 'folder'));

  it('reads a regular file whole', () => {
    expect(readTextFile(join(dir, 'ok.txt'), 100)).toBe('héllo\n');
  });

  it('refuses a file over the limit by its size, before reading it', () => {
    const e = failure(big, 4096);
    expect(e).toBeInstanceOf(FileReadError);
    expect(e.code).toBe('EFBIG');
    expect(readFailure(e)).toBe('it is larger than 4 KiB');
  });

  it.each([
    ['/dev/zero', 'a device'],
    ['a link to /dev/zero', 'a device'],
    ['a folder', 'directory'],
  ])('refuses %s without reading it', (what, why) => {
    const path = what === '/dev/zero' ? '/dev/zero' : what === 'a folder' ? join(dir, 'folder') : join(dir, 'zero.json');
    const e = failure(path, 1 << 20);
    expect(e).toBeInstanceOf(FileReadError);
    expect(readFailure(e)).toContain(why);
  });

  it('passes a missing file on as Node does (ENOENT), worded for a diagnostic', () => {
    const e = failure(join(dir, 'nope'), 10);
    expect(e.code).toBe('ENOENT');
    expect(readFailure(e)).toBe('no such file');
  });
});

describe('a FIFO anywhere the project reads a file is refused at once', () => {
  const dir = tmp();
  const pipe = fifo(join(dir, 'pipe'));
  const runtimes = join(dir, 'runtimes');
  mkdirSync(runtimes);
  fifo(join(runtimes, 'x.json'));
  symlinkSync('/dev/zero', join(runtimes, 'z.json'));
  const memoDir = join(dir, 'memo');
  mkdirSync(memoDir);
  fifo(join(memoDir, `${'a'.repeat(64)}.memo`));
  const progDir = join(dir, 'prog');
  mkdirSync(progDir);
  fifo(join(progDir, 'm.mrm'));
  writeFileSync(join(progDir, 'p.merge'), 'merge m.f as f(x int)::{}{};\ncout "no" endl;\n');
  fifo(join(dir, '.coren-cache.json'));

  // Each line prints one answer; a read that blocks is killed by the deadline and fails the test.
  const script = `
    import { readTextFile, readFailure } from './src/read-file.ts';
    import { loadProfileByName } from './src/model/profile.ts';
    import { machineFromFile } from './src/runtime/vectorize/machine.ts';
    import { FolderMemo, lookup } from './src/runtime/vectorize/memo/index.ts';
    import { runProgram } from './src/runtime/run.ts';
    import { readCache } from './src/coren/cache.ts';
    const dir = ${JSON.stringify(dir)};
    const tryIt = (f) => { try { return String(f()); } catch (e) { return (e.code ?? '') + ' ' + e.message; } };
    console.log('fifo: ' + tryIt(() => readTextFile(dir + '/pipe', 100)));
    console.log('profile: ' + tryIt(() => loadProfileByName('x', dir + '/runtimes')));
    console.log('profile link: ' + tryIt(() => loadProfileByName('z', dir + '/runtimes')));
    console.log('machine: ' + tryIt(() => machineFromFile(dir + '/pipe')));
    console.log('memo: ' + JSON.stringify(lookup(new FolderMemo(dir + '/memo', { key: Buffer.alloc(32) }), '${'a'.repeat(64)}')));
    const r = runProgram({ file: dir + '/prog/p.merge' });
    console.log('module: ' + r.error?.code + ' ' + r.error?.message);
    console.log('program: ' + tryIt(() => runProgram({ file: dir + '/pipe' })));
    console.log('cache: ' + JSON.stringify(await readCache(dir, { cpuModel: 'x', cores: 1, ramTotal: 1, runtime: 'x' })));
  `;

  it('sources, modules, profiles, machine specs, memo entries and the coren cache', () => {
    const r = runIsolated(script, { timeoutMs: 30_000 });
    expect(r.timedOut, r.stderr).toBe(false);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(8);
    expect(lines[0]).toMatch(/^fifo: ENOTREG .*pipe: it is a FIFO \(named pipe\), not a regular file$/);
    expect(lines[1]).toMatch(/^profile: MRG4001 cannot read .*x\.json: it is a FIFO/);
    expect(lines[2]).toMatch(/^profile link: MRG4001 cannot read .*z\.json: it is a device, not a regular file/);
    expect(lines[3]).toMatch(/^machine: MRG4033 cannot read the machine spec .*pipe: it is a FIFO/);
    expect(lines[4]).toContain('"kind":"corrupt"');
    expect(lines[4]).toContain('it is a FIFO');
    // The static checks load merged modules before the run starts (MRG2007 says why it cannot be read).
    expect(lines[5]).toMatch(/^module: MRG2007 cannot read module 'm' \(.*m\.mrm\): it is a FIFO/);
    expect(lines[6]).toMatch(/^program: MRG4001 cannot read .*pipe.*: it is a FIFO/);
    expect(lines[7]).toContain('"kind":"corrupt"');
    expect(lines[7]).toContain('it is a FIFO');
  });

  it('merg-e run --machine FIFO ends in MRG4033 (it used to block forever in open())', () => {
    const r = runIsolated(`import { mergeMain } from './src/cli/merge-main.ts'; import { captureIo } from './src/cli/io.ts';
      const io = captureIo(${JSON.stringify(progDir)});
      const code = await mergeMain(['run', '--machine', ${JSON.stringify(pipe)}, 'p.merge'], io);
      console.log(code + ' ' + io.stderr.split('\\n')[0]);`);
    expect(r.timedOut, r.stderr).toBe(false);
    expect(r.stdout).toMatch(/^1 MRG4033 error: cannot read the machine spec .*pipe: it is a FIFO/);
  });
});
