// What a user reads when running examples end to end: paths in messages as the program wrote them,
// and the float16 RAM-point built-ins printed as float16.
import { describe, expect, it } from 'vitest';

import { userPaths } from '../../src/runtime/space.js';
import { err, out } from './helpers.js';

describe('paths in error messages', () => {
  it('leave out the interpreter\'s scope nodes and slot suffixes', () => {
    expect(userPaths("graft of 'V' into #main.base refused")).toBe("graft of 'V' into base refused");
    expect(userPaths('#main.f()#5.y#d1 is frozen')).toBe('f().y is frozen');
    expect(userPaths('#primes.x#3 already exists')).toBe('x already exists');
    expect(userPaths('#module:/tmp/a.b/utils.mrm.max_prime is inert')).toBe('max_prime is inert');
    expect(userPaths('a plain message')).toBe('a plain message');
  });

  it('a refused graft names the DAG it was grafted into by the program\'s name for it', () => {
    const src = [
      'mutable dag base;',
      'mutable dag inner = membrane<quota<5, 0, 0>> base;',
      'mutable dag v = prune scope.imported.lang.Version;',
      'ent inner v as Version;',
    ].join('\n');
    const e = err(src);
    expect(e.name).toBe('quota_error');
    expect(e.message).toMatch(/^graft of 'Version' into base refused by quota membrane 'inner'/);
    expect(e.line).toBe(4);
    expect(e.membrane).toBe('inner');
  });

  it('a name declared twice (a loop) is still shown by its name', () => {
    const src = 'mutable dag d;\nfreeze d;\nmutable int i = 0;\nwhile i < 2 {\n  i += 1;\n  mutable dag e;\n  mutable int8 d.x = 1;\n};\n';
    const e = err(src);
    expect(e.name).toBe('freeze_error');
    expect(e.message).toMatch(/^d is frozen/);
  });
});

describe('printing the RAM-point built-ins', () => {
  it('prints their float16 results in the shortest form that reads back as the same float16', () => {
    const direct = out('cout lang.memory.int.rampoints(lang.types.int128) " " lang.memory.string.dynamic_rampoints(800) endl;');
    const declared = out('inert float16 a = lang.memory.int.rampoints(lang.types.int128);\ninert float16 b = lang.memory.string.dynamic_rampoints(800);\ncout a " " b endl;');
    expect(direct).toBe(declared);
    for (const x of direct.trim().split(' ')) expect(x.replace(/^\d+\.?/, '').length).toBeLessThanOrEqual(4);
  });

  it('other calls still print their float64 results in full', () => {
    const src = 'function f(x int)::{}{ return 0.1 + 0.2; };\ncout f(1) endl;';
    expect(out(src)).toBe('0.30000000000000004\n');
  });
});
