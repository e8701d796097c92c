// FnCost's refusals with their whole texts (every argument names itself), the combinators where
// the other operand wins, equality field by field, and the strict JSON reader's messages.
import { describe, expect, it } from 'vitest';

import { FnCost, toU64, U64_MAX } from '../../src/coren/fncost.js';
import { refusal } from './refusal.js';

describe('toU64', () => {
  it('says what is wrong with the argument it names', () => {
    expect(refusal(() => toU64(1.5, 'x'))).toBe('MRG4041: x must be a whole number, got 1.5');
    expect(refusal(() => toU64(2 ** 53, 'x'))).toBe('MRG4041: x = 9007199254740992 is beyond 2^53 and has lost precision; pass it as a bigint or a decimal string');
    expect(refusal(() => toU64('12' as unknown as bigint, 'x'))).toBe('MRG4041: x must be an integer, got string');
    expect(refusal(() => toU64(-3n, 'x'))).toBe('MRG4041: x must not be negative, got -3');
    expect(refusal(() => toU64(U64_MAX + 1n, 'x'))).toBe('MRG4041: x = 18446744073709551616 exceeds 2^64 − 1');
    expect(toU64(U64_MAX, 'x')).toBe(18446744073709551615n);
    expect(toU64(2 ** 53 - 1, 'x')).toBe(9007199254740991n);
  });
});

describe('every constructor names the argument it refuses', () => {
  const cases: [string, () => FnCost, string][] = [
    ['new W', () => FnCost.new(-1, 0, 0, 0), 'W (ops) must not be negative, got -1'],
    ['new Q', () => FnCost.new(0, -1, 0, 0), 'Q (memBytes) must not be negative, got -1'],
    ['new M', () => FnCost.new(0, 0, -1, 0), 'M (peakMem) must not be negative, got -1'],
    ['new R', () => FnCost.new(0, 0, 0, -1), 'R (resultBytes) must not be negative, got -1'],
    ['scan nBytes', () => FnCost.scan(-1, 0), 'scan nBytes must not be negative, got -1'],
    ['scan R', () => FnCost.scan(0, -1), 'scan R must not be negative, got -1'],
    ['sort n', () => FnCost.sort(-1, 0, 0), 'sort n must not be negative, got -1'],
    ['sort itemBytes', () => FnCost.sort(0, -1, 0), 'sort itemBytes must not be negative, got -1'],
    ['sort R', () => FnCost.sort(0, 0, -1), 'sort R must not be negative, got -1'],
    ['hash nBytes', () => FnCost.hash(-1), 'hash nBytes must not be negative, got -1'],
    ['matmul m', () => FnCost.matmul(-1, 0, 0, 0), 'matmul m must not be negative, got -1'],
    ['matmul n', () => FnCost.matmul(0, -1, 0, 0), 'matmul n must not be negative, got -1'],
    ['matmul k', () => FnCost.matmul(0, 0, -1, 0), 'matmul k must not be negative, got -1'],
    ['matmul R', () => FnCost.matmul(0, 0, 0, -1), 'matmul R must not be negative, got -1'],
    ['etl rows', () => FnCost.etl(-1, 0, 0, 0), 'etl rows must not be negative, got -1'],
    ['etl rowBytes', () => FnCost.etl(0, -1, 0, 0), 'etl rowBytes must not be negative, got -1'],
    ['etl fpr', () => FnCost.etl(0, 0, -1, 0), 'etl fpr must not be negative, got -1'],
    ['etl R', () => FnCost.etl(0, 0, 0, -1), 'etl R must not be negative, got -1'],
    ['copy size', () => FnCost.copy(-1), 'copy size must not be negative, got -1'],
    ['repeat k', () => FnCost.ZERO.repeat(-1), 'repeat k must not be negative, got -1'],
  ];
  it.each(cases)('%s', (_what, make, message) => {
    expect(refusal(make)).toBe(`MRG4041: ${message}`);
  });
});

describe('combinators where the second operand is the larger', () => {
  it('then keeps the larger peak, par the longer branch', () => {
    const small = FnCost.new(1, 2, 3, 4);
    const large = FnCost.new(10, 20, 30, 40);
    expect(small.then(large).toJSON()).toEqual({ ops: '11', memBytes: '22', peakMem: '30', resultBytes: '40' });
    expect(large.then(small).toJSON()).toEqual({ ops: '11', memBytes: '22', peakMem: '30', resultBytes: '4' });
    expect(small.par(large).toJSON()).toEqual({ ops: '10', memBytes: '22', peakMem: '33', resultBytes: '44' });
    expect(large.par(small).toJSON()).toEqual({ ops: '10', memBytes: '22', peakMem: '33', resultBytes: '44' });
  });

  it('equals compares every field', () => {
    const a = FnCost.new(1, 2, 3, 4);
    expect(a.equals(FnCost.new(1, 2, 3, 4))).toBe(true);
    expect(a.equals(FnCost.new(9, 2, 3, 4))).toBe(false);
    expect(a.equals(FnCost.new(1, 9, 3, 4))).toBe(false);
    expect(a.equals(FnCost.new(1, 2, 9, 4))).toBe(false);
    expect(a.equals(FnCost.new(1, 2, 3, 9))).toBe(false);
  });

  it('prints as FnCost(W=…, Q=…, M=…, R=…)', () => {
    expect(FnCost.new(1, 2, 3, U64_MAX).toString()).toBe('FnCost(W=1, Q=2, M=3, R=18446744073709551615)');
    expect(`${FnCost.ZERO}`).toBe('FnCost(W=0, Q=0, M=0, R=0)');
  });
});

describe('FnCost.fromJSON and parse', () => {
  const ok = { ops: '1', memBytes: '2', peakMem: '3', resultBytes: '4' };

  it('reads ops, or flops in its place, and the other fields by their own names', () => {
    expect(FnCost.fromJSON(ok).toJSON()).toEqual(ok);
    expect(FnCost.fromJSON({ flops: '7', memBytes: '2', peakMem: '3', resultBytes: '4' }).toJSON()).toEqual({ ...ok, ops: '7' });
    expect(FnCost.parse('{"ops":"18446744073709551615","memBytes":0,"peakMem":"3","resultBytes":4}').toJSON()).toEqual({ ops: '18446744073709551615', memBytes: '0', peakMem: '3', resultBytes: '4' });
  });

  it('refuses what is not an object, saying what it got', () => {
    const head = 'MRG4041: FnCost must be a JSON object with ops, memBytes, peakMem and resultBytes, got';
    expect(refusal(() => FnCost.fromJSON(null))).toBe(`${head} null`);
    expect(refusal(() => FnCost.fromJSON([ok]))).toBe(`${head} an array`);
    expect(refusal(() => FnCost.fromJSON('1'))).toBe(`${head} "1"`);
    expect(refusal(() => FnCost.fromJSON(5))).toBe(`${head} number 5`);
    expect(refusal(() => FnCost.fromJSON(undefined, 'cost of f'))).toBe('MRG4041: cost of f must be a JSON object with ops, memBytes, peakMem and resultBytes, got undefined undefined');
  });

  it('names the field and what is wrong with it', () => {
    const bad = (field: string, value: unknown) => refusal(() => FnCost.fromJSON({ ...ok, [field]: value }));
    expect(bad('memBytes', '1.5')).toBe('MRG4041: FnCost.memBytes must be a decimal string of digits, got "1.5"');
    expect(bad('peakMem', '-5')).toBe('MRG4041: FnCost.peakMem is negative ("-5")');
    expect(bad('peakMem', '-55')).toBe('MRG4041: FnCost.peakMem is negative ("-55")');
    expect(bad('peakMem', '-x')).toBe('MRG4041: FnCost.peakMem must be a decimal string of digits, got "-x"');
    expect(bad('peakMem', '-5a')).toBe('MRG4041: FnCost.peakMem must be a decimal string of digits, got "-5a"');
    expect(bad('peakMem', '-a-5')).toBe('MRG4041: FnCost.peakMem must be a decimal string of digits, got "-a-5"');
    expect(bad('resultBytes', '18446744073709551616')).toBe('MRG4041: FnCost.resultBytes = 18446744073709551616 exceeds 2^64 − 1');
    expect(bad('ops', true)).toBe('MRG4041: FnCost.ops must be a decimal string, got boolean true');
    expect(bad('ops', null)).toBe('MRG4041: FnCost.ops must be a decimal string, got null');
    expect(bad('ops', [1])).toBe('MRG4041: FnCost.ops must be a decimal string, got an array');
    expect(bad('ops', { n: 1 })).toBe('MRG4041: FnCost.ops must be a decimal string, got an object');
    expect(bad('ops', -1)).toBe('MRG4041: FnCost.ops must not be negative, got -1');
    expect(refusal(() => FnCost.fromJSON({ flops: 'x', memBytes: '2', peakMem: '3', resultBytes: '4' }, 'f'))).toBe('MRG4041: f.flops must be a decimal string of digits, got "x"');
    expect(refusal(() => FnCost.fromJSON({ memBytes: '2', peakMem: '3', resultBytes: '4' }))).toBe('MRG4041: FnCost is missing the field "ops"');
    expect(refusal(() => FnCost.fromJSON({ ops: '1', peakMem: '3', resultBytes: '4' }))).toBe('MRG4041: FnCost is missing the field "memBytes"');
    expect(refusal(() => FnCost.fromJSON({ ...ok, flops: '1' }))).toBe('MRG4041: FnCost gives both "ops" and its alias "flops"; keep one');
    expect(refusal(() => FnCost.fromJSON({ ...ok, Ops: '1' }))).toBe('MRG4041: FnCost has unknown field "Ops"; the fields are ops (alias flops), memBytes, peakMem, resultBytes');
  });

  it('says where JSON text stops parsing', () => {
    expect(refusal(() => FnCost.parse('{ops: 1}'))).toBe("MRG4041: FnCost is not valid JSON at line 1, column 2: expected property name or '}'");
    expect(refusal(() => FnCost.parse('{\n"ops":', 'cost.json'))).toBe('MRG4041: cost.json is not valid JSON at line 2, column 7: the text ends inside a value');
    expect(refusal(() => FnCost.parse('"1"', 'cost.json'))).toBe('MRG4041: cost.json must be a JSON object with ops, memBytes, peakMem and resultBytes, got "1"');
  });
});
