// merg-e run --html and merg-e compare --html: the command does what it does without the option, then
// writes one self-contained page, atomically; an OUT that cannot be written is refused before the
// program runs (MRG4080), and an OUT that names a Merg-E source is bad usage.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { jsonThenReport } from '../../src/cli/html-option.js';
import { captureIo } from '../../src/cli/io.js';
import { fail } from '../../src/diagnostics.js';
import { folder, mergE } from './helpers.js';

const STACK = [
  'mutable dag olddag;',
  'mutable dag newdag = membrane<quota<80, 40, 30>> olddag;',
  'mutable dag dag3 = membrane<quota<60, 30, 10>> newdag;',
  'mutable int64 dag3.a = 1;',
  'cout "done" endl;',
].join('\n');

const REFUSED = 'mutable dag s;\nmutable dag q = membrane<quota<1, 1, 0>> s;\ncout "before" endl;\nmutable string q.t = "a string far too long for one point of quota";\ncout "after" endl;\n';

describe('merg-e run --html', () => {
  it('runs as without it, then writes the report and says so on stderr', async () => {
    const dir = folder({ 'p.merge': STACK });
    const plain = await mergE(['run', 'p.merge'], dir);
    const { code, io } = await mergE(['run', '--html', 'out.html', 'p.merge'], dir);
    expect(code).toBe(plain.code);
    expect(io.stdout).toBe(plain.io.stdout);
    expect(io.stderr).toBe(`${plain.io.stderr}HTML report written to out.html\n`);
    const html = readFileSync(join(dir, 'out.html'), 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('Run report: <code>p.merge</code>');
    expect(html).toContain('data-membrane="dag3"');
    expect(html).toContain('id="timeline"');
    expect(html).toMatch(/<section id="timeline"><h2>[^<]*<\/h2><figure><svg/);
    expect(readdirSync(dir).sort()).toEqual(['out.html', 'p.merge']); // no temporary file left
  });

  it('a refused run: the same error and exit 1, and the report marks the refusing membrane', async () => {
    const dir = folder({ 'p.merge': REFUSED });
    const { code, io } = await mergE(['run', '--html', 'r.html', 'p.merge'], dir);
    expect(code).toBe(1);
    expect(io.stdout).toBe('before\n');
    expect(io.stderr).toContain('MRG3006');
    const html = readFileSync(join(dir, 'r.html'), 'utf8');
    expect(html).toMatch(/<li class="membrane quota refused" data-membrane="q"/);
    expect(html).toContain('The run stopped: quota_error');
  });

  it('goes with --json (stdout one document, nothing added on stderr) and with --report', async () => {
    const dir = folder({ 'p.merge': STACK });
    const json = await mergE(['run', '--json', '--html', 'j.html', 'p.merge'], dir);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.io.stdout).ok).toBe(true);
    expect(json.io.stderr).toBe('');
    expect(existsSync(join(dir, 'j.html'))).toBe(true);
    const report = await mergE(['run', '--report', '--html', 'k.html', 'p.merge'], dir);
    expect(report.io.stderr).toContain('report (profile cpython-dev');
    expect(existsSync(join(dir, 'k.html'))).toBe(true);
  });

  it('replaces an existing report whole', async () => {
    const dir = folder({ 'p.merge': STACK, 'out.html': 'old' });
    await mergE(['run', '--html', 'out.html', 'p.merge'], dir);
    expect(readFileSync(join(dir, 'out.html'), 'utf8')).toMatch(/^<!DOCTYPE html>[\s\S]*<\/html>\n$/);
  });

  it('an OUT that cannot be written is MRG4080 before the program runs', async () => {
    const dir = folder({ 'p.merge': STACK });
    mkdirSync(join(dir, 'a-folder'));
    for (const [out, why] of [
      ['missing/out.html', 'its folder does not exist'],
      ['a-folder', 'it is a folder'],
      ['p.merge/x.html', 'its folder is a file'],
    ] as const) {
      const { code, io } = await mergE(['run', '--html', out, 'p.merge'], dir);
      expect(code, out).toBe(1);
      expect(io.stdout, out).toBe(''); // the program did not run
      expect(io.stderr).toContain(`MRG4080 error: cannot write the HTML report ${out}: ${why}`);
    }
    if (process.getuid?.() !== 0) {
      mkdirSync(join(dir, 'locked'));
      chmodSync(join(dir, 'locked'), 0o500);
      const { code, io } = await mergE(['run', '--html', 'locked/out.html', 'p.merge'], dir);
      expect(code).toBe(1);
      expect(io.stderr).toContain('the folder is not writable');
    }
  });

  it('an OUT that names a Merg-E source, or standard output, is bad usage (the program is not overwritten)', async () => {
    const dir = folder({ 'p.merge': STACK, 'q.merge': STACK });
    for (const out of ['q.merge', 'x.mrg', 'm.mrm', '-']) {
      const { code, io } = await mergE(['run', '--html', out, 'p.merge'], dir);
      expect(code, out).toBe(2);
      expect(io.stderr).toContain('MRG4002');
    }
    expect(readFileSync(join(dir, 'q.merge'), 'utf8')).toBe(STACK);
    const missing = await mergE(['run', 'p.merge', '--html'], dir);
    expect(missing.code).toBe(2);
    expect(missing.io.stderr).toContain('--html needs a value');
  });

  it('with --json, a report that cannot be written is told on stderr only: stdout keeps its one document', async () => {
    const io = captureIo();
    io.out('{"ok":true}\n');
    const status = await jsonThenReport(0, async () => fail('MRG4080', 'cannot write the HTML report r.html: the disk is full'), io);
    expect(status).toBe(1);
    expect(io.stdout).toBe('{"ok":true}\n');
    expect(io.stderr).toContain('MRG4080');
    expect(await jsonThenReport(1, async () => fail('MRG4080', 'x'), captureIo())).toBe(1);
  });
});

describe('merg-e compare --html', () => {
  it('prints the table as without it, then writes the compare report', async () => {
    const dir = folder({ 'p.merge': REFUSED });
    const plain = await mergE(['compare', '--profiles', 'cpython-dev,jvm', 'p.merge'], dir);
    const { code, io } = await mergE(['compare', '--profiles', 'cpython-dev,jvm', '--html', 'c.html', 'p.merge'], dir);
    expect(code).toBe(plain.code);
    expect(io.stdout).toBe(plain.io.stdout);
    expect(io.stderr).toBe('HTML report written to c.html\n');
    const html = readFileSync(join(dir, 'c.html'), 'utf8');
    expect(html).toContain('Compare report: <code>p.merge</code>');
    expect(html).toContain('<tr data-profile="jvm"');
    const json = await mergE(['compare', '--json', '--profiles', 'cpython-dev', '--html', 'd.html', 'p.merge'], dir);
    expect(JSON.parse(json.io.stdout).profiles).toHaveLength(1);
    expect(json.io.stderr).toBe('');
  });

  it('a program that does not parse: its errors once, exit 1, no report (nothing ran)', async () => {
    const dir = folder({ 'p.merge': 'mutable int32 x = ;\n' });
    const { code, io } = await mergE(['compare', '--html', 'c.html', 'p.merge'], dir);
    expect(code).toBe(1);
    expect(io.stderr).toContain('MRG1010');
    expect(existsSync(join(dir, 'c.html'))).toBe(false);
  });

  it('refuses an OUT it cannot write before running anything', async () => {
    const dir = folder({ 'p.merge': STACK });
    const { code, io } = await mergE(['compare', '--html', 'nowhere/c.html', 'p.merge'], dir);
    expect(code).toBe(1);
    expect(io.stdout).toBe('');
    expect(io.stderr).toContain('MRG4080');
  });
});

describe('the built executable', () => {
  it('bin/merg-e run --html: the bundle loads Vega from node_modules, with no warning (run npm run build first)', () => {
    const root = join(import.meta.dirname, '..', '..');
    const dir = folder({ 'p.merge': STACK });
    const cache = mkdtempSync(join(tmpdir(), 'merg-e-cache-'));
    const r = spawnSync(join(root, 'bin', 'merg-e.js'), ['run', '--html', 'out.html', 'p.merge'], { cwd: dir, encoding: 'utf8', timeout: 60_000, env: { ...process.env, MERG_E_CACHE_DIR: cache } });
    expect([r.status, r.stdout, r.stderr]).toEqual([0, 'done\n', 'HTML report written to out.html\n']);
    expect(readFileSync(join(dir, 'out.html'), 'utf8').match(/<svg /g)?.length).toBeGreaterThanOrEqual(2);
  });
});

describe('start-up', () => {
  it('no command imports the report module or Vega statically (they load only with --html)', () => {
    const cliDir = join(import.meta.dirname, '..', '..', 'src', 'cli');
    for (const f of readdirSync(cliDir).filter((n) => n.endsWith('.ts'))) {
      const text = readFileSync(join(cliDir, f), 'utf8');
      expect(text, f).not.toMatch(/^import (?!type)[^;]*from '(vega|vega-lite|\.\.\/report\/[^']*)';/m);
    }
  });
});
