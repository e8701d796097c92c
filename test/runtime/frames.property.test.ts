// Lazy frames (the default: scalar parameters and locals are slots paid for like their nodes, placed
// in the DAG only when needed) must charge exactly what eager frames (every one a node at once)
// charge: the same output, the same error at the same place with the same amounts, the same steps,
// and the same membranes, tallies and counts at the end — on generated programs and on the cases
// where a slot has to become a node. Fixed seeds: CI runs the same programs every time.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { checkInvariants } from '../../src/model/index.js';
import { programSource, vectorizeProgram } from '../../src/testing/index.js';
import type { RunResult } from '../../src/runtime/run.js';
import { VectorizeEngine } from '../../src/runtime/vectorize/engine.js';
import { run } from './helpers.js';

/** Everything a run shows about what it charged, as plain data. */
function charged(r: RunResult) {
  const e = r.error;
  return {
    stdout: r.stdout,
    error: e && { code: e.code, message: e.message, line: e.line, column: e.column, membrane: e.membrane, limitKind: e.limitKind, limit: e.limit, used: e.used, requested: e.requested },
    steps: r.steps,
    membranes: r.membranes,
    dataframes: r.dataframes,
    ramPoints: r.ramPoints,
    bytes: r.bytes,
    counts: r.counts,
    // High-water marks: what was charged along the way, not only what is left at the end.
    peak: r.memory?.peakMp(),
    membranePeaks: r.memory?.allMembranes().map((m) => [m.name, m.peak]),
  };
}

function bothModes(source: string, profile = 'cpython-dev') {
  // Simulated vectorize workers with a fixed interleaving: the counts in a vectorize error do not depend on threads.
  const opts = () => ({ maxSteps: 200_000, profile, vectorize: new VectorizeEngine({ seed: 1 }).hook });
  const eager = run(source, { ...opts(), frames: 'eager' });
  const lazy = run(source, { ...opts(), frames: 'lazy' });
  expect(lazy.error?.code).not.toBe('MRG3099');
  expect(charged(lazy)).toEqual(charged(eager));
  for (const r of [eager, lazy]) if (r.memory) expect(checkInvariants(r.memory)).toEqual([]);
  return lazy;
}

describe('lazy frames charge exactly what eager frames charge', () => {
  it('on generated programs (membranes, grafts, dataframes, callables, blockers, handlers, loops)', () => {
    fc.assert(
      fc.property(programSource({ maxStatements: 16 }), fc.constantFrom('cpython-dev', 'jvm', 'native-compact'), (source, profile) => {
        bothModes(source, profile);
      }),
      { numRuns: 250, seed: 1206 },
    );
  });

  it('on generated vectorize programs', () => {
    fc.assert(
      fc.property(vectorizeProgram(), (source) => {
        bothModes(source);
      }),
      { numRuns: 60, seed: 1207 },
    );
  });

  const QUOTA = 'mutable dag store;\nshared mutable dag box = membrane<quota<6,3,0>> store;\n';
  const cases: Record<string, string> = {
    'parameters and locals under a callable membrane, recursion': `inert function f(n int, s string)<membrane<quota<40,40,0>>>::{ cout; endl; }{
  mutable int k = n * 1000000000000;
  mutable string t = s + s;
  if n > 0 { f(n - 1, t); };
  cout n " " k endl;
};
f(3, "ab");
f(2, "abc");
`,
    'a parameter refused by the quota: the call changes nothing': `inert function f(a int, b string)<membrane<quota<2,2,0>>>::{ cout; endl; }{ cout a endl; }!!{ cout "never" endl; };
inert function g()::{ cout; endl; }{ f(1, "a string far too long for one point of quota at all"); }!!{ cout scope.exceptions[-1].message endl; };
g();
g();
f(1, "");
`,
    'a local that grows (int bytes, string length) is re-paid, and refused when it no longer fits': `${QUOTA}function grow()::{ box; cout; endl; }{
  mutable int n = 1;
  mutable string s = "a";
  mutable int i = 0;
  while i < 40 { i += 1; n = n * 1000; s += "bbbb"; };
}!!{ cout scope.exceptions[-1].message endl; };
grow();
grow();
`,
    'a local grafted with ent, frozen, and moved into a callable becomes a node': `mutable dag keep;
function f(x int)::{ keep; cout; endl; }{
  mutable int local = x * 2;
  ent keep local as got;
  inert int frozen = x;
  freeze frozen;
  mutable int counter = 5;
  function bump()::{ counter; cout; endl; }{ counter += 1; cout counter endl; };
  bump();
  bump();
  cout keep.got endl;
};
f(21);
`,
    'a loop of declarations in blocks and calls through a quota stack': `mutable dag root;
mutable dag outer = membrane<quota<200,100,50>> root;
function work(n int)::{ outer; cout; endl; }{
  mutable int w = 0;
  while w < n {
    w += 1;
    mutable dag m = membrane<quota<60,30,0>> outer;
    mutable int m.v = w;
    mutable string label = "row";
    inert dag gone = prune m.v;
  };
  cout w endl;
};
work(5);
work(7);
`,
  };
  for (const [name, source] of Object.entries(cases)) {
    it(name, () => {
      const r = bothModes(source);
      expect(r.error).toBeNull();
    });
  }
});
