// QA: a failing stdout (a reader that went away, a full disk) ends the process cleanly, never with
// Node's unhandled-'error' stack trace.
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it, vi } from 'vitest';

import { endOnWriteError } from '../../src/cli/io.js';
import { bundleIsolated, REPO_ROOT } from '../support/isolated.js';

function failingStream(code: string): EventEmitter {
  const s = new EventEmitter();
  endOnWriteError(s as unknown as NodeJS.WriteStream, 'stdout');
  const e = Object.assign(new Error(`write ${code}`), { code });
  queueMicrotask(() => s.emit('error', e));
  return s;
}

describe('write errors on the process streams', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  it('EPIPE (merg-e run … | head) exits quietly with the status so far', async () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    process.exitCode = 1;
    failingStream('EPIPE');
    await new Promise((r) => setTimeout(r, 0));
    expect(exit).toHaveBeenCalledWith(1);
    expect(err).not.toHaveBeenCalled();
  });

  it('another write error (ENOSPC) is one coded MRG4025 line and exit 1', async () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    let written = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((t: string | Uint8Array) => ((written += String(t)), true));
    failingStream('ENOSPC');
    await new Promise((r) => setTimeout(r, 0));
    expect(written).toMatch(/^MRG4025 error: cannot write to stdout: ENOSPC\n {2}help: /);
    expect(exit).toHaveBeenCalledWith(1);
  });
});

describe('output to a pipe', () => {
  it('is switched to blocking writes (backpressure instead of an unbounded queue), where the stream allows it', async () => {
    const { blockOnFullPipe } = await import('../../src/cli/io.js');
    const calls: boolean[] = [];
    blockOnFullPipe({ _handle: { setBlocking: (on: boolean) => calls.push(on) } } as unknown as NodeJS.WriteStream);
    expect(calls).toEqual([true]);
    expect(() => blockOnFullPipe({} as NodeJS.WriteStream)).not.toThrow();
  });
});

describe('a reader that goes away (merg-e run prog | head -1)', () => {
  it('stops the program at the next write, quietly, with status 0 (it ran its whole --timeout, then MRG3011)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'merg-e-pipe-'));
    const prog = join(dir, 'loop.merge');
    writeFileSync(prog, 'mutable int i = 0;\nwhile true { cout "line " i endl; i += 1; };\n');
    const js = bundleIsolated(`import { mergeMain } from './src/cli/merge-main.ts';
      import { processIo } from './src/cli/io.ts';
      process.exitCode = await mergeMain(process.argv.slice(2), processIo());`);
    const child = spawn(process.execPath, ['--input-type=module', '-', 'run', '--timeout', '60', prog], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.end(js);
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += String(d)));
    // Read the first line, then close the pipe as head does.
    const first = await new Promise<string>((resolve) => {
      let got = '';
      child.stdout.on('data', (d: Buffer) => {
        got += String(d);
        if (got.includes('\n')) {
          child.stdout.destroy();
          resolve(got.split('\n')[0] as string);
        }
      });
    });
    const deadline = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const status = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    clearTimeout(deadline);
    expect(first).toBe('line 0');
    expect(status, err).toBe(0);
    expect(err).toBe('');
  });
});
