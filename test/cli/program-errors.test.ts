// How each command shows a program that does not parse or check: `run` shows every syntax error (it
// showed only the first), `compare` shows them once instead of one identical failed row per profile,
// and a merged module that is missing or broken is reported at its merge by `check` and before `run`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { checkSource } from '../../src/check/index.js';
import { folder, mergE } from './helpers.js';

const BROKEN = 'cout "a" endl;\nx = = 1;\ncout "b" endl;\nint y = ;\n';
const MERGE = 'shared mutable int n = 0;\nmutable merge m.f as f(x int)::{ n; }{};\ncout "ran" endl;\n';

describe('a program with several syntax errors', () => {
  it('merg-e run shows each of them, in order, and runs nothing', async () => {
    const { code, io } = await mergE(['run', 'b.merge'], folder({ 'b.merge': BROKEN }));
    expect(code).toBe(1);
    expect(io.stdout).toBe('');
    expect(io.stderr.match(/^b\.merge:\d+:\d+ MRG\d+ error/gm)).toEqual(['b.merge:2:5 MRG1010 error', 'b.merge:4:9 MRG1010 error']);
    expect(io.stderr).toContain('b.merge:2:5 MRG1010 error: syntax_error: expected an expression');
  });

  it('merg-e compare shows them once and prints no table of failed rows', async () => {
    const { code, io } = await mergE(['compare', 'b.merge'], folder({ 'b.merge': BROKEN }));
    expect(code).toBe(1);
    expect(io.stdout).toBe('');
    expect(io.stderr.match(/^b\.merge:\d+:\d+ MRG\d+ error/gm)).toEqual(['b.merge:2:5 MRG1010 error', 'b.merge:4:9 MRG1010 error']);
    expect(io.stderr).not.toContain('spread');
  });

  it('merg-e compare --json prints the first error as the JSON error document', async () => {
    const { code, io } = await mergE(['compare', '--json', 'b.merge'], folder({ 'b.merge': BROKEN }));
    expect(code).toBe(1);
    expect(JSON.parse(io.stdout)).toMatchObject({ ok: false, error: { code: 'MRG1010', line: 2, column: 5 } });
  });

  it('a static error is shown once by compare too', async () => {
    const { code, io } = await mergE(['compare', 'u.merge'], folder({ 'u.merge': 'cout nope endl;\n' }));
    expect(code).toBe(1);
    expect(io.stderr.match(/MRG2001/g)).toEqual(['MRG2001']);
  });
});

describe('merged modules at check time', () => {
  it('a missing module is MRG2007 at the merge, from check and before run starts', async () => {
    const dir = folder({ 'p.merge': MERGE });
    expect(checkSource(MERGE, join(dir, 'p.merge')).map((d) => [d.code, d.span?.line, d.message])).toEqual([['MRG2007', 2, `cannot read module 'm' (m.mrm): no such file`]]);
    const check = await mergE(['check', 'p.merge'], dir);
    expect(check.code).toBe(1);
    expect(check.io.stdout).toContain('p.merge:2:1 MRG2007 error');
    const run = await mergE(['run', 'p.merge'], dir);
    expect(run.code).toBe(1);
    expect(run.io.stdout).toBe('');
    expect(run.io.stderr).toContain('MRG2007 error: io_error: cannot read module');
  });

  it('a module that is not text says why', () => {
    const dir = folder({});
    writeFileSync(join(dir, 'm.mrm'), Buffer.from('function f(x int)::{ n; }{ n += x; };\0'));
    expect(checkSource(MERGE, join(dir, 'p.merge')).map((d) => d.message)).toEqual([
      `cannot read module 'm' (${join(dir, 'm.mrm')}): it is not UTF-8 text: it holds a NUL byte at byte offset 37 (UTF-16 text or a binary file)`,
    ]);
  });

  it('a module with syntax errors is MRG2008 at the merge, naming its first error, once however many merges name it', async () => {
    const dir = folder({ 'm.mrm': 'function f(x int)::{ n; }{ n += ; };\nfunction g()::{}{ return = ; };\n', 'p.merge': MERGE + 'mutable merge m.f as f2(x int)::{ n; }{};\n' });
    const ds = checkSource(MERGE + 'mutable merge m.f as f2(x int)::{ n; }{};\n', join(dir, 'p.merge'));
    expect(ds.map((d) => [d.code, d.span?.line])).toEqual([['MRG2008', 2]]);
    expect(ds[0]!.message).toMatch(/^module 'm' \(.*m\.mrm\) has errors; the first \(and 1 more\): 1:33 MRG1010 expected an expression, found ';'$/);
    const { code, io } = await mergE(['check', 'p.merge'], dir);
    expect(code).toBe(1);
    expect(io.stdout).toContain('help: Run merg-e check on');
  });

  it('an error inside a merged callable is shown with the module\'s own lines', async () => {
    const dir = folder({ 'm.mrm': 'function f(x int)::{ n; }{\n  n += x * nowhere;\n};\n', 'p.merge': MERGE });
    const { code, io } = await mergE(['check', 'p.merge'], dir);
    expect(code).toBe(1);
    expect(io.stdout).toContain("m.mrm:2:12 MRG2001 error: 'nowhere' is not declared here\n  1 | function f(x int)::{ n; }{\n> 2 |   n += x * nowhere;");
  });
});
