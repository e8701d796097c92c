// Declared types by name (types.ts): the sized ones, unknown names, the cache and its bound.
import { describe, expect, it, vi } from 'vitest';
import { BLOCKER, DAG, INT, scalarOf, STRING, typeByName } from '../../src/runtime/types.js';

describe('typeByName', () => {
  it.each([
    ['int8', { k: 'int', name: 'int8', bits: 8, signed: true, min: -128n, max: 127n }],
    ['uint8', { k: 'int', name: 'uint8', bits: 8, signed: false, min: 0n, max: 255n }],
    ['int1', { k: 'int', name: 'int1', bits: 1, signed: true, min: -1n, max: 0n }],
    ['float32', { k: 'float', name: 'float32', bits: 32 }],
    ['float16', { k: 'float', name: 'float16', bits: 16 }],
  ])('%s', (name, expected) => {
    expect(typeByName(name)).toMatchObject({ ...expected, scalar: { name } });
  });

  it.each(['nosuch', 'float8', 'int16385', 'uint0', ''])('%j is not a type', (name) => {
    expect(typeByName(name)).toBeNull();
  });

  it('the fixed names, including the older awaitable', () => {
    expect(typeByName('int')).toBe(INT);
    expect(typeByName('string')).toBe(STRING);
    expect(typeByName('dag')).toBe(DAG);
    expect(typeByName('awaitable')).toBe(BLOCKER);
    expect(typeByName('blocker')).toBe(BLOCKER);
  });

  it('a sized type is made once and then read from the cache', () => {
    expect(typeByName('int24')).toBe(typeByName('int24'));
  });

  it('the cache stops growing at 100000 names', async () => {
    vi.resetModules();
    const fresh = await import('../../src/runtime/types.js');
    for (let i = 0; i < 100_000; i++) fresh.typeByName(`n${i}`);
    const a = fresh.typeByName('int40');
    expect(a).toMatchObject({ k: 'int', bits: 40 });
    expect(fresh.typeByName('int40')).not.toBe(a);
    // Names cached before the bound are still served from it.
    expect(fresh.typeByName('n5')).toBeNull();
  });
});

// The table of fixed names is built when the module loads: a fresh copy is loaded inside the test, so
// a mutation run sees each of its entries used (they are not left as untested module constants).
describe('a fresh copy of the module', () => {
  it('names the fixed types and bounds every integer to 16384 bits', async () => {
    vi.resetModules();
    const fresh = await import('../../src/runtime/types.js');
    expect(fresh.INT_MAGNITUDE_LIMIT).toBe(2n ** 16383n);
    const scalar = (name: string, family: string, bits: number) => expect.objectContaining({ name, family, bits });
    expect(fresh.typeByName('int')).toEqual({ k: 'int', name: 'int', bits: 0, signed: true, min: null, max: null, scalar: scalar('int', 'bigint', 0) });
    expect(fresh.typeByName('string')).toEqual({ k: 'string', name: 'string', scalar: expect.objectContaining({ name: 'string' }) });
    expect(fresh.typeByName('bool')).toEqual({ k: 'bool', name: 'bool', scalar: expect.objectContaining({ name: 'bool' }) });
    expect(fresh.typeByName('dag')).toEqual({ k: 'dag', name: 'dag' });
    expect(fresh.typeByName('dataframe')).toEqual({ k: 'dataframe', name: 'dataframe' });
    expect(fresh.typeByName('blocker')).toEqual({ k: 'blocker', name: 'blocker' });
    expect(fresh.typeByName('awaitable')).toBe(fresh.typeByName('blocker'));
    expect(fresh.typeByName('')).toBeNull();
  });
});

describe('scalarOf', () => {
  it('is the model scalar of scalar types and null for the others', () => {
    expect(scalarOf(INT)).toBe(INT.scalar);
    expect(scalarOf(typeByName('float64')!)).toMatchObject({ name: 'float64', family: 'float', bits: 64 });
    expect(scalarOf(DAG)).toBeNull();
  });
});
