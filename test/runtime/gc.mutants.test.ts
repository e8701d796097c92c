// Forcing a garbage collection (gc.ts): exposing V8's gc when the process was started without it,
// using a global gc when there is one, remembering the function, and the error when V8 refuses.
import vm from 'node:vm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MergeError } from '../../src/diagnostics.js';

type Global = { gc?: unknown };
const saved = (globalThis as Global).gc;

async function freshForceGc(): Promise<() => () => void> {
  vi.resetModules();
  return (await import('../../src/runtime/gc.js')).forceGc;
}

afterEach(() => {
  vi.restoreAllMocks();
  (globalThis as Global).gc = saved;
});

describe('forceGc', () => {
  // First in the file: V8's flags are per process, so this is the run that has to expose gc itself.
  it('exposes V8 gc when the process was started without it, once', async () => {
    // Assigned, not deleted: once any file has exposed gc, a thread started later gets a global gc
    // that cannot be deleted (V8 defines it non-configurable), as in mutation runs' test process.
    (globalThis as Global).gc = undefined;
    const forceGc = await freshForceGc();
    const gc = forceGc();
    expect(typeof gc).toBe('function');
    expect(() => gc()).not.toThrow();
    expect(forceGc()).toBe(gc);
  });

  it('uses the global gc when the process has one', async () => {
    const stub = vi.fn();
    (globalThis as Global).gc = stub;
    const forceGc = await freshForceGc();
    expect(forceGc()).toBe(stub);
  });

  it('is MRG4024 when V8 does not expose gc', async () => {
    (globalThis as Global).gc = undefined;
    vi.spyOn(vm, 'runInNewContext').mockReturnValue(undefined);
    const forceGc = await freshForceGc();
    let caught: unknown;
    try {
      forceGc();
    } catch (e) {
      caught = e;
    }
    // A fresh module graph has its own MergeError class, so compare by name.
    expect((caught as Error).name).toBe('MergeError');
    expect((caught as MergeError).code).toBe('MRG4024');
    expect((caught as MergeError).message).toBe('cannot force garbage collection: V8 did not expose gc');
  });
});
