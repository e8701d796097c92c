// The `lang` built-ins reached from small programs, and the `ambient` authority built directly (builtins.ts).
import { describe, expect, it } from 'vitest';
import { ambientNamespace, stream } from '../../src/runtime/builtins.js';
import { ENDL, type NamespaceValue } from '../../src/runtime/values.js';
import { parseProfile, Pricing } from '../../src/model/index.js';
import { UNIT_BASKET, unitProfileJson } from '../../src/testing/unit-world.js';
import { err, out } from './helpers.js';

/** The unit profile (1 byte = 1 milli-point) with an int32 of 70,000,000 bytes: 70000 points, past float16. */
function heavyInt32(): Pricing {
  const json = unitProfileJson() as { bytes: Record<string, number> };
  json.bytes['scalar:int32'] = 70_000_000;
  return Pricing.fromCounts(parseProfile(JSON.stringify(json), 'unit.json'), UNIT_BASKET);
}

describe('lang built-ins', () => {
  it.each([
    ['cout lang.assert(1 < 2) endl;', 'true\n'],
    ['cout lang.types endl;', '<namespace lang.types>\n'],
    ['cout lang.type endl;', '<namespace lang.type>\n'],
    ['cout lang.assert endl;', '<built-in lang.assert>\n'],
    ['cout lang.version " " lang.memory " " lang.memory.int " " lang.memory.string endl;', '<namespace lang.version> <namespace lang.memory> <namespace lang.memory.int> <namespace lang.memory.string>\n'],
    ['cout lang.memory.int.rampoints " " lang.memory.string.dynamic_rampoints endl;', '<built-in lang.memory.int.rampoints> <built-in lang.memory.string.dynamic_rampoints>\n'],
    ['cout lang.types.int32 " " lang.type.float16 " " (lang.types.int32 == lang.type.int32) endl;', 'int32 float16 true\n'],
    ['cout lang.memory.dag " " lang.memory.dag.dag_rampoints " " lang.dataframe " " lang.dataframe.rows endl;', '<namespace lang.memory.dag> <built-in lang.memory.dag.dag_rampoints> <namespace lang.dataframe> <built-in lang.dataframe.rows>\n'],
  ])('%s', (src, expected) => {
    expect(out(src)).toBe(expected);
  });

  it('an int type or a place priced past float16 under a profile is a range_error naming the built-in', () => {
    const pricing = heavyInt32();
    const int = err('cout lang.memory.int.rampoints(lang.type.int32) endl;', { pricing });
    expect([int.code, int.message]).toEqual(['MRG3003', 'lang.memory.int.rampoints(int32) is 70000 RAM-points, beyond the float16 it returns (at most 65504)']);
    const dag = err('mutable dag d;\ncout lang.memory.dag.dag_rampoints(d, lang.type.int32) endl;', { pricing });
    expect([dag.code, dag.message]).toEqual(['MRG3003', 'lang.memory.dag.dag_rampoints(d, int32) is 70000 RAM-points, beyond the float16 it returns (at most 65504)']);
    const made = err('mutable dag d;\ninert function g()::{ d; }{ return d; };\ncout lang.memory.dag.dag_rampoints(g(), lang.type.int32) endl;', { pricing });
    expect(made.message).toBe('lang.memory.dag.dag_rampoints(…, int32) is 70000 RAM-points, beyond the float16 it returns (at most 65504)');
  });

  it('string lengths 0 and 2^40 bytes pass the length check; points beyond float16 are a range_error', () => {
    // The built-in returns float16 (spec part 17): 5e6 bytes (58496, a float16) still fit; 5.6e6
    // bytes are 65530.38 points, which rounds past float16's largest value 65504.
    expect(out('cout lang.memory.string.dynamic_rampoints(0) " " lang.memory.string.dynamic_rampoints(5000000) endl;')).toBe('0.573 58496.0\n');
    const beyond = err('cout lang.memory.string.dynamic_rampoints(5600000) endl;');
    expect([beyond.code, beyond.message]).toEqual(['MRG3003', 'lang.memory.string.dynamic_rampoints(5600000) is 65530.38 RAM-points, beyond the float16 it returns (at most 65504)']);
    const top = err('cout lang.memory.string.dynamic_rampoints(1099511627776) endl;');
    expect([top.code, top.message]).toEqual(['MRG3003', 'lang.memory.string.dynamic_rampoints(1099511627776) is 12866211398.539 RAM-points, beyond the float16 it returns (at most 65504)']);
  });

  it.each([
    ['cout lang.assert(1 < 0) endl;', 'MRG3009', 'lang.assert failed: the condition is false'],
    ['cout lang.assert(1) endl;', 'MRG3002', 'lang.assert needs a bool, not an integer'],
    ['cout lang.memory.int.rampoints(3) endl;', 'MRG3002', 'rampoints needs a type such as lang.types.int2048, not an integer'],
    ['cout lang.memory.int.rampoints(lang.assert) endl;', 'MRG3002', 'rampoints needs a type such as lang.types.int2048, not a builtin'],
    ['cout lang.memory.string.dynamic_rampoints(1099511627777) endl;', 'MRG3003', 'a string length must be 0..2^40 bytes, not 1099511627777'],
    ['cout lang.memory.string.dynamic_rampoints(-1) endl;', 'MRG3003', 'a string length must be 0..2^40 bytes, not -1'],
    ['cout lang.memory.string.dynamic_rampoints("a") endl;', 'MRG3002', 'dynamic_rampoints needs a length in bytes, not a string'],
    ['cout lang.dataframe.rows(3) endl;', 'MRG3002', 'lang.dataframe.rows needs a dataframe, not an integer'],
    ['cout lang.dataframe.rows(lang.types.int8) endl;', 'MRG3002', 'lang.dataframe.rows needs a dataframe, not a type'],
  ])('%s', (src, code, message) => {
    const e = err(src);
    expect([e.code, e.message]).toEqual([code, message]);
  });
});

describe('ambient', () => {
  it('is authority holding only the output streams', () => {
    const cout = stream('cout', () => undefined);
    const cerr = stream('cerr', () => undefined);
    const ambient = ambientNamespace(cout, cerr);
    expect([ambient.name, ambient.authority]).toEqual(['ambient', true]);
    const io = ambient.get('io') as NamespaceValue;
    expect([io.tag, io.name, io.authority]).toEqual(['namespace', 'ambient.io', true]);
    expect(io.get('cout')).toBe(cout);
    expect(io.get('cerr')).toBe(cerr);
    expect(io.get('endl')).toBe(ENDL);
    expect(io.get('cin')).toBeUndefined();
  });
});
