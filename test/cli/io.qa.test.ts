// QA: a failing stdout (a reader that went away, a full disk) ends the process cleanly, never with
// Node's unhandled-'error' stack trace.
import { EventEmitter } from 'node:events';

import { afterEach, describe, expect, it, vi } from 'vitest';

import { endOnWriteError } from '../../src/cli/io.js';

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
