// The interpreter against other interpreters hosted by the same JS engine: five programs (an integer
// loop, 200k calls, fib(22), 300 recursions 500 calls deep, 300k quota-metered dataframe appends)
// written in Merg-E, in plain JS, in Lua for fengari (a Lua 5.3 VM written in JS) and run as JS by
// sval (a tree-walking JS interpreter written in JS). Every trial runs a program from its source
// (parse and compile included) and checks its result; the implementations take turns, so all of
// them see the same machine load.
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';

import fengari from 'fengari';
import Sval from 'sval';

import { runProgram, type RunOptions } from '../src/runtime/run.js';
import { fmt, table, type Bench } from './timing.js';

const LOOP_N = 300_000;
const CALLS_N = 200_000;
const FIB_N = 22;
const APPENDS_N = 300_000;
/** The deep calls: DEEP_TIMES recursions DEEP_N calls deep (past PROBE_FROM, where each call checks the stack it has left). */
const DEEP_N = 500;
const DEEP_TIMES = 300;
/** Quota (points) of the membrane the appends go through: far more than 300k rows use. */
const QUOTA = 1_000_000_000;

interface Program {
  readonly name: string;
  /** What one unit of work is, for the per-unit column. */
  readonly unit: string;
  readonly units: number;
  readonly merge: string;
  /** JS function body returning the result (plain JS and sval run the same text). */
  readonly js: string;
  readonly lua: string;
}

/** fib(n) calls itself this many times in all (the calls of fib(22)). */
function fibCalls(n: number): number {
  return n < 2 ? 1 : 1 + fibCalls(n - 1) + fibCalls(n - 2);
}

/** The appends' price per row in milli-points is read from a Merg-E run, so the others charge the same. */
function programs(rowMp: number): Program[] {
  const limitMp = QUOTA * 1000;
  return [
    {
      name: 'int loop',
      unit: 'iteration',
      units: LOOP_N,
      merge: `mutable int i = 0;\nmutable int sum = 0;\nmutable int hits = 0;\nwhile i < ${LOOP_N} {\n  i += 1;\n  sum += i * 2;\n  if sum % 7 == 0 {\n    hits += 1;\n  };\n};\ncout hits endl;\n`,
      js: `let i = 0, sum = 0, hits = 0;\nwhile (i < ${LOOP_N}) {\n  i += 1;\n  sum += i * 2;\n  if (sum % 7 === 0) hits += 1;\n}\nreturn hits;`,
      lua: `local i, sum, hits = 0, 0.0, 0\nwhile i < ${LOOP_N} do\n  i = i + 1\n  sum = sum + i * 2\n  if sum % 7 == 0 then hits = hits + 1 end\nend\nreturn hits`,
    },
    {
      name: `${CALLS_N / 1000}k calls`,
      unit: 'call',
      units: CALLS_N,
      merge: `inert function sq(x int)::{}{ return x * x; };\nmutable int i = 0;\nmutable int sum = 0;\nwhile i < ${CALLS_N} {\n  i += 1;\n  sum += sq(i);\n};\ncout sum endl;\n`,
      js: `function sq(x) { return x * x; }\nlet i = 0, sum = 0;\nwhile (i < ${CALLS_N}) {\n  i += 1;\n  sum += sq(i);\n}\nreturn sum;`,
      lua: `local function sq(x) return x * x end\nlocal i, sum = 0.0, 0.0\nwhile i < ${CALLS_N} do\n  i = i + 1\n  sum = sum + sq(i)\nend\nreturn sum`,
    },
    {
      name: `fib(${FIB_N})`,
      unit: 'call',
      units: fibCalls(FIB_N),
      merge: `inert function fib(n int)::{}{\n  if n < 2 { return n; };\n  return fib(n - 1) + fib(n - 2);\n};\ncout fib(${FIB_N}) endl;\n`,
      js: `function fib(n) {\n  if (n < 2) return n;\n  return fib(n - 1) + fib(n - 2);\n}\nreturn fib(${FIB_N});`,
      lua: `local function fib(n)\n  if n < 2 then return n end\n  return fib(n - 1) + fib(n - 2)\nend\nreturn fib(${FIB_N})`,
    },
    {
      name: `${DEEP_TIMES} × ${DEEP_N} calls deep`,
      unit: 'call',
      units: DEEP_TIMES * (DEEP_N + 1),
      merge: `inert function down(n int)::{}{\n  if n == 0 { return 0; };\n  return down(n - 1) + 1;\n};\nmutable int i = 0;\nmutable int sum = 0;\nwhile i < ${DEEP_TIMES} {\n  i += 1;\n  sum += down(${DEEP_N});\n};\ncout sum endl;\n`,
      js: `function down(n) {\n  if (n === 0) return 0;\n  return down(n - 1) + 1;\n}\nlet i = 0, sum = 0;\nwhile (i < ${DEEP_TIMES}) {\n  i += 1;\n  sum += down(${DEEP_N});\n}\nreturn sum;`,
      lua: `local function down(n)\n  if n == 0 then return 0 end\n  return down(n - 1) + 1\nend\nlocal i, sum = 0, 0\nwhile i < ${DEEP_TIMES} do\n  i = i + 1\n  sum = sum + down(${DEEP_N})\nend\nreturn sum`,
    },
    {
      name: `${APPENDS_N / 1000}k metered appends`,
      unit: 'row',
      units: APPENDS_N,
      merge: `mutable dag store;\nmutable dag box = membrane<quota<${QUOTA}, ${QUOTA}, 0>> store;\nmutable dataframe box.log int32 a, int32 b;\nmutable int i = 0;\nwhile i < ${APPENDS_N} {\n  i += 1;\n  box.log(i i * 2);\n};\ncout lang.dataframe.rows(box.log) endl;\n`,
      // The others keep two columns and meter each row the same way: check the limit, then charge.
      js: `const a = [], b = [];\nlet used = 0, i = 0;\nwhile (i < ${APPENDS_N}) {\n  i += 1;\n  if (used + ${rowMp} > ${limitMp}) throw new Error('quota');\n  used += ${rowMp};\n  a.push(i);\n  b.push(i * 2);\n}\nreturn a.length;`,
      lua: `local a, b = {}, {}\nlocal used, n, i = 0.0, 0, 0\nwhile i < ${APPENDS_N} do\n  i = i + 1\n  if used + ${rowMp} > ${limitMp} then error("quota") end\n  used = used + ${rowMp}\n  n = n + 1\n  a[n] = i\n  b[n] = i * 2\nend\nreturn n`,
    },
  ];
}

type Runner = (p: Program) => string;

function mergeRunner(opts: RunOptions = {}): Runner {
  return (p) => {
    const r = runProgram({ file: 'bench.merge', source: p.merge }, opts);
    if (r.error) throw new Error(`${p.name}: ${r.error.message}`);
    return r.stdout.trim();
  };
}

const js: Runner = (p) => String((new Function(p.js) as () => number)());

const sval: Runner = (p) => {
  const interp = new Sval({ ecmaVer: 'latest', sandBox: true });
  interp.run(`exports.result = (function () {\n${p.js}\n})();`);
  return String((interp.exports as { result: number }).result);
};

const lua: Runner = (p) => {
  const { lua: L, lauxlib, lualib, to_luastring } = fengari;
  const state = lauxlib.luaL_newstate();
  lualib.luaL_openlibs(state);
  if (lauxlib.luaL_loadstring(state, to_luastring(p.lua)) !== L.LUA_OK || L.lua_pcall(state, 0, 1, 0) !== L.LUA_OK) {
    throw new Error(`${p.name} (lua): ${L.lua_tojsstring(state, -1)}`);
  }
  // Lua 5.3 integers print without a fraction, like Merg-E's int.
  const v = L.lua_tonumber(state, -1);
  L.lua_pop(state, 1);
  return String(v);
};

/** Milli-points one row of the appends program costs, read from a small Merg-E run of it. */
function rowPrice(): number {
  const src = `mutable dag store;\nmutable dag box = membrane<quota<${QUOTA}, ${QUOTA}, 0>> store;\nmutable dataframe box.log int32 a, int32 b;\n`;
  const used = (n: number) => {
    const rows = Array.from({ length: n }, (_, i) => `box.log(${i + 1} ${2 * (i + 1)});`).join('\n');
    const r = runProgram({ file: 'price.merge', source: src + rows });
    return Math.round((r.membranes.find((m) => m.name === 'box')?.directUsed ?? NaN) * 1000);
  };
  return used(2) - used(1);
}

const ROUNDS = 7;

const bench: Bench = {
  name: 'interp',
  title: 'Interpreter: Merg-E against plain JS, fengari (Lua 5.3 in JS) and sval (JS in JS)',
  async run() {
    const loadBefore = loadavg()[0] as number;
    const rowMp = rowPrice();
    const progs = programs(rowMp);
    const runners: [string, Runner][] = [
      ['Merg-E', mergeRunner({ maxCallDepth: DEEP_N + 1 })],
      ['plain JS', js],
      ['fengari', lua],
      ['sval', sval],
      // The same interpreter with every scalar parameter and local a DAG node at once (the call path before lazy frames).
      ['Merg-E eager frames', mergeRunner({ frames: 'eager', maxCallDepth: DEEP_N + 1 })],
    ];
    // Best wall time and best CPU time (user + system, all threads: the collector's included) per cell.
    const best = progs.map(() => runners.map(() => Infinity));
    const bestCpu = progs.map(() => runners.map(() => Infinity));
    for (const [pi, p] of progs.entries()) {
      const results = runners.map(([, run]) => run(p)); // warm-up, and the results must agree
      if (new Set(results).size !== 1) throw new Error(`${p.name}: results differ: ${runners.map(([n], i) => `${n} ${results[i]}`).join(', ')}`);
      for (let round = 0; round < ROUNDS; round++) {
        for (const [ri, [, run]] of runners.entries()) {
          const c0 = process.cpuUsage();
          const t0 = performance.now();
          run(p);
          const ms = performance.now() - t0;
          const c = process.cpuUsage(c0);
          const row = best[pi] as number[];
          row[ri] = Math.min(row[ri] as number, ms);
          const cpuRow = bestCpu[pi] as number[];
          cpuRow[ri] = Math.min(cpuRow[ri] as number, (c.user + c.system) / 1000);
        }
      }
    }
    const loadAfter = loadavg()[0] as number;
    const wall = (pi: number, ri: number) => (best[pi] as number[])[ri] as number;
    const at = (pi: number, ri: number) => (bestCpu[pi] as number[])[ri] as number;
    const rows = progs.map((p, pi) => [
      p.name,
      ...runners.map((_, ri) => `${fmt(at(pi, ri), 1)} (${fmt(wall(pi, ri), 1)})`),
      `${fmt((at(pi, 0) * 1000) / p.units, 3)} µs/${p.unit}`,
      `${fmt(at(pi, 0) / at(pi, 2), 2)}x (${fmt(wall(pi, 0) / wall(pi, 2), 2)}x)`,
      `${fmt(at(pi, 0) / at(pi, 3), 2)}x (${fmt(wall(pi, 0) / wall(pi, 3), 2)}x)`,
      `${fmt(at(pi, 4) / at(pi, 0), 2)}x`,
    ]);
    const verdict = (pi: number, want: string) => {
      const ratio = at(pi, 0) / at(pi, 2);
      return [`${(progs[pi] as Program).name}: Merg-E ${want} fengari`, `${fmt(ratio, 2)}x (wall ${fmt(wall(pi, 0) / wall(pi, 2), 2)}x)`, ratio <= 1 ? 'met' : '**missed**'];
    };
    return [
      `Load average ${fmt(loadBefore, 2)} before, ${fmt(loadAfter, 2)} after (2 cores shared with other work). Best of ${ROUNDS} rounds in which the implementations take turns; each trial runs the program from its source (parse, check and compile included) and every implementation must print the same result.`,
      '',
      `Merg-E integers are exact (bigint), JS's numbers are doubles, and fengari's Lua integers are 32-bit, so its programs keep the sums that outgrow 32 bits in floats (exact below 2^53); Merg-E also counts every step against --max-steps and prices every parameter and local in RAM-points. The appends go through a quota membrane (${QUOTA.toLocaleString('en-US')} points) into a two-column int32 dataframe; the others keep two columns and check and charge the same ${rowMp} milli-points a row.`,
      '',
      'Times are CPU ms (user + system of the whole process, best of the rounds) with wall ms in parentheses; ratios are of CPU time (of wall time in parentheses). On a machine this busy the process gets a fraction of a core, so wall time mostly measures waiting.',
      '',
      table(['program', ...runners.map(([n]) => `${n} CPU (wall) ms`), 'Merg-E CPU per unit', 'Merg-E ÷ fengari', 'Merg-E ÷ sval', 'eager ÷ lazy'], rows),
      '',
      table(['target', 'measured', 'verdict'], [verdict(1, 'calls at least as fast as'), verdict(2, 'fib at least as fast as'), verdict(0, 'loop ahead of'), verdict(4, 'appends ahead of')]),
      '',
      'Before lazy frames and cached appends (main at 6e84473, this bench, CPU time, load average about 10): loop 44.0 ms, 200k calls 606.8 ms (3.03 µs a call, 8.99x fengari), fib(22) 208.5 ms (3.64 µs a call, 8.75x fengari), appends 343.6 ms (1.15 µs a row, 0.49x fengari). The eager-frames column shows the old call path in this run. The int loop is mostly the interpreter\'s dispatch, not its exact arithmetic: plain JS doing the same bigint arithmetic and range checks takes about 8 ms. On a quiet machine (load 1.5, 2026-12-07) fengari\'s loop took 38 ms of CPU against 61 ms at load 22, while Merg-E\'s stayed at 44–45 ms, so the loop target, met at load 22 (0.75x), was missed there (1.16x) until `x OP literal` and `x += literal` were compiled with the literal in place (the same steps at the same places, pinned in test/runtime/steps.pin.test.ts): 36.5 ms, 0.98x. On the evening of 2026-12-07 the calls target was missed by the code before this round\'s alias and print-width changes as well: back to back, `5a91957` 1.07x and the changed code 1.11x and 1.15x (95.5 ms against 91.3 and 102.8 ms, fengari 82–89 ms), where the morning\'s run had 0.84x — the machine, not the change. The deep calls run past PROBE_FROM (64 calls deep), where every fourth call first checks that 16 KiB of stack are left (src/runtime/limits.ts), so that the stack runs out at a call\'s entry and never inside a frame\'s bookkeeping; with the check moved out of reach by hand (PROBE_FROM 10^9, the same program, best of 7, 2026-12-07, load about 2) a deep call took 0.45 µs against 0.75 µs with it. In the run above (23:16, load 1.5) the calls were 1.21x; the code before this round\'s stack check (`74e87ef`) and after it, each in its own process, alternating four times, best of 12 runs of the calls program each: 82.6–104.3 ms against 88.9–97.6 ms, no difference the machine lets through.',
    ].join('\n');
  },
};

export default bench;
