// Forcing a full garbage collection from inside the process (heap measurements, the memory guard).
import v8 from 'node:v8';
import vm from 'node:vm';

import { diagnostic, MergeError } from '../diagnostics.js';

let gcFn: (() => void) | null = null;

/** A function that forces a full garbage collection (exposing V8's gc if the process was not started with it). */
export function forceGc(): () => void {
  if (gcFn) return gcFn;
  const g = (globalThis as { gc?: unknown }).gc;
  if (typeof g === 'function') gcFn = g as () => void;
  else {
    v8.setFlagsFromString('--expose-gc');
    const fromContext: unknown = vm.runInNewContext('gc');
    if (typeof fromContext !== 'function') throw new MergeError(diagnostic('MRG4024', 'cannot force garbage collection: V8 did not expose gc'));
    gcFn = fromContext as () => void;
  }
  return gcFn;
}
