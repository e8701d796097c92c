import { describe, expect, it } from 'vitest';
import { formatRunError } from '../../src/cli/run-report.js';
import { err, out, run } from './helpers.js';

describe('integers never wrap', () => {
  it('a result that does not fit its destination is a range_error', () => {
    const e = err('mutable int8 a = 100;\ninert int8 b = 20;\na = a + b + 10;');
    expect(e.name).toBe('range_error');
    expect(e.code).toBe('MRG3003');
    expect(e.line).toBe(3);
    expect(e.message).toContain('130');
    expect(e.message).toContain('int8');
  });

  it('unsigned types refuse negatives', () => {
    expect(err('mutable uint8 u = 0;\nu -= 1;').name).toBe('range_error');
  });

  it('a declaration whose initializer does not fit is a range_error', () => {
    expect(err('inert uint16 x = 65536;').name).toBe('range_error');
    expect(out('inert uint16 x = 65535;\ncout x endl;')).toBe('65535\n');
  });

  it('int is unbounded but capped at 16384 bits: a runaway ends in MRG3013', () => {
    const e = err('mutable int x = 2;\nwhile true { x = x * x; };');
    expect(e.code).toBe('MRG3013');
    expect(e.name).toBe('range_error');
    expect(e.line).toBe(2);
  });

  it('division by zero is a range_error', () => {
    expect(err('cout 1 / 0 endl;').name).toBe('range_error');
    expect(err('cout 1.0 / 0 endl;').name).toBe('range_error');
  });

  it('a float that overflows its width is a range_error', () => {
    expect(err('inert float16 h = 70000;').name).toBe('range_error');
  });
});

describe('type, name, freeze, ownership and capability errors', () => {
  it('mixing types is a type_error', () => {
    expect(err('cout "a" + 1 endl;').name).toBe('type_error');
    expect(err('inert int x = "a";').name).toBe('type_error');
  });

  it('calling with the wrong number of arguments is a type_error at run time, MRG2004 statically', () => {
    expect(err('inert function f(x int)::{}{ return x; };\ncout f(1, 2) endl;').code).toBe('MRG2004');
    expect(err('inert function f(x int)::{}{ return x; };\ncout f(1, 2) endl;', { check: false }).name).toBe('type_error');
  });

  it('assigning an inert name is a freeze_error (MRG2002 statically)', () => {
    expect(err('inert int x = 1;\nx = 2;').code).toBe('MRG2002');
    expect(err('inert int x = 1;\nx = 2;', { check: false }).code).toBe('MRG3005');
  });

  it('using a name after ent moved it is an ownership_error', () => {
    const src = 'mutable dag d;\nmutable int x = 5;\nent d x as X;\ncout x endl;';
    expect(err(src).code).toBe('MRG2003');
    const e = err(src, { check: false });
    expect(e.name).toBe('ownership_error');
    expect(e.line).toBe(4);
  });

  it('a moved capture is gone from the declaring scope; shared and inert ones are not', () => {
    expect(err('mutable int x = 1;\nmutable function f()::{ x; }{ x += 1; };\nx = 3;', { check: false }).name).toBe('ownership_error');
    expect(out('shared mutable int x = 1;\nmutable function f()::{ x; }{ x += 1; };\nf();\ncout x endl;')).toBe('2\n');
    expect(out('inert int x = 1;\ninert function f()::{ x; }{ return x; };\ncout f() x endl;')).toBe('11\n');
  });

  it('an undeclared name is MRG2001 statically and name_error at run time', () => {
    expect(err('cout nothere endl;').code).toBe('MRG2001');
    expect(err('cout nothere endl;', { check: false }).name).toBe('name_error');
  });

  it('authority not handed to a callable is MRG2006 statically and capability_error at run time', () => {
    const src = 'inert function f()::{}{ cout "x" endl; };\nf();';
    expect(err(src).code).toBe('MRG2006');
    expect(err(src, { check: false }).name).toBe('capability_error');
  });
});

describe('quota errors', () => {
  const stack = 'mutable dag olddag;\nmutable dag newdag = membrane<quota<5, 2, 0>> olddag;\n';

  it('name the membrane, the limit kind, the limit, the use and the amount asked', () => {
    const e = err(`${stack}mutable int64 newdag.a = 1;\nmutable int64 newdag.b = 1;\nmutable int64 newdag.c = 1;\nmutable int64 newdag.d = 1;\nmutable int64 newdag.e = 1;`);
    expect(e.name).toBe('quota_error');
    expect(e.code).toBe('MRG3006');
    expect(e.membrane).toBe('newdag');
    expect(e.limitKind).toBe('direct');
    expect(e.limit).toBe(2);
    expect(e.used).toBeGreaterThan(0);
    expect(e.used! + e.requested!).toBeGreaterThan(2);
    expect(e.used!).toBeLessThanOrEqual(2);
    expect(e.message).toContain("'newdag'");
  });

  it('a refused declaration of a membrane is a quota_error at the declaration', () => {
    const e = err('mutable dag a;\nmutable dag b = membrane<quota<10, 20, 0>> a;');
    expect(e.name).toBe('quota_error');
    expect(e.line).toBe(2);
  });
});

describe('uncaught errors as the user sees them', () => {
  it('print the error name, code, message, file:line:col and a code frame, never a JS stack', () => {
    const r = run('inert int x = 1;\nmutable int8 y = 300;\ncout x endl;');
    expect(r.exitCode).toBe(1);
    const text = formatRunError(r);
    expect(text.split('\n')[0]).toBe('test.merge:2:1 MRG3003 error: range_error: 300 does not fit \'y\', declared int8 (-128..127)');
    expect(text).toContain('> 2 | mutable int8 y = 300;');
    expect(text).toContain('help: ');
    expect(text).not.toMatch(/\bat .*\.(ts|js):\d+/);
  });

  it('an error raised in a module points into the module file', () => {
    const r = run('mutable merge m.f as f(x int)::{}{};\ncout f(0) endl;', { mods: { m: 'function f(x int)::{}{\n  return 10 / x;\n};' } });
    expect(r.error?.file).toBe('m.mrm');
    expect(r.error?.line).toBe(2);
    expect(formatRunError(r)).toContain('> 2 |   return 10 / x;');
  });

  it('an internal failure is reported as MRG3099 with a request to file it (exit 70)', () => {
    const r = run('mutable dataframe a int32 v;\nmutable dataframe b int32 v;\nmutable blocker k;\nmutable function f(x int)::{}{ return x; };\nk += vectorize f a b;', {
      vectorize: () => {
        throw new TypeError('boom');
      },
    });
    expect(r.exitCode).toBe(70);
    expect(r.error?.code).toBe('MRG3099');
    expect(r.error?.message).toContain('TypeError: boom');
    expect(formatRunError(r)).toContain('please file it');
  });

  it('names that are special in JS are ordinary Merg-E names', () => {
    const src = 'mutable int __proto__ = 1;\nmutable int constructor = 2;\nmutable dag hasOwnProperty;\nmutable int32 hasOwnProperty.__proto__.toString = 3;\ninert function valueOf(x int)::{}{ return x; };\ncout __proto__ + constructor " " hasOwnProperty.__proto__.toString " " valueOf(4) endl;';
    expect(out(src)).toBe('3 3 4\n');
  });

  it('a syntax error stops the run before it starts', () => {
    const r = run('cout "a" endl;\nmutable int = ;');
    expect(r.ok).toBe(false);
    expect(r.error?.code).toMatch(/^MRG1/);
    expect(r.stdout).toBe('');
  });
});
