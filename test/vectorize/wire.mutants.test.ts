// What crosses between the main thread and a worker thread, on hand-built outcomes: a MergeError
// crosses as its diagnostic and details and comes back as the same MergeError; anything else is an
// internal failure, named and fatal on the way back.
import { describe, expect, it } from 'vitest';

import { MergeError, type Diagnostic } from '../../src/diagnostics.js';
import type { RowOutcome } from '../../src/runtime/vectorize/sandbox.js';
import { fromWire, outcomeFromWire, outcomeToWire, toWire } from '../../src/runtime/vectorize/wire.js';

const SPAN = { file: 'p.merge', line: 3, column: 5, endLine: 3, endColumn: 9 };
const QUOTA: Diagnostic = { code: 'MRG3006', severity: 'error', message: 'outDf is over its quota', span: SPAN };
const quota = new MergeError(QUOTA, new Map<string, unknown>([['limit', 10n], ['used', 12n]]));

describe('toWire and fromWire', () => {
  it('a MergeError crosses as its diagnostic, details and message, and comes back the same', () => {
    const w = toWire(quota);
    expect(w).toEqual({ diagnostic: QUOTA, details: [['limit', 10n], ['used', 12n]], message: 'outDf is over its quota' });
    const back = fromWire(w);
    expect(back).toBeInstanceOf(MergeError);
    expect((back as MergeError).diagnostic).toEqual(QUOTA);
    expect([...(back as MergeError).details]).toEqual([['limit', 10n], ['used', 12n]]);
  });

  it('any other failure crosses as its name and message, or its text, and comes back as an internal Error', () => {
    expect(toWire(new TypeError('x is not a function'))).toEqual({ diagnostic: null, details: [], message: 'TypeError: x is not a function' });
    expect(toWire(new RangeError(''))).toEqual({ diagnostic: null, details: [], message: 'RangeError' });
    expect(toWire('thrown text')).toEqual({ diagnostic: null, details: [], message: 'thrown text' });
    expect(toWire(42)).toEqual({ diagnostic: null, details: [], message: '42' });
    const back = fromWire({ diagnostic: null, details: [], message: 'TypeError: boom' });
    expect(back).not.toBeInstanceOf(MergeError);
    expect(back.message).toBe('in a vectorize worker thread: TypeError: boom');
  });
});

describe('outcomeToWire and outcomeFromWire', () => {
  it('a computed row crosses as it is', () => {
    const o: RowOutcome = { ok: true, values: [1n, 'a', 2.5, true], ops: 9 };
    expect(outcomeToWire(o)).toEqual({ ok: true, values: [1n, 'a', 2.5, true], ops: 9 });
    expect(outcomeFromWire({ ok: true, values: [1n], ops: 3 })).toEqual({ ok: true, values: [1n], ops: 3 });
  });

  it('a language error stays a row failure; a limit or an internal failure stays fatal', () => {
    expect(outcomeToWire({ ok: false, error: quota, ops: 4 })).toEqual({ ok: false, error: toWire(quota), ops: 4, fatal: false });
    expect(outcomeToWire({ ok: false, fatal: true, error: new RangeError('deep'), ops: 5 })).toEqual({
      ok: false,
      error: { diagnostic: null, details: [], message: 'RangeError: deep' },
      ops: 5,
      fatal: true,
    });

    const row = outcomeFromWire({ ok: false, error: toWire(quota), ops: 4, fatal: false });
    expect(Object.keys(row).sort()).toEqual(['error', 'ok', 'ops']);
    expect(row).toMatchObject({ ok: false, ops: 4 });
    expect((row as { error: MergeError }).error.diagnostic).toEqual(QUOTA);

    const limit = outcomeFromWire({ ok: false, error: toWire(quota), ops: 6, fatal: true });
    expect(limit).toMatchObject({ ok: false, fatal: true, ops: 6 });
    expect((limit as { error: MergeError }).error).toBeInstanceOf(MergeError);

    const bug = outcomeFromWire({ ok: false, error: { diagnostic: null, details: [], message: 'TypeError: boom' }, ops: 7, fatal: false });
    expect(bug).toMatchObject({ ok: false, fatal: true, ops: 7 });
    expect((bug as { error: Error }).error.message).toBe('in a vectorize worker thread: TypeError: boom');
  });
});
