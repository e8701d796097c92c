// Mutation survivors of src/runtime/statements.ts, lines 600–691 (issue 15, worked from the end):
// `use` (its namespace, what it hands out, the names it binds), `switch` (which case runs and what
// a switch with no case for its value does), `await_all` (limits stop the work at once) and work
// registered on a blocker with `+=` (its refusals with the static checks off). Expected values are
// worked out from language.md (spec v0.3: lang.version is 0.3) and the error texts of the statements.
import { describe, expect, it } from 'vitest';

import { err, NO_CHECK, out, run, where } from './helpers.js';

/** Where a step budget of n ends the run: [code, line, column, steps]. */
function stopAt(src: string, n: number, opts: { check?: boolean } = {}): unknown[] {
  const r = run(src, { ...opts, maxSteps: n });
  return [r.error?.code, r.error?.line, r.error?.column, r.steps];
}

const app = (body: string) => `app demo lang ambient {\n${body}\n};\n`;

describe('use: the names it binds', () => {
  it('counts its step at the statement: with a budget of 1 the app stops at the use, after 1 step', () => {
    // The use is the app's first statement; its namespace (read at the same place) would be step 2.
    expect(stopAt(app('  use ambient { io.cout as cout; io.endl as endl; };\n  cout 1 endl;'), 1)).toEqual(['MRG3010', 2, 3, 1]);
  });

  it('takes a namespace: an integer and a dag are refused at the statement, word for word', () => {
    expect(where(err('int x = 1;\nuse x { a as b; };\n', NO_CHECK))).toEqual(['type_error', 'MRG3002', 'use needs a namespace such as ambient, not an integer', 2, 1]);
    expect(where(err('mutable dag d;\nuse d { a as b; };\n', NO_CHECK))).toEqual(['type_error', 'MRG3002', 'use needs a namespace such as ambient, not a dag', 2, 1]);
  });

  it('hands out only what the namespace holds, naming the whole dotted path at the binding', () => {
    expect(where(err(app('  use ambient { io.nope as n; };'), NO_CHECK))).toEqual(['capability_error', 'MRG3007', 'ambient does not hand out io.nope', 2, 17]);
    // io.cout is a stream, not a namespace: nothing can be taken out of it.
    expect(where(err(app('  use ambient { io.cout.x as n; };'), NO_CHECK))).toEqual(['capability_error', 'MRG3007', 'ambient does not hand out io.cout.x', 2, 17]);
  });

  it('of a name that is not declared is a name_error when it runs (the checker is off)', () => {
    expect(where(err('use nope { a as b; };\n', NO_CHECK))).toEqual(['name_error', 'MRG3001', "'nope' is not declared here", 1, 1]);
  });

  it('binds names that scope.imported lists', () => {
    expect(out('use lang { version.minor as mi; };\ncout scope.imported.mi endl;\n', NO_CHECK)).toBe('3\n');
  });

  it('binds inert names: a function reads a name bound from lang without capturing it', () => {
    const src = 'use lang { version.minor as mi; };\nmutable function f()::{ cout; endl; }{ cout mi endl; };\nf();\n';
    expect(out(src, NO_CHECK)).toBe('3\n');
  });

  it('binds authority from ambient: main reaches cout only through its capture block', () => {
    const src = app('  use ambient { io.cout as cout; io.endl as endl; };\n  mutable main ()::{ endl; }{ cout "hello" endl; };');
    expect(where(err(src, NO_CHECK))).toEqual(['capability_error', 'MRG3007', "'cout' is authority of an enclosing scope; list it in this callable's capture block", 3, 31]);
  });
});

describe('switch: the case that runs', () => {
  it('counts its step at the statement: a budget of 3 stops at the switch (2:1), not at its subject', () => {
    // Steps: 1:1 declaration, 1:18 its value, 2:1 the switch; 2:8 (the subject) would be step 4.
    expect(stopAt('inert string k = "b";\nswitch k { a : { }; b : { cout 1 endl; }; };\n', 3)).toEqual(['MRG3010', 2, 1, 3]);
  });

  it('the first of two cases with the same label runs', () => {
    expect(out('inert string k = "a";\nswitch k { a : { cout "1" endl; }; a : { cout "2" endl; }; };\n', NO_CHECK)).toBe('1\n');
  });

  it('a type goes to the case of its name', () => {
    expect(out('switch lang.type.int8 { int8 : { cout "t" endl; }; default : { cout "d" endl; }; };\n', NO_CHECK)).toBe('t\n');
  });

  it('an integer and a dag (neither a string, an error nor a type) go to default', () => {
    expect(out('switch 3 { default : { cout "d" endl; }; };\n', NO_CHECK)).toBe('d\n');
    expect(out('mutable dag d;\nswitch d { default : { cout "d" endl; }; };\n', NO_CHECK)).toBe('d\n');
  });

  it('a value with no case and no default (not an error) runs nothing, and the program goes on', () => {
    expect(out('switch 3 { a : { cout "a" endl; }; };\ncout "after" endl;\n', NO_CHECK)).toBe('after\n');
    expect(out('switch lang.type.int8 { a : { cout "a" endl; }; };\ncout "after" endl;\n', NO_CHECK)).toBe('after\n');
  });
});

describe('await_all', () => {
  const P = 'mutable function p()::{ cout; endl; }{ cout "ran" endl; };\n';

  it('a limit hit by one piece of work stops the run at once: the work after it does not run', () => {
    const r = run(`function r(n int)::{}{ r(n + 1); };\n${P}mutable blocker b;\nb += r(0);\nb += p();\nawait_all b;\n`);
    expect([r.stdout, r.error?.code, r.error?.message, r.error?.line, r.error?.column]).toEqual(['', 'MRG3012', 'calls nested deeper than 400', 1, 24]);
  });
});

describe('work registered on a blocker with +=', () => {
  it('counts its step at the statement: a budget of 3 stops at the += (3:1), not at its callee', () => {
    // Steps: 1:1 the blocker, 2:1 the function, 3:1 the +=; 3:6 (the callee f) would be step 4.
    expect(stopAt('mutable blocker b;\nfunction f()::{}{ };\nb += f();\nawait_all b;\n', 3)).toEqual(['MRG3010', 3, 1, 3]);
  });

  it('takes a call or a vectorize, not an expression', () => {
    expect(where(err('mutable blocker b;\nb += 1;\n', NO_CHECK))).toEqual(['type_error', 'MRG3002', 'a blocker takes a call or a vectorize, not an expression: `b += f(x);`', 2, 1]);
  });

  it('an inert blocker takes no work', () => {
    expect(where(err('blocker b;\nfunction f()::{}{ };\nb += f();\n', NO_CHECK))).toEqual(['freeze_error', 'MRG3005', "'b' is inert; declare it `mutable blocker b;`", 3, 1]);
  });
});
