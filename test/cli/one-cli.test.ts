// One CLI for both executables: the same option parser and wording, --version, help COMMAND,
// `merg-e FILE`, one exit-status table in every --help, data on stdout and messages on stderr,
// `-` for standard input, and colour decided per stream.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { decimalOption, parseOptions } from '../../src/cli/args.js';
import { corenMain } from '../../src/cli/coren-main.js';
import { EXIT_STATUS_HELP } from '../../src/cli/guard.js';
import { captureIo } from '../../src/cli/io.js';
import { mergeMain } from '../../src/cli/merge-main.js';
import { MERGE_COMMANDS } from '../../src/cli/commands.js';
import { formatDiagnostic, diagnostic, MergeError, useColor } from '../../src/diagnostics.js';
import { folder, mergE } from './helpers.js';

function refused(f: () => unknown): { code: string; message: string } {
  try {
    f();
  } catch (e) {
    if (e instanceof MergeError) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('not refused');
}

const OPTS = { json: { type: 'boolean' }, profile: { type: 'string' }, tag: { type: 'string', multiple: true } } as const;

describe('the option parser', () => {
  it('takes options before and after positionals, --opt=value and --opt value, -h, and `-` as a positional', () => {
    const p = parseOptions('merg-e x', ['a.merge', '--json', '--profile=jvm', '-', '--tag', 'a', '--tag', 'b', '-h'], OPTS);
    expect(p.positionals).toEqual(['a.merge', '-']);
    expect(p.values).toEqual({ json: true, profile: 'jvm', tag: ['a', 'b'], help: true });
  });

  it('after -- every word is a positional', () => {
    expect(parseOptions('merg-e x', ['--', '--json', '-h'], OPTS).positionals).toEqual(['--json', '-h']);
  });

  it.each([
    [['--jsn'], "merg-e x: unknown option '--jsn' (did you mean --json?)"],
    [['--zzzzzz'], "merg-e x: unknown option '--zzzzzz'"],
    [['-q'], "merg-e x: unknown option '-q'"],
    [['--profile'], 'merg-e x: --profile needs a value (nothing follows it)'],
    [['--profile', '--json'], "merg-e x: --profile needs a value ('--json' follows it; write --profile=--json if that is the value)"],
    [['--json=1'], "merg-e x: --json takes no value, got '--json=1'"],
  ])('%j is MRG4002 in its own words: %s', (argv, message) => {
    expect(refused(() => parseOptions('merg-e x', argv, OPTS))).toEqual({ code: 'MRG4002', message });
  });

  it('a value that reads as a negative number or `-` is a value', () => {
    expect(parseOptions('merg-e x', ['--profile', '-1'], OPTS).values.profile).toBe('-1');
    expect(parseOptions('merg-e x', ['--profile', '-'], OPTS).values.profile).toBe('-');
  });

  it('numbers are decimal: 0x10, 0b1, Infinity, blanks and signs are refused', () => {
    expect(decimalOption('coren', '--net-mbps', '16', { min: 0 })).toBe(16);
    expect(decimalOption('coren', '--net-mbps', '2.5', { min: 0 })).toBe(2.5);
    expect(decimalOption('coren', '--net-mbps', '1e3', { min: 0 })).toBe(1000);
    expect(decimalOption('merg-e run', '--max-steps', '1e3', { integer: true, above: 0 })).toBe(1000);
    for (const bad of ['0x10', '0b1', '0o7', 'Infinity', 'NaN', '', ' 7', '7 ', '+7', '-1', '1_000', '1e400']) {
      expect(refused(() => decimalOption('coren', '--net-mbps', bad, { min: 0 })).code, bad).toBe('MRG4002');
    }
    expect(refused(() => decimalOption('merg-e run', '--max-steps', '2.5', { integer: true, above: 0 })).message).toBe("merg-e run: --max-steps needs a whole number above 0, got '2.5'");
  });

  it("no command lets parseArgs's own English through", async () => {
    const dir = folder({ 'p.merge': 'cout 1 endl;\n' });
    const cases = [
      ['check', '--bogus', 'p.merge'],
      ['run', '--profile'],
      ['run', '--report=yes', 'p.merge'],
      ['compare', '--profiles', '--json', 'p.merge'],
      ['basket', '-z'],
      ['profile', 'measure', '--count'],
    ];
    for (const argv of cases) {
      const { code, io } = await mergE(argv, dir);
      expect(code, argv.join(' ')).toBe(2);
      expect(io.stderr).toMatch(/^MRG4002 error: merg-e \w+( measure)?: /);
      expect(io.stderr).not.toMatch(/To specify|ambiguous|Unknown option|argument missing|does not take an argument/);
    }
    const c = captureIo(dir);
    expect(await corenMain(['--net-mbps', '0x10'], c)).toBe(2);
    expect(c.stderr).toMatch(/^MRG4002 error: coren: --net-mbps needs a decimal number of at least 0, got '0x10'/);
  });
});

describe('merg-e and its commands', () => {
  it('--version and -v print the version on stdout', async () => {
    for (const flag of ['--version', '-v']) {
      const { code, io } = await mergE([flag]);
      expect(code).toBe(0);
      expect(io.stdout).toMatch(/^merg-e \d+\.\d+\.\d+ \(merg-e-sim, node v\d+\.\d+\.\d+\)\n$/);
      expect(io.stderr).toBe('');
    }
  });

  it('with no arguments: the usage on stderr, exit 2; --help: on stdout, exit 0', async () => {
    const none = await mergE([]);
    expect([none.code, none.io.stdout]).toEqual([2, '']);
    expect(none.io.stderr).toContain('usage: merg-e <command>');
    const help = await mergE(['--help']);
    expect([help.code, help.io.stderr]).toEqual([0, '']);
    expect(help.io.stdout).toBe(none.io.stderr);
  });

  it('`help COMMAND` is that command\'s --help; an unknown topic is MRG4002', async () => {
    for (const name of MERGE_COMMANDS.keys()) {
      const viaHelp = await mergE(['help', name]);
      const viaFlag = await mergE([name, '--help']);
      expect(viaHelp.code).toBe(0);
      expect(viaHelp.io.stdout).toBe(viaFlag.io.stdout);
      expect(viaHelp.io.stdout).toMatch(new RegExp(`^usage: merg-e ${name}`));
    }
    expect((await mergE(['help'])).io.stdout).toContain('usage: merg-e <command>');
    const bad = await mergE(['help', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.io.stderr).toContain("unknown command 'nope'");
  });

  it('every --help (merg-e, each command, coren) ends its description with the one exit-status table', async () => {
    const helps = [(await mergE(['--help'])).io.stdout];
    for (const name of MERGE_COMMANDS.keys()) helps.push((await mergE([name, '--help'])).io.stdout);
    const c = captureIo();
    await corenMain(['--help'], c);
    helps.push(c.stdout);
    for (const h of helps) expect(h).toContain(EXIT_STATUS_HELP);
    expect(EXIT_STATUS_HELP).toMatch(/ 0 .*\n +1 .*\n(.*\n)* +2 .*\n(.*\n)* +70 /);
  });

  it('`merg-e FILE` is `merg-e run FILE`, options after the file included', async () => {
    const dir = folder({ 'hello.merge': 'cout "hello" endl;\n', script: 'cout "no extension" endl;\n' });
    const direct = await mergE(['hello.merge', '--json'], dir);
    const viaRun = await mergE(['run', 'hello.merge', '--json'], dir);
    expect(direct.code).toBe(0);
    expect(direct.io.stdout).toBe(viaRun.io.stdout);
    expect(JSON.parse(direct.io.stdout).stdout).toBe('hello\n');
    expect((await mergE(['script'], dir)).io.stdout).toBe('no extension\n');
    const missing = await mergE(['./gone.merge'], dir);
    expect(missing.code).toBe(2);
    expect(missing.io.stderr).toContain("MRG4001 error: cannot read './gone.merge': no such file");
  });

  it('unreadable input exits 2 in check, run and compare alike', async () => {
    const dir = folder({});
    mkdirSync(join(dir, 'sub'));
    for (const cmd of ['check', 'run', 'compare']) {
      for (const file of ['missing.merge', 'sub']) {
        const { code, io } = await mergE([cmd, file], dir);
        expect(code, `${cmd} ${file}`).toBe(2);
        expect(io.stdout + io.stderr).toContain('MRG4001');
      }
    }
  });
});

describe('where output goes', () => {
  const dir = folder({ 'bad.merge': 'cout 1 endl;\nx = ;\n', 'warn.merge': 'cout 1 endl\n', 'fails.merge': 'mutable int8 x = 100;\nx = x * 9;\n' });

  it("check: the diagnostics are its data (stdout), as with tsc and eslint; stderr stays empty", async () => {
    const { code, io } = await mergE(['check', 'bad.merge'], dir);
    expect(code).toBe(1);
    expect(io.stdout).toContain('MRG1010 error');
    expect(io.stderr).toBe('');
  });

  it("run: the program's output on stdout; warnings and its error on stderr", async () => {
    const w = await mergE(['run', 'warn.merge'], dir);
    expect(w.io.stdout).toBe('1\n');
    expect(w.io.stderr).toContain('MRG1011 warning');
    const f = await mergE(['run', 'fails.merge'], dir);
    expect(f.code).toBe(1);
    expect(f.io.stdout).toBe('');
    expect(f.io.stderr).toContain('range_error');
  });

  it('profile list is data (stdout); bad usage is a message (stderr)', async () => {
    const list = await mergE(['profile', 'list']);
    expect(list.io.stdout).toContain('cpython-dev');
    expect(list.io.stderr).toBe('');
    const bad = await mergE(['profile', 'lst']);
    expect(bad.io.stdout).toBe('');
  });
});

describe('`-` is standard input', () => {
  it('run, check and compare read the program from stdin, named <stdin>', async () => {
    const dir = folder({});
    const run = captureIo(dir, { stdin: 'cout "from stdin" endl;\n' });
    expect(await mergeMain(['run', '-'], run)).toBe(0);
    expect(run.stdout).toBe('from stdin\n');
    const check = captureIo(dir, { stdin: 'x = ;\n' });
    expect(await mergeMain(['check', '--json', '-'], check)).toBe(1);
    const doc = JSON.parse(check.stdout);
    expect(doc.files[0].file).toBe('<stdin>');
    expect(doc.files[0].diagnostics[0]).toMatchObject({ code: 'MRG1010', file: '<stdin>', line: 1 });
    const cmp = captureIo(dir, { stdin: 'cout 1 endl;\n' });
    expect(await mergeMain(['compare', '--profiles', 'jvm', '-'], cmp)).toBe(0);
    expect(cmp.stdout).toMatch(/^<stdin> under 1 profile\n/);
    const direct = captureIo(dir, { stdin: 'cout 2 endl;\n' });
    expect(await mergeMain(['-'], direct)).toBe(0);
    expect(direct.stdout).toBe('2\n');
  });

  it('modules of a program on stdin come from the current folder', async () => {
    const dir = folder({ 'utils.mrm': 'function twice(x int)::{}{\n  return x * 2;\n};\n' });
    const io = captureIo(dir, { stdin: 'merge utils.twice as twice(x int)::{}{};\ncout twice(21) endl;\n' });
    const code = await mergeMain(['run', '-'], io);
    expect([code, io.stderr]).toEqual([0, '']);
    expect(io.stdout).toBe('42\n');
  });

  it('is read once: `check - -` is bad usage', async () => {
    const { code, io } = await mergE(['check', '-', '-']);
    expect(code).toBe(2);
    expect(io.stderr).toContain("'-' (standard input) is named more than once");
  });
});

describe('colour', () => {
  const tty = { isTTY: true };
  const pipe = { isTTY: false };

  it('is decided per stream: its TTY, then NO_COLOR, TERM=dumb, FORCE_COLOR', () => {
    expect(useColor(tty, {})).toBe(true);
    expect(useColor(pipe, {})).toBe(false);
    expect(useColor(tty, { NO_COLOR: '1' })).toBe(false);
    expect(useColor(tty, { NO_COLOR: '' })).toBe(true);
    expect(useColor(tty, { TERM: 'dumb' })).toBe(false);
    expect(useColor(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(useColor(pipe, { FORCE_COLOR: '' })).toBe(true);
    expect(useColor(tty, { FORCE_COLOR: '0' })).toBe(false);
    expect(useColor(tty, { FORCE_COLOR: 'false' })).toBe(false);
    expect(useColor(pipe, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(true); // as Node: FORCE_COLOR wins
  });

  it("a diagnostic is coloured when its stream wants it, whatever stdout is (here stdout is not a terminal)", () => {
    const d = diagnostic('MRG4002', 'bad');
    expect(formatDiagnostic(d, { color: true })).toContain('\x1b[');
    expect(formatDiagnostic(d, { color: false })).not.toContain('\x1b[');
  });

  it('stderr gets colour from colorErr only, stdout from colorOut only', async () => {
    const dir = folder({ 'bad.merge': 'x = ;\n' });
    const errOnly = captureIo(dir, { colorErr: true });
    await mergeMain(['run', 'bad.merge'], errOnly);
    expect(errOnly.stderr).toContain('\x1b[');
    const outOnly = captureIo(dir, { colorOut: true });
    await mergeMain(['run', 'bad.merge'], outOnly);
    expect(outOnly.stderr).not.toContain('\x1b[');
    const check = captureIo(dir, { colorOut: true });
    await mergeMain(['check', 'bad.merge'], check);
    expect(check.stdout).toContain('\x1b[');
  });
});

describe('runtime profiles', () => {
  it('a hidden .name.json file in a profile folder is not a profile', async () => {
    const { listProfiles, defaultRuntimesDir } = await import('../../src/model/index.js');
    const dir = folder({});
    for (const f of ['.hidden.json', 'x.json.bak']) writeFileSync(join(dir, f), '{}');
    writeFileSync(join(dir, 'jvm.json'), '{}');
    expect(listProfiles(dir)).toEqual(['jvm']);
    expect(listProfiles(defaultRuntimesDir()).every((n) => !n.startsWith('.'))).toBe(true);
  });
});

describe('one JSON shape for every error', () => {
  it("vectorize's error and warnings in run --json are diagnostics like the run's own", async () => {
    const dir = folder({});
    const { code, io } = await mergE(['run', '--json', '--no-memo', '--schedule-seed', '1', join(process.cwd(), 'examples', 'vectorize-quota.merge')], dir);
    expect(code).toBe(1);
    const doc = JSON.parse(io.stdout);
    const shape = ['code', 'severity', 'message', 'file', 'line', 'column', 'endLine', 'endColumn', 'hint'];
    expect(Object.keys(doc.error).slice(0, shape.length)).toEqual(shape);
    const failed = doc.vectorize.find((v: { error: unknown }) => v.error !== null);
    expect(Object.keys(failed.error)).toEqual([...shape, 'name']);
    expect(failed.error).toMatchObject({ code: 'MRG3006', name: 'quota_error', file: expect.stringContaining('vectorize-quota.merge'), line: expect.any(Number) });
  });
});
