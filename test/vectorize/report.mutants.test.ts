// report.ts on hand-built reports: the `--report` table and memo lines written out in full (every
// column's text, width and alignment, every optional part), the JSON copy and a new report's fields.
// Each expected text is worked out by hand from the formats of coren/format.ts (counts /1000 with one
// decimal, bytes /1024 with one decimal, seconds with three decimals).
import { describe, expect, it } from 'vitest';

import type { DiagnosticJson } from '../../src/diagnostics.js';
import { newMemoCounts, newReport, reportsJson, reportsTable, memoLines, type MemoSummary, type VectorizeReport } from '../../src/runtime/vectorize/report.js';

const SPAN = { file: 'p.merge', line: 12, column: 3, endLine: 12, endColumn: 20 };

function diag(code: 'MRG3001' | 'MRG3010', name: string | null): DiagnosticJson & { name: string | null } {
  return { code, severity: 'error', message: 'm', file: 'p.merge', line: 1, column: 1, endLine: 1, endColumn: 2, hint: 'h', name };
}

function report(over: Partial<VectorizeReport>): VectorizeReport {
  return { ...newReport({ fnName: 'f', input: { name: 'inDf' }, output: { name: 'outDf' }, rows: [], span: SPAN }, {}, 'fixed'), ...over };
}

const verdict = (score: number, tFetch: number | '+inf', bottleneck: 'compute' | 'memory') => ({ score, action: 'compute' as const, bottleneck, tCompute: 1, tFetch, tStore: 0, forced: null, text: 't' });
const memo = (fetchSec: number | null, evicted: { entries: number; bytes: number } | null = null) => ({ location: '/m', entry: 'e', stored: false, bytes: null, fetchSec, ttlSec: null, evicted });

// A: fetched; a score and a predicted fetch time below 0.0005 s show three significant digits.
const A = report({
  line: 12, fn: 'sq', rows: 3, cost: { ops: '1500', memBytes: '2048', peakMem: '2048', resultBytes: '24' },
  verdict: verdict(0.0001234, 0.00025, 'compute'), decision: 'fetch', reason: 'verdict', result: 'fetched', mode: 'fetched',
  kept: 3, discarded: 0, abandoned: 0, memo: memo(0.0012),
});
// B: computed on 4 threads; a score of -12.5 keeps three decimals; no network is +inf.
const B = report({
  line: 7, fn: 'heavy', rows: 20, cost: { ops: '1234567', memBytes: '1000', peakMem: '1000', resultBytes: '0' },
  verdict: verdict(-12.5, '+inf', 'memory'), decision: 'compute', reason: 'verdict', result: 'computed', mode: 'threads', workers: 4,
  kept: 20, discarded: 0, abandoned: 0,
});
// C: failed on simulated workers, nothing known of its cost.
const C = report({
  line: 30, fn: 'f', rows: 5, reason: 'no memo store', mode: 'deterministic', workers: 3, kept: 2, discarded: 1, abandoned: 2, failedRow: 2,
  error: diag('MRG3001', 'quota_error'),
});
// D: an error without a Merg-E name shows its code; a zero score is 0.000; 0.0005 s is 0.001.
const D = report({
  line: 9, fn: 'g', rows: 1, cost: { ops: '0', memBytes: '0', peakMem: '0', resultBytes: '0' },
  verdict: verdict(0, 0.0005, 'compute'), reason: 'store unreachable', result: 'computed', kept: 0, discarded: 1, abandoned: 0,
  error: diag('MRG3010', null), memo: memo(null),
});

const TABLE = [
  'vectorize (4)',
  '  line  fn     rows     W      Q    R     score  neck     decision                     result               mode              kept  disc  aband  tFetch (fetched in)',
  '    12  sq        3  1.5K  2.0KB  24B  0.000123  compute  fetch (verdict)              fetched              fetched              3     0      0     0.000250 (0.001)',
  '     7  heavy    20  1.2M  1000B   0B   -12.500  memory   compute (verdict)            computed             threads x4          20     0      0                 +inf',
  '    30  f         5     -      -    -         -  -        compute (no memo store)      failed, quota_error  deterministic x3     2     1      2                    -',
  '     9  g         1     0     0B   0B     0.000  compute  compute (store unreachable)  computed, MRG3010    -                    0     1      0                0.001',
];

const QUIET: MemoSummary = {
  location: '/m',
  transport: 'disk',
  limits: { maxEntryBytes: 1048576, maxTotalBytes: null, policy: 'never evicted' },
  rates: null,
  ttlBaseSec: null,
  interpreter: null,
  state: 'up',
  lostAt: null,
  counts: newMemoCounts(),
};

const BUSY: MemoSummary = {
  location: 'redis://h:6379/0',
  transport: 'network',
  limits: { maxEntryBytes: 512, maxTotalBytes: 3 * 1024 ** 3, policy: 'entries expire' },
  rates: { latencySec: 0.0005, secPerByte: 1e-8, secPerValue: 2e-6, rttSec: 0.00012345, measuredAt: '2026-12-07T04:05:06.789Z', fromCache: true },
  ttlBaseSec: 60,
  interpreter: { opsPerSec: 12345678.4, secPerRow: 0.0000025, measuredAt: '2026-12-06T23:59:59Z', fromCache: false },
  state: 'lost',
  lostAt: { fn: 'heavy', line: 7, why: 'connection reset' },
  counts: { fetched: 1, declined: 2, missing: 9, corrupt: 3, poisoned: 4, unavailable: 5, stored: 6, raced: 7, notStored: 8, evictedEntries: 10, evictedBytes: 2048 },
};

describe('reportsTable', () => {
  it('is empty without vectorizes', () => {
    expect(reportsTable([])).toBe('');
    expect(reportsTable([], QUIET)).toBe('');
  });

  it('lines up every column: numbers and times to the right, words to the left, no trailing blanks', () => {
    expect(reportsTable([A, B, C, D])).toBe(TABLE.join('\n'));
  });

  it('an infinite score and predicted fetch time print as such, with the measured fetch beside', () => {
    const E = report({
      line: 1, fn: 'h', rows: 0, verdict: { ...verdict(0, '+inf', 'memory'), score: '+inf' }, reason: 'verdict', mode: 'inline',
      kept: 0, discarded: 0, abandoned: 0, memo: memo(0.00012),
    });
    expect(reportsTable([E])).toBe(
      [
        'vectorize (1)',
        '  line  fn  rows  W  Q  R  score  neck    decision           result  mode    kept  disc  aband  tFetch (fetched in)',
        '     1  h      0  -  -  -   +inf  memory  compute (verdict)  -       inline     0     0      0      +inf (0.000120)',
      ].join('\n'),
    );
  });

  it('is followed by the memo store lines when there is a store', () => {
    expect(reportsTable([A, B, C, D], QUIET)).toBe([...TABLE, '  memo store: /m (folder; entries up to 1.0MB; never evicted)', '  memo: 0 fetched, 0 stored'].join('\n'));
  });
});

describe('memoLines', () => {
  it('a folder without rates or interpreter speed: where, its entry limit and policy, and two counts', () => {
    expect(memoLines(QUIET)).toEqual(['  memo store: /m (folder; entries up to 1.0MB; never evicted)', '  memo: 0 fetched, 0 stored']);
  });

  it('a network store with every part: total limit, measured rates, interpreter speed, each nonzero count, where it was lost', () => {
    expect(memoLines(BUSY)).toEqual([
      '  memo store: redis://h:6379/0 (network; entries up to 512B, store up to 3.0GB; entries expire)',
      // 1/1e-8 = 1e8 B/s = 95.37 MiB/s; 1/2e-6 = 500,000 values/s; 0.00012345 s = 0.123 ms.
      '  memo fetch: round trip 0.123 ms, 0.5 ms per fetch, 95.4MB/s of result bytes, 500.0K values/s (measured 2026-12-07 04:05 UTC, cached)',
      '  compute: W priced at 12.3M interpreter operations/s + 2.5 µs a row (measured 2026-12-06 23:59 UTC)',
      '  memo: 1 fetched, 6 stored, 2 computed though stored, 3 corrupt ignored, 4 poisoned refused, 7 stored first by another writer, 8 not stored, evicted 10 (2.0KB) to stay under the store limit',
      '  memo store lost at vectorize heavy (line 7): connection reset; it and every later vectorize computed here',
    ]);
  });

  it('rates without a round trip or a date, a row cost of exactly 1 ms, a store unreachable from the start', () => {
    const m: MemoSummary = {
      ...QUIET,
      rates: { latencySec: 0.002, secPerByte: 1 / 1048576, secPerValue: 0.001, rttSec: null, measuredAt: '2026-01-02T03:04:05Z' },
      interpreter: { opsPerSec: 999, secPerRow: 0.001 },
      state: 'unreachable',
      lostAt: { fn: 'f', line: 1, why: 'refused' },
    };
    expect(memoLines(m)).toEqual([
      '  memo store: /m (folder; entries up to 1.0MB; never evicted)',
      '  memo fetch: 2 ms per fetch, 1.0MB/s of result bytes, 1.0K values/s (measured 2026-01-02 03:04 UTC)',
      '  compute: W priced at 999 interpreter operations/s + 1.00 ms a row',
      '  memo: 0 fetched, 0 stored',
      '  memo store unreachable at vectorize f (line 1): refused; it and every later vectorize computed here',
    ]);
    const bare = memoLines({ ...m, rates: { latencySec: 0.25, secPerByte: 1e-3, secPerValue: 1 }, interpreter: { opsPerSec: 1e9 } });
    expect(bare.slice(1, 3)).toEqual(['  memo fetch: 250 ms per fetch, 1000B/s of result bytes, 1 values/s', '  compute: W priced at 1.0G interpreter operations/s']);
  });
});

describe('newReport and reportsJson', () => {
  it('a new report: nothing ran yet, every row abandoned, the seed when one was given', () => {
    const job = { fnName: 'sq', input: { name: 'inDf' }, output: { name: 'outDf' }, rows: [1, 2, 3], span: SPAN };
    expect(newReport(job, { seed: 7 }, 'nominal')).toEqual({
      fn: 'sq', input: 'inDf', output: 'outDf', file: 'p.merge', line: 12, rows: 3, key: null, cost: null, verdict: null,
      decision: 'compute', reason: '', result: null, mode: null, machine: 'nominal', workers: 0, batchSize: 0, seed: 7,
      kept: 0, discarded: 0, abandoned: 3, failedRow: null, error: null, memo: null, warnings: [], seconds: 0,
    });
    expect(newReport(job, {}, 'measured').seed).toBeNull();
    expect(newReport(job, { seed: null }, 'measured').seed).toBeNull();
  });

  it('copies every nested part, so the JSON can be changed without changing the reports', () => {
    const warned = { ...A, memo: memo(0.5, { entries: 2, bytes: 100 }), warnings: [diag('MRG3001', null)] };
    const input = [warned, C];
    const out = reportsJson(input);
    expect(out).toEqual(input);
    const [w, c] = out as [VectorizeReport, VectorizeReport];
    expect(w).not.toBe(warned);
    expect(w.memo).not.toBe(warned.memo);
    expect(w.memo?.evicted).not.toBe(warned.memo.evicted);
    expect(w.verdict).not.toBe(warned.verdict);
    expect(w.warnings[0]).not.toBe(warned.warnings[0]);
    expect([c.memo, c.verdict]).toEqual([null, null]);
  });
});
