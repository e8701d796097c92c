// QA: a JSON file that does not parse is located, never quoted. V8's JSON.parse message repeats the
// text around the error, so `merg-e run --profile /proc/self/environ` printed the first bytes of the
// environment ("SHELL=/bin…"); every JSON reader of the project now says where and what, not the text.
import { describe, expect, it } from 'vitest';

import { FnCost } from '../src/coren/index.js';
import { MergeError } from '../src/diagnostics.js';
import { firstBadOffset, jsonSyntaxMessage } from '../src/json-syntax.js';
import { parseProfile } from '../src/model/profile.js';
import { parseBasket } from '../src/runtime/basket.js';
import { captureIo } from '../src/cli/io.js';
import { mergeMain } from '../src/cli/merge-main.js';

const SECRET = 'SHELL=/bin/bash\u0000MERG_E_SECRET=hunter2\u0000';

function message(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(MergeError);
    return (e as Error).message;
  }
  throw new Error('did not throw');
}

describe('JSON syntax errors', () => {
  it.each([
    ['{"a":1,}', 1, 8, "expected double-quoted property name"],
    ['{"a": tru}', 1, 7, 'unexpected character'],
    ['{\n  "a": 1,\n  "b": [1, 2,, 3]\n}', 3, 14, 'unexpected character'],
    ['{"a":1', 1, 7, "expected ',' or '}' after property value"],
    ['', 1, 1, 'the text ends inside a value'],
    ['{"a":1} x', 1, 9, 'unexpected non-whitespace character after JSON'],
    [SECRET, 1, 1, 'unexpected character'],
  ])('%j: line %i, column %i, %s', (text, line, column, why) => {
    let thrown: unknown;
    try {
      JSON.parse(text);
    } catch (e) {
      thrown = e;
    }
    expect(jsonSyntaxMessage(text, thrown)).toBe(`not valid JSON at line ${line}, column ${column}: ${why}`);
  });

  it('finds the first bad character where V8 gives no position, without recursing (deep nesting)', () => {
    expect(firstBadOffset('[1, 2, {"a": [true, null, "x"]}]')).toBe(-1);
    expect(firstBadOffset('[1, 2, {"a": [true, nul, "x"]}]')).toBe(20);
    expect(firstBadOffset('{"a" 1}')).toBe(5);
    expect(firstBadOffset('"\\q"')).toBe(0);
    expect(firstBadOffset(`${'['.repeat(500_000)}x`)).toBe(500_000);
    expect(firstBadOffset(`${'['.repeat(500_000)}${']'.repeat(500_000)}`)).toBe(-1);
  });

  it('profiles, baskets, FnCosts and machine specs never repeat the text of a file that is not JSON', () => {
    const shown = [
      message(() => parseProfile(SECRET, '/proc/self/environ')),
      message(() => parseBasket(SECRET, '/proc/self/environ')),
      message(() => FnCost.parse(SECRET)),
    ];
    for (const m of shown) {
      expect(m).toContain('not valid JSON at line 1, column 1: unexpected character');
      expect(m).not.toMatch(/SHELL|hunter2|'S'/);
    }
  });

  it('merg-e run --profile /proc/self/environ: MRG4010 without the environment', async () => {
    const io = captureIo(process.cwd());
    const code = await mergeMain(['run', '--profile', '/proc/self/environ', 'examples/primes.mrg'], io);
    expect(code).toBe(1);
    expect(io.stderr).toMatch(/^MRG4010 error: \/proc\/self\/environ: not valid JSON at line 1, column 1: unexpected character/);
    expect(io.stderr).not.toMatch(/SHELL|PATH=|HOME=/);
  });
});
