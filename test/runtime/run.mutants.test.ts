// The library entry (src/runtime/run.ts) on what its other tests left unchecked: the host's app
// arguments, the builtins a script is handed and their flags, a run refused before it starts, the
// kept output and its sinks, MRG3020's text, and the parts of a result. Prices are the unit profile's
// (1 byte = 1 milli-point: int32 250, a dag node 1000, a scope 3000; an int above 64 bits 20 + 8 per
// 64 bits), so every expected amount is worked out by hand.
import { describe, expect, it } from 'vitest';

import { diagnostic, MergeError, type Diagnostic } from '../../src/diagnostics.js';
import { watchClock } from '../../src/runtime/limits.js';
import { MAX_KEPT_OUTPUT, readSource, refusedRun, runProgram } from '../../src/runtime/run.js';
import { UNIT_BASKET, unitProfile } from '../../src/testing/unit-world.js';
import { err, out, run } from './helpers.js';

const UNIT = { profile: unitProfile(), basket: UNIT_BASKET };
const APP = (args: string, body: string) => `app demo ${args} {\n  use ambient { io.cout as cout; io.endl as endl; };\n${body}\n};\n`;

describe('refusedRun: a run that never started', () => {
  const bad: Diagnostic = { code: 'MRG4010', severity: 'error', message: 'the profile is not valid JSON' };

  it('is an empty failed result whose only diagnostic is the refusal, naming the profile file', () => {
    const r = refusedRun('odd', bad, 'odd.json');
    const d = { ...bad, file: 'odd.json' };
    expect(r).toEqual({
      ok: false,
      exitCode: 1,
      profile: 'odd',
      stdout: '',
      stderr: '',
      error: { name: null, code: 'MRG4010', message: 'the profile is not valid JSON', file: 'odd.json', line: null, column: null, membrane: null, membraneId: null, limitKind: null, limit: null, used: null, requested: null, diagnostic: d },
      diagnostics: [d],
      membranes: [],
      dataframes: [],
      ramPoints: { total: 0, byKind: new Map() },
      bytes: 0,
      counts: { byKind: new Map(), stringBytes: 0 },
      steps: 0,
      sources: new Map(),
      memory: null,
      timeline: null,
    });
  });

  it('keeps the diagnostic as it is when there is no file, or when it already names a file or a place', () => {
    expect(refusedRun('odd', bad, null).diagnostics[0]).toBe(bad);
    const named = { ...bad, file: 'other.json' };
    expect(refusedRun('odd', named, 'odd.json').diagnostics[0]).toBe(named);
    const placed = diagnostic('MRG4010', 'a key is unknown', { file: 'odd.json', line: 2, column: 3, endLine: 2, endColumn: 9 });
    expect(refusedRun('odd', placed, 'odd.json').diagnostics[0]).toBe(placed);
  });
});

describe('what runProgram is handed', () => {
  it('an unreadable program file is MRG4001 naming the file, thrown', () => {
    const path = '/nonexistent-merg-e-folder/missing.merge';
    let e: unknown;
    try {
      runProgram({ file: path });
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(MergeError);
    expect((e as MergeError).diagnostic.code).toBe('MRG4001');
    expect((e as MergeError).diagnostic.message).toContain(path);
    expect(() => readSource(path, 'shown.merge')).toThrow(/shown\.merge/);
  });

  it('a loaded profile object is used as it is (its name is the result\'s profile)', () => {
    const r = run('mutable int32 x = 1;\n', { profile: unitProfile(), basket: UNIT_BASKET });
    expect(r.profile).toBe('unit');
    // The script's scope (3000) and x (250), under the unit prices.
    expect(r.ramPoints.total).toBe(3.25);
  });
});

describe('a program that fails before it runs', () => {
  // Line 1 would be a check error (nothere is not declared), line 2 is a syntax error: a program
  // with syntax errors is not checked, so only the syntax error is reported.
  const src = 'cout nothere endl;\nmutable int32 = 5;\n';

  it('reports its syntax errors once each, and nothing from the checks', () => {
    const r = run(src);
    expect(r.ok).toBe(false);
    expect(r.exitCode).toBe(1);
    expect(r.error?.name).toBe('syntax_error');
    expect(r.error?.line).toBe(2);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toBe(r.error?.diagnostic);
  });

  it('has empty fields: no output, no memory, no counts, no steps', () => {
    const r = run(src, { timeline: true });
    expect([r.stdout, r.stderr, r.membranes, r.dataframes, r.bytes, r.steps, r.memory, r.timeline]).toEqual(['', '', [], [], 0, 0, null, null]);
    expect(r.ramPoints).toEqual({ total: 0, byKind: new Map() });
    expect(r.counts).toEqual({ byKind: new Map(), stringBytes: 0 });
  });

  it('a check error is reported once too', () => {
    const r = run('cout nothere endl;\n');
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([r.error?.diagnostic]);
  });

  it('a runtime error is in the diagnostics exactly once', () => {
    const r = run('cout "a";\nlang.assert 1 == 2;\n');
    expect(r.error?.code).toBe('MRG3009');
    expect(r.diagnostics).toEqual([r.error?.diagnostic]);
    expect(r.stdout).toBe('a');
  });
});

describe('a script\'s builtins: cout, cerr, endl', () => {
  it('are the streams named cout and cerr and the line end', () => {
    const r = run('cout cout " " cerr endl;\ncerr "to err" endl;\n');
    expect(r.stdout).toBe('<stream cout> <stream cerr>\n');
    expect(r.stderr).toBe('to err\n');
  });

  it('cout and cerr are authority: a function reaches them only through its capture block', () => {
    for (const s of ['cout', 'cerr']) {
      const e = err(`function f()::{}{ ${s} "x" endl; };\nf();\n`, { check: false });
      expect([e.code, e.message, e.line]).toEqual(['MRG3007', `'${s}' is authority of an enclosing scope; list it in this callable's capture block`, 1]);
    }
  });

  it('endl is neither authority nor mutable: a function reads it without capturing it', () => {
    expect(out('function f()::{ cout; }{ cout "in" endl; };\nf();\n')).toBe('in\n');
  });

  it('capturing cout does not move it: the script still writes to it afterwards', () => {
    expect(out('function f()::{ cout; }{ cout "in" endl; };\nf();\ncout "after" endl;\n')).toBe('in\nafter\n');
  });

  it('none of them can be assigned to', () => {
    for (const s of ['cout', 'cerr', 'endl']) expect(err(`${s} = 1;\n`, { check: false }).message).toBe(`'${s}' is inert`);
  });
});

describe('an app\'s arguments: lang and ambient', () => {
  it('an argument other than lang and ambient is MRG3007 at the app, even without the static checks', () => {
    const e = err(`\n\n${APP('lang ambient network', '  cout "ran" endl;')}`, { check: false });
    expect([e.name, e.code, e.message, e.line, e.column]).toEqual(['capability_error', 'MRG3007', "the host hands an app only 'lang' and 'ambient', not 'network'", 3, 1]);
    expect(e.result.stdout).toBe('');
  });

  it('lang is not authority: a function reads it without capturing it', () => {
    expect(out(APP('lang ambient', '  function f()::{ cout; endl; }{ cout lang.version.major "." lang.version.minor endl; };\n  f();'))).toBe('0.3\n');
  });

  it('ambient is authority: a function that did not capture it cannot use it', () => {
    const e = err(APP('lang ambient', '  function f()::{ endl; }{ use ambient { io.cerr as e; }; e "x" endl; };\n  f();'), { check: false });
    expect([e.code, e.message, e.line]).toEqual(['MRG3007', "'ambient' is authority of an enclosing scope; list it in this callable's capture block", 3]);
  });

  it('both are in scope.imported', () => {
    expect(out(APP('lang ambient', '  cout scope.imported.ambient " " scope.imported.lang.version.minor endl;'))).toBe('<namespace ambient> 3\n');
  });

  it('lang.memory built-ins through the app\'s lang print as float16 and take a place', () => {
    // int128 under the unit profile: 20 + 8 · 2 = 36 bytes = 0.036 points; as float16 0.0360107421875,
    // printed in the shortest form that reads back as that float16. An int32 node at d.x: 250.
    const body = '  mutable dag d;\n  mutable int32 d.x = 1;\n  cout lang.memory.int.rampoints(lang.types.int128) " " lang.memory.dag.dag_rampoints(d.x, lang.types.int32) endl;';
    expect(out(APP('lang ambient', body), UNIT)).toBe('0.036 0.25\n');
  });

  it('the app\'s scope node is named after the app; a script\'s is #main', () => {
    const a = run(APP('lang ambient', '  cout "a" endl;'));
    expect(a.memory?.has(a.memory.root, ['#demo'])).toBe(true);
    const s = run('cout "s" endl;\n');
    expect(s.memory?.has(s.memory.root, ['#main'])).toBe(true);
  });
});

describe('an app\'s main', () => {
  const main = (body: string) => `app demo lang ambient {\n  use ambient { io.cout as cout; io.endl as endl; };\n  mutable main ()::{ cout; endl; }{ ${body} };\n};\n`;

  it('keeps its locals when it returns, so the result shows its end state', () => {
    // The app's scope (3000), main's scope (3000) and main's x (250).
    const r = run(main('mutable int32 x = 1;'), UNIT);
    expect(r.ramPoints).toEqual({ total: 6.25, byKind: new Map([['scalar:int32', 0.25], ['scope', 6]]) });
  });

  it('is called from its declaration: a call depth of 0 stops it there', () => {
    const e = err(main('cout "m" endl;'), { maxCallDepth: 0 });
    expect([e.code, e.message, e.line, e.column]).toEqual(['MRG3012', 'calls nested deeper than 0', 3, 3]);
  });

  it('does not run when the app body returned before declaring it (no static checks)', () => {
    const r = run('app demo lang ambient {\n  use ambient { io.cout as cout; io.endl as endl; };\n  return;\n  mutable main ()::{ cout; endl; }{ cout "m" endl; };\n};\n', { check: false });
    expect([r.error, r.stdout]).toEqual([null, '']);
  });
});

describe('frames', () => {
  it('lazy by default: a scalar local is no node in the DAG; eager: it is', () => {
    const src = 'mutable int32 x = 1;\ncout x endl;\n';
    const lazy = run(src);
    expect(lazy.memory?.has(lazy.memory.root, ['#main', 'x'])).toBe(false);
    const eager = run(src, { frames: 'eager' });
    expect(eager.memory?.has(eager.memory.root, ['#main', 'x'])).toBe(true);
  });
});

describe('the clock watcher', () => {
  it('is given back to whoever watched before the run, when the run ends', () => {
    const mine = (): void => {};
    const before = watchClock(mine);
    try {
      run('cout "x" endl;\n');
      run('lang.assert 1 == 2;\n');
      expect(watchClock(null)).toBe(mine);
    } finally {
      watchClock(before);
    }
  });
});

describe('how a run reports a failure', () => {
  it('a quota_error carries the refusing membrane\'s id in the model', () => {
    const src = 'mutable dag base;\nmutable dag inner = membrane<quota<5, 0, 0>> base;\nmutable int32 inner.x = 1;\n';
    const r = run(src, UNIT);
    expect([r.error?.membrane, r.error?.limitKind, r.error?.limit, r.error?.used, r.error?.requested]).toEqual(['inner', 'direct', 0, 0, 0.25]);
    const id = r.memory?.report().flat.find((m) => m.name === 'inner')?.id;
    expect(typeof id).toBe('number');
    expect(r.error?.membraneId).toBe(id);
  });

  it('a RangeError that is not a stack overflow is an internal error (exit 70), not MRG3012', () => {
    const r = run('cout "x";\n', { stdout: () => {
      throw new RangeError('boom');
    } });
    expect([r.error?.code, r.error?.message, r.exitCode]).toEqual(['MRG3099', 'internal error while running the program: RangeError: boom', 70]);
  });

  it('a module that is not only functions and inert constants is refused when it is loaded', () => {
    const r = run('mutable merge u.f as f(x int)::{}{};\ncout f(1) endl;\n', { mods: { u: 'function f(x int)::{}{ return x; };\ncout "hi";\n' } });
    expect([r.error?.code, r.error?.message, r.error?.file, r.error?.line]).toEqual(['MRG1014', 'a module holds functions and inert declarations only', 'u.mrm', 2]);
    expect(r.stdout).toBe('');
  });
});

describe('the result\'s membranes and timeline', () => {
  const src = 'mutable dag base;\nmutable dag box = membrane<quota<10, 10, 0>> base;\nmutable int32 box.a = 1;\nmutable int32 box.b = 2;\nmutable dag box.sub;\n';

  it('a membrane row lists its direct allocations by kind: count and points', () => {
    const r = run(src, UNIT);
    const box = r.membranes.find((m) => m.name === 'box');
    expect(box?.directUsed).toBe(1.5);
    const byKind = [...(box?.byKind ?? [])].sort((a, b) => a.kind.localeCompare(b.kind));
    expect(byKind).toEqual([
      { kind: 'dag_node', count: 1, points: 1 },
      { kind: 'scalar:int32', count: 2, points: 0.5 },
    ]);
  });

  it('the timeline marks each charge with the step it happened at', () => {
    const r = run(src, { ...UNIT, timeline: true });
    const pts = r.timeline?.series.find((s) => s.name === 'box')?.points ?? [];
    // Made empty, then a, b (0.25 each) and sub (1), one statement after the other.
    expect(pts.map((p) => p.points)).toEqual([0, 0.25, 0.5, 1.5]);
    const steps = pts.map((p) => p.step);
    for (const s of steps) expect(Number.isInteger(s) && s > 0 && s <= r.steps).toBe(true);
    // The empty start is drawn at the step of the first charge; each later charge is a step later.
    expect(steps[1]).toBe(steps[0]);
    for (let i = 2; i < steps.length; i++) expect(steps[i]).toBeGreaterThan(steps[i - 1] as number);
    expect(steps.at(-1)).toBe(r.steps);
  });
});

describe('MRG3020: work registered and never awaited', () => {
  const F = 'function f()::{}{};\n';

  it('one piece: singular, with the blocker\'s name in the hint', () => {
    const r = run(`${F}mutable blocker a;\na += f();\n`);
    expect(r.diagnostics).toEqual([
      {
        code: 'MRG3020',
        severity: 'warning',
        message: "1 piece of work registered on blocker 'a' here never ran: it was never awaited",
        span: { file: 'test.merge', line: 3, column: 6, endLine: 3, endColumn: 8 },
        hint: 'Run it with `await_all a;` before the blocker goes out of scope, or do not register it.',
      },
    ]);
  });

  it('two registration sites: one warning each, in order', () => {
    const r = run(`${F}mutable blocker a;\nmutable blocker b;\na += f();\nb += f();\nb += f();\n`);
    expect(r.diagnostics.map((d) => [d.message, d.span?.line])).toEqual([
      ["1 piece of work registered on blocker 'a' here never ran: it was never awaited", 4],
      ["2 pieces of work registered on blocker 'b' here never ran: it was never awaited", 5],
    ]);
  });
});

describe('kept output', () => {
  // 2^22 characters; 16 of them are MAX_KEPT_OUTPUT (64 · 2^20) exactly.
  const big = 'mutable string s = "x";\nmutable int i = 0;\nwhile i < 22 { s = s + s; i += 1; };\n';
  const times = (n: number, stmt: string) => `i = 0;\nwhile i < ${n} { ${stmt} i += 1; };\n`;

  it('is 64 M characters', () => {
    expect(MAX_KEPT_OUTPUT).toBe(64 * 1024 * 1024);
  });

  it('held: exactly 64 M characters are kept; one more is MRG3014 naming the stream', () => {
    const r = run(big + times(16, 'cout s;') + times(16, 'cerr s;') + 'cerr "!";\n', { timeoutMs: 120_000 });
    expect(r.stdout.length).toBe(64 * 1024 * 1024);
    expect(r.stderr.length).toBe(64 * 1024 * 1024);
    expect(r.error?.code).toBe('MRG3014');
    expect(r.error?.message).toBe("the program wrote more than 64 M characters to stderr, more than a run's result holds");
    expect(r.error?.diagnostic.hint).toBe('Write less, or run it without --json so that its output streams.');
    expect(r.error?.line).toBeNull();
  });

  it('streamed: everything reaches the sink; the result keeps the first 64 M characters', () => {
    let streamed = 0;
    let last = '';
    const r = run(`cout "ab";\n${big}${times(16, 'cout s;')}cout "end";\n`, {
      timeoutMs: 120_000,
      stdout: (t) => {
        streamed += t.length;
        last = t;
      },
    });
    expect(r.error).toBeNull();
    expect(streamed).toBe(2 + 64 * 1024 * 1024 + 3);
    expect(last).toBe('end');
    expect(r.stdout.length).toBe(64 * 1024 * 1024);
    expect(r.stdout.startsWith('abxx')).toBe(true);
    expect(r.stdout.endsWith('xx')).toBe(true);
  });
});
