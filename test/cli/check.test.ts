import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { check } from '../../src/cli/check.js';
import { captureIo } from '../../src/cli/io.js';
import { mergeMain } from '../../src/cli/merge-main.js';
import { useColor } from '../../src/diagnostics.js';

const root = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'merge-check-'));
writeFileSync(join(dir, 'good.merge'), 'mutable int x = 1;\ncout "x is " x endl;\n');
writeFileSync(join(dir, 'bad.merge'), 'mutable int x = ;\nint y = 2;\nz = = 1;\n');

async function run(args: string[], cwd = dir) {
  const io = captureIo(cwd);
  const status = await mergeMain(['check', ...args], io);
  return { status, out: io.stdout, err: io.stderr };
}

describe('merg-e check', () => {
  it('exits 0 on a clean file', async () => {
    const r = await run(['good.merge']);
    expect(r.status).toBe(0);
    expect(r.out).toBe('checked 1 file: 0 errors, 0 warnings\n');
  });

  it('prints warnings with file:line:col, code and frame, and still exits 0', async () => {
    const r = await run(['examples/seed-part17.merge'], root);
    expect(r.status).toBe(0);
    expect(r.out).toContain("examples/seed-part17.merge:37:56 MRG1011 warning: missing ';'");
    expect(r.out).toMatch(/> 37 \| mutable dag version = prune scope\.imported\.lang\.Version\n\s+\|\s+\^/);
    expect(r.out).toMatch(/checked 1 file: 0 errors, 5 warnings\n$/);
  });

  it('reports every error of a file with a caret frame and exits 1', async () => {
    const r = await run(['bad.merge']);
    expect(r.status).toBe(1);
    expect(r.out).toContain("bad.merge:1:17 MRG1010 error: expected an expression, found ';'");
    expect(r.out).toContain('bad.merge:3:5 MRG1010 error:');
    expect(r.out).toMatch(/> 1 \| mutable int x = ;\n\s+\|\s+\^/);
    expect(r.out).toContain('checked 1 file: 2 errors, 0 warnings');
    expect(r.out).not.toMatch(/\u001b\[/);
  });

  it('checks several files; one with errors fails the run', async () => {
    const r = await run(['good.merge', 'bad.merge']);
    expect(r.status).toBe(1);
    expect(r.out).toContain('checked 2 files: 2 errors, 0 warnings');
  });

  it('--json prints the documented shape', async () => {
    const r = await run(['--json', 'good.merge', 'bad.merge']);
    expect(r.status).toBe(1);
    const doc = JSON.parse(r.out) as { files: { file: string; diagnostics: Record<string, unknown>[] }[] };
    expect(doc.files.map((f) => f.file)).toEqual(['good.merge', 'bad.merge']);
    expect(doc.files[0]!.diagnostics).toEqual([]);
    expect(doc.files[1]!.diagnostics[0]).toEqual({
      code: 'MRG1010',
      severity: 'error',
      message: "expected an expression, found ';'",
      file: 'bad.merge',
      line: 1,
      column: 17,
      endLine: 1,
      endColumn: 17,
      hint: expect.any(String),
    });
  });

  it('a missing file: a clear message, no stack trace, exit 2', async () => {
    const r = await run(['nope.merge', 'good.merge']);
    expect(r.status).toBe(2);
    expect(r.out).toContain("MRG4001 error: cannot read 'nope.merge': no such file");
    expect(r.out + r.err).not.toMatch(/\n\s+at /);
    const j = await run(['--json', 'nope.merge']);
    expect(JSON.parse(j.out).files[0].diagnostics[0]).toMatchObject({ code: 'MRG4001', file: 'nope.merge', line: null });
  });

  it('bad usage exits 2 with MRG4002: no file, unknown option', async () => {
    const none = await run([]);
    expect(none.status).toBe(2);
    expect(none.err).toContain('MRG4002 error: merg-e check: no file given');
    const unknown = await run(['--jsn', 'good.merge']);
    expect(unknown.status).toBe(2);
    expect(unknown.err).toContain("MRG4002 error: merg-e check: unknown option '--jsn' (did you mean --json?)");
  });

  it('--help shows usage with examples', async () => {
    const r = await run(['--help']);
    expect(r.status).toBe(0);
    expect(r.out).toContain('usage: merg-e check [--json] FILE...');
    expect(r.out).toContain('merg-e check examples/seed-part17.merge');
  });

  it('colours only when the Io allows it', async () => {
    const io = captureIo(dir, { colorOut: true });
    let out = '';
    io.out = (t: string) => void (out += t);
    expect(await check(['bad.merge'], io)).toBe(1);
    expect(out).toMatch(/\u001b\[/);
  });

  it('a terminal gets colour unless NO_COLOR is set; a pipe never does', () => {
    const tty = { isTTY: true } as NodeJS.WriteStream;
    const saved = process.env['NO_COLOR'];
    try {
      delete process.env['NO_COLOR'];
      expect(useColor(tty)).toBe(true);
      expect(useColor({ isTTY: false } as NodeJS.WriteStream)).toBe(false);
      process.env['NO_COLOR'] = '1';
      expect(useColor(tty)).toBe(false);
    } finally {
      if (saved === undefined) delete process.env['NO_COLOR'];
      else process.env['NO_COLOR'] = saved;
    }
  });

  it('is listed in merg-e --help', async () => {
    const io = captureIo(dir);
    await mergeMain(['--help'], io);
    expect(io.stdout).toMatch(/check\s+parse Merg-E files/);
  });
});
