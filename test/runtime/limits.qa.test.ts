// QA: a program that fills the heap stops with MRG3014 instead of V8's fatal out-of-memory crash;
// long strings are looked at as they are made, not only at step checkpoints.
import { describe, expect, it } from 'vitest';

import { MergeError } from '../../src/diagnostics.js';
import { heapGuard, longStringWork } from '../../src/runtime/limits.js';
import { MAX_KEPT_OUTPUT } from '../../src/runtime/run.js';
import { err, run } from './helpers.js';

const at = { file: 'm.merge', line: 3, column: 1, endLine: 3, endColumn: 4 };

describe('the memory guard', () => {
  it('raises MRG3014, located, when the heap holds more than its share of the limit', () => {
    let e: unknown;
    try {
      heapGuard(at, 0);
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(MergeError);
    const d = (e as MergeError).diagnostic;
    expect([d.code, d.span]).toEqual(['MRG3014', at]);
    expect(d.message).toMatch(/^the program holds \d+ MB of memory, more than 0% of the \d+ MB this process may use$/);
    expect((e as MergeError).errorName).toBeUndefined(); // a limit: no handler catches it
  });

  it('lets a run within the heap go on', () => {
    expect(() => heapGuard(at)).not.toThrow();
    expect(() => longStringWork(1 << 20, at)).not.toThrow();
  });

  it('a string past 16M characters is a range_error with a hint about strings', () => {
    const e = err('mutable string s = "ab";\nwhile true { s = s + s; };\n');
    expect([e.name, e.code, e.line]).toEqual(['range_error', 'MRG3003', 2]);
    expect(e.diagnostic.hint).toContain('Strings are limited to 16777216 characters');
  });

  it('a loop of slow long-string steps stops near its --timeout, not 65,536 steps later', () => {
    const src = `mutable string s = "x";
mutable int i = 0;
while i < 21 { s = s + s; i += 1; };
inert string t = s;
mutable int n = 0;
while s < t + "y" { n += 1; };
`;
    const t0 = performance.now();
    const r = run(src, { timeoutMs: 200 });
    expect(r.error?.code).toBe('MRG3011');
    expect(r.error?.line).toBe(6);
    expect(performance.now() - t0).toBeLessThan(3000);
  });
});

describe('long output', () => {
  const spam = `mutable string s = "x";
mutable int i = 0;
while i < 22 { s = s + s; i += 1; };
while true { cout s; };
`;
  it('streamed: a slow cout step reads the clock; the result keeps at most MAX_KEPT_OUTPUT characters', () => {
    let streamed = 0;
    const t0 = performance.now();
    const r = run(spam, { timeoutMs: 300, stdout: (t) => void (streamed += t.length) });
    expect(r.error?.code).toBe('MRG3011');
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(streamed).toBeGreaterThan(MAX_KEPT_OUTPUT);
    expect(r.stdout.length).toBe(MAX_KEPT_OUTPUT);
  });

  it('held (no stream, as for --json): MRG3014 past MAX_KEPT_OUTPUT, not an internal error', () => {
    const r = run(spam, { timeoutMs: 5000 });
    expect(r.error?.code).toBe('MRG3014');
    expect(r.error?.message).toContain('more than 64 M characters to stdout');
    expect(r.exitCode).toBe(1);
  });
});

describe('slow steps that price long strings', () => {
  const grow = 'mutable string s = "x";\nmutable int i = 0;\nwhile i < 22 { s = s + s; i += 1; };\n';
  it.each([
    ['a dataframe append', 'mutable dataframe df string a;\nwhile true { df(s); };\n'],
    ['a declaration', 'while true { mutable string t = s; };\n'],
    ['an assignment', 'mutable string t = "";\nwhile true { t = s; };\n'],
  ])('%s of a 4M-character string in a loop stops near --timeout', (_, loop) => {
    const t0 = performance.now();
    const r = run(grow + loop, { timeoutMs: 300 });
    expect(r.error?.code).toBe('MRG3011');
    expect(performance.now() - t0).toBeLessThan(5000);
  });
});
