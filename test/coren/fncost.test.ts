import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { MergeError } from '../../src/diagnostics.js';
import { ceilLog2, FnCost, U64_MAX } from '../../src/coren/fncost.js';
import { formatBytes, formatCount, formatScore } from '../../src/coren/format.js';

const u64 = fc.bigInt({ min: 0n, max: U64_MAX });
/** Mostly small values, sometimes near the top, so sums and products both saturate and not. */
const field = fc.oneof(fc.bigInt({ min: 0n, max: 1n << 40n }), u64, fc.constantFrom(0n, 1n, U64_MAX, U64_MAX - 1n));
const cost = fc.tuple(field, field, field, field).map(([w, q, m, r]) => FnCost.new(w, q, m, r));

/** The diagnostic code `fn` throws ('no error' if none); anything but a MergeError is a failure. */
const code = (fn: () => unknown): string => {
  try {
    fn();
    return 'no error';
  } catch (e) {
    return e instanceof MergeError ? e.code : `not a MergeError: ${String(e)}`;
  }
};

describe('FnCost seed vectors', () => {
  it('sort(1_000_000, 64, 64_000_000) has exactly 200,000,000 ops', () => {
    const c = FnCost.sort(1_000_000, 64, 64_000_000);
    expect(c.ops).toBe(200_000_000n);
    expect(c.memBytes).toBe(1_280_000_000n);
    expect(c.peakMem).toBe(128_000_000n);
    expect(c.resultBytes).toBe(64_000_000n);
  });

  it('displays the seed table strings', () => {
    const sort = FnCost.sort(1_000_000, 64, 10 * 1024 * 1024);
    expect(formatCount(sort.ops)).toBe('200.0M');
    expect(formatBytes(sort.memBytes)).toBe('1.2GB');
    expect(formatBytes(sort.resultBytes)).toBe('10.0MB');
    const mm = FnCost.matmul(1000, 1000, 1000, 10 * 1024 * 1024);
    expect(formatCount(mm.ops)).toBe('2.0G');
    expect(formatBytes(mm.memBytes)).toBe('22.9MB');
  });
});

describe('FnCost constructors', () => {
  it('follow the table of coren.md section 1', () => {
    expect(FnCost.new(1, 2, 3, 4).toJSON()).toEqual({ ops: '1', memBytes: '2', peakMem: '3', resultBytes: '4' });
    expect(FnCost.scan(100, 7).toJSON()).toEqual({ ops: '100', memBytes: '100', peakMem: '7', resultBytes: '7' });
    // L(1000) = 10
    expect(FnCost.sort(1000, 8, 5).toJSON()).toEqual({ ops: '100000', memBytes: '80000', peakMem: '16000', resultBytes: '5' });
    expect(FnCost.hash(1000).toJSON()).toEqual({ ops: '16000', memBytes: '1000', peakMem: '0', resultBytes: '32' });
    expect(FnCost.matmul(2, 3, 4, 9).toJSON()).toEqual({ ops: '48', memBytes: String(8 * (8 + 12 + 6)), peakMem: String(8 * (8 + 12 + 6)), resultBytes: '9' });
    expect(FnCost.etl(10, 64, 5, 3).toJSON()).toEqual({ ops: '50', memBytes: '640', peakMem: '64', resultBytes: '3' });
    expect(FnCost.copy(500).toJSON()).toEqual({ ops: '0', memBytes: '1000', peakMem: '0', resultBytes: '500' });
  });

  it('computes L(n) = ceil(log2 n) on integers, 0 for n <= 1', () => {
    expect([0n, 1n, 2n, 3n, 4n, 5n, 1024n, 1025n, 1_000_000n].map(ceilLog2)).toEqual([0n, 0n, 1n, 2n, 2n, 3n, 10n, 11n, 20n]);
    expect(FnCost.sort(1, 64, 0).ops).toBe(0n);
    expect(ceilLog2(U64_MAX)).toBe(64n);
  });

  it('saturates at 2^64 - 1 instead of wrapping', () => {
    const big = FnCost.matmul(U64_MAX, U64_MAX, U64_MAX, U64_MAX);
    expect(big.ops).toBe(U64_MAX);
    expect(big.memBytes).toBe(U64_MAX);
    expect(FnCost.sort(U64_MAX, U64_MAX, 0).ops).toBe(U64_MAX);
    expect(FnCost.new(U64_MAX, 1, 1, 1).then(FnCost.new(1, 1, 1, 1)).ops).toBe(U64_MAX);
  });

  it('rejects negative, fractional, unsafe and too-large arguments with MRG4041', () => {
    expect(code(() => FnCost.scan(-1, 0))).toBe('MRG4041');
    expect(code(() => FnCost.hash(1.5))).toBe('MRG4041');
    expect(code(() => FnCost.hash(2 ** 60))).toBe('MRG4041');
    expect(code(() => FnCost.new(U64_MAX + 1n, 0, 0, 0))).toBe('MRG4041');
    expect(code(() => FnCost.new(0, 0, 0, 0).repeat(-2n))).toBe('MRG4041');
    expect(() => FnCost.scan(-1, 0)).toThrow(/scan nBytes must not be negative/);
  });
});

describe('FnCost combinators', () => {
  const a = FnCost.new(10, 20, 30, 40);
  const b = FnCost.new(1, 2, 300, 4);
  it('then: W and Q add, M = max, R = last; + is the same', () => {
    expect(a.then(b).toJSON()).toEqual({ ops: '11', memBytes: '22', peakMem: '300', resultBytes: '4' });
    expect(a.add(b).equals(a.then(b))).toBe(true);
  });
  it('par: W = max, Q, M, R add', () => {
    expect(a.par(b).toJSON()).toEqual({ ops: '10', memBytes: '22', peakMem: '330', resultBytes: '44' });
  });
  it('repeat: W and Q times k, M and R unchanged', () => {
    expect(a.repeat(3).toJSON()).toEqual({ ops: '30', memBytes: '60', peakMem: '30', resultBytes: '40' });
  });
  it('composes the seed pipeline', () => {
    const pipe = FnCost.scan(64_000_000, 0).then(FnCost.sort(1_000_000, 64, 0)).then(FnCost.hash(64_000_000));
    expect(pipe.ops).toBe(64_000_000n + 200_000_000n + 1_024_000_000n);
    expect(pipe.peakMem).toBe(128_000_000n);
    expect(pipe.resultBytes).toBe(32n);
  });
});

describe('FnCost properties', () => {
  it('saturation never wraps: results stay in range and never fall below an operand', () => {
    fc.assert(
      fc.property(cost, cost, fc.bigInt({ min: 0n, max: U64_MAX }), (x, y, k) => {
        for (const r of [x.then(y), x.par(y), x.repeat(k)]) {
          for (const f of ['ops', 'memBytes', 'peakMem', 'resultBytes'] as const) {
            expect(r[f] >= 0n && r[f] <= U64_MAX).toBe(true);
          }
        }
        const t = x.then(y);
        expect(t.ops >= x.ops && t.ops >= y.ops && t.memBytes >= x.memBytes).toBe(true);
        const p = x.par(y);
        expect(p.peakMem >= x.peakMem && p.resultBytes >= y.resultBytes).toBe(true);
        if (k > 0n) expect(x.repeat(k).ops >= x.ops).toBe(true);
      }),
    );
  });

  it('then and par are associative', () => {
    fc.assert(
      fc.property(cost, cost, cost, (x, y, z) => {
        expect(x.then(y).then(z).equals(x.then(y.then(z)))).toBe(true);
        expect(x.par(y).par(z).equals(x.par(y.par(z)))).toBe(true);
      }),
    );
  });

  it('repeat(k) equals k thens in W and Q', () => {
    fc.assert(
      fc.property(cost, fc.integer({ min: 1, max: 24 }), (x, k) => {
        let chained = x;
        for (let i = 1; i < k; i++) chained = chained.then(x);
        const rep = x.repeat(k);
        expect(rep.ops).toBe(chained.ops);
        expect(rep.memBytes).toBe(chained.memBytes);
        expect(rep.peakMem).toBe(x.peakMem);
        expect(rep.resultBytes).toBe(x.resultBytes);
      }),
    );
  });

  it('round-trips through JSON text', () => {
    fc.assert(
      fc.property(cost, (x) => {
        const text = JSON.stringify(x);
        expect(FnCost.parse(text).equals(x)).toBe(true);
        expect(FnCost.fromJSON(JSON.parse(text)).equals(x)).toBe(true);
      }),
    );
  });
});

describe('FnCost JSON reading', () => {
  const ok = { ops: '200000000', memBytes: '1280000000', peakMem: '128000000', resultBytes: '10485760' };
  it('writes decimal strings, even above 2^53', () => {
    expect(JSON.stringify(FnCost.new(U64_MAX, 0, 0, 0))).toBe('{"ops":"18446744073709551615","memBytes":"0","peakMem":"0","resultBytes":"0"}');
  });
  it('accepts flops as an alias of ops, and safe integer numbers', () => {
    const { ops, ...rest } = ok;
    expect(FnCost.fromJSON({ flops: ops, ...rest }).ops).toBe(200_000_000n);
    expect(FnCost.fromJSON({ ...ok, peakMem: 5 }).peakMem).toBe(5n);
  });
  it.each([
    ['negative', { ...ok, ops: '-1' }, /negative/],
    ['fraction', { ...ok, memBytes: '1.5' }, /decimal string of digits/],
    ['exponent', { ...ok, memBytes: '1e9' }, /decimal string of digits/],
    ['too large', { ...ok, peakMem: '18446744073709551616' }, /exceeds 2\^64/],
    ['negative number', { ...ok, peakMem: -3 }, /negative/],
    ['unsafe number', { ...ok, peakMem: 2 ** 60 }, /lost precision/],
    ['fractional number', { ...ok, peakMem: 0.5 }, /whole number/],
    ['missing field', { ops: '1', memBytes: '1', peakMem: '1' }, /missing the field "resultBytes"/],
    ['unknown field', { ...ok, extra: '1' }, /unknown field "extra"/],
    ['both ops and flops', { ...ok, flops: '1' }, /both "ops" and its alias "flops"/],
    ['null field', { ...ok, ops: null }, /decimal string, got null/],
    ['an array', [1, 2, 3, 4], /JSON object/],
  ])('rejects %s with MRG4041', (_name, value, message) => {
    expect(code(() => FnCost.fromJSON(value))).toBe('MRG4041');
    expect(() => FnCost.fromJSON(value)).toThrow(message);
  });
  it('rejects text that is not JSON', () => {
    expect(code(() => FnCost.parse('{ops: 1'))).toBe('MRG4041');
  });
  it('is not fooled by __proto__ keys', () => {
    expect(code(() => FnCost.parse(`{"__proto__":{"ops":"1"},${JSON.stringify(ok).slice(1)}`))).toBe('MRG4041');
  });
});

describe('display formats', () => {
  it('counts use decimal suffixes with one decimal', () => {
    expect([0, 999, 1000, 1500, 999_949, 999_950, 2e9, 1.5e12].map((n) => formatCount(n))).toEqual(['0', '999', '1.0K', '1.5K', '999.9K', '1.0M', '2.0G', '1.5T']);
    expect(formatCount(U64_MAX)).toBe('18.4E');
  });
  it('byte sizes use binary multiples labelled KB MB GB TB', () => {
    expect([0, 512, 1024, 1536, 24e6, 1.28e9, 1024 ** 4].map((n) => formatBytes(n))).toEqual(['0B', '512B', '1.0KB', '1.5KB', '22.9MB', '1.2GB', '1.0TB']);
    expect(formatBytes(1024 * 1024 - 1)).toBe('1.0MB');
  });
  it('scores use three decimals and +inf / -inf', () => {
    expect([-0.71203, 0.7789, 0, -0.0001, Infinity, -Infinity].map(formatScore)).toEqual(['-0.712', '0.779', '0.000', '0.000', '+inf', '-inf']);
  });
});
