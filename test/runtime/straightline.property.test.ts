// Property: any generated straight-line program either runs to the end or stops with a coded Merg-E
// error (never an internal error, never a JS exception), and I1–I4 hold in the final state.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkInvariants } from '../../src/model/index.js';
import { runProgram } from '../../src/runtime/run.js';
import { runs } from '../support/properties.js';

const ints = ['a', 'b', 'c'];
const views = ['d', 'e', 'q', 'r', 's'];
const leaves = ['x', 'y', 'z'];

const lit = fc.oneof(fc.integer({ min: -300, max: 300 }), fc.constantFrom(0, 127, 128, -129, 2 ** 31, 2 ** 40)).map(String);
const pick = <T>(xs: T[]) => fc.constantFrom(...xs);
const anyView = pick(views);
const frac = fc.integer({ min: 0, max: 100 });

/**
 * Declares every name the statements use: ints, two DAGs, and membranes q over d, r stacked on q
 * (valid by construction, so runs get past the prelude), and s: a quota over e or a copy_on_mutate.
 */
const prelude = fc
  .tuple(fc.integer({ min: 5, max: 80 }), frac, fc.nat(20), frac, frac, fc.boolean(), pick(['q', 'r']), fc.nat(30))
  .map(([tq, fd, oq, fr, fdr, sQuota, over, ts]) => {
    const dq = Math.floor((tq * fd) / 100);
    const tr = Math.floor(((tq - dq + oq) * fr) / 100);
    const dr = Math.floor((tr * fdr) / 100);
    const sDecl = sQuota ? `mutable dag s = membrane<quota<${ts}, ${Math.floor(ts / 2)}, 0>> e;` : `mutable dag s = membrane<copy_on_mutate> ${over};`;
    return [
      'mutable int a = 1;',
      'mutable int32 b = 2;',
      'mutable int8 c = 3;',
      'mutable dag d;',
      'mutable dag e;',
      `mutable dag q = membrane<quota<${tq}, ${dq}, ${oq}>> d;`,
      `mutable dag r = membrane<quota<${tr}, ${dr}, 0>> q;`,
      sDecl,
    ].join('\n');
  });

const stmt = fc.oneof(
  fc.tuple(pick(ints), pick(ints), pick(['+', '-', '*', '/', '%']), lit).map(([n, m, op, v]) => `${n} = ${m} ${op} ${v};`),
  fc.tuple(pick(ints), pick(ints)).map(([n, m]) => `${n} += ${m};`),
  pick(ints).map((n) => `cout ${n} endl;`),
  fc.tuple(pick(['int32', 'int2048', 'float64', 'string', 'int']), anyView, pick(leaves), lit).map(([t, v, l, x]) => `mutable ${t} ${v}.${l} = ${t === 'string' ? `"s${x}"` : x};`),
  fc.tuple(anyView, pick(leaves), pick(leaves)).map(([v, l, m]) => `mutable int32 ${v}.${l}.${m} = 1;`),
  fc.tuple(anyView, pick(leaves)).map(([v, l]) => `mutable dag ${v}.${l};`),
  fc.tuple(anyView, anyView, pick(leaves), pick(['N1', 'N2'])).map(([t, v, l, n]) => `ent ${t} prune ${v}.${l} as ${n};`),
  fc.tuple(anyView, pick(['N1', 'N2'])).map(([t, n]) => `ent ${t} prune scope.imported.lang.Version as ${n};`),
  fc.tuple(anyView, pick(ints), pick(['I1', 'I2'])).map(([v, i, n]) => `ent ${v} ${i} as ${n};`),
  fc.tuple(anyView, pick(leaves)).map(([v, l]) => `freeze ${v}.${l};`),
  fc.tuple(anyView, pick(['f1', 'f2'])).map(([v, f]) => `mutable dataframe ${v}.${f} string id, int32 n;`),
  fc.tuple(anyView, pick(['f1', 'f2']), lit).map(([v, f, x]) => `${v}.${f}("r" ${x});`),
  fc.tuple(anyView, pick(['f1', 'f2'])).map(([v, f]) => `freeze ${v}.${f};`),
  fc.tuple(anyView, pick(leaves), lit).map(([v, l, x]) => `${v}.${l} = ${x};`),
  fc.tuple(anyView, pick(leaves)).map(([v, l]) => `cout ${v}.${l} endl;`),
);

describe('straight-line programs', () => {
  it('finish or stop with a coded Merg-E error, and I1–I4 hold at the end', () => {
    fc.assert(
      fc.property(prelude, fc.array(stmt, { minLength: 1, maxLength: 30 }), fc.boolean(), (head, lines, check) => {
        const source = `${head}\n${lines.join('\n')}\n`;
        const r = runProgram({ file: 'gen.merge', source }, { check, maxSteps: 100_000 });
        if (r.error) {
          expect(r.error.code).toMatch(/^MRG[123]\d{3}$/);
          expect(r.error.code).not.toBe('MRG3099');
          expect(r.exitCode).toBe(1);
        }
        if (r.memory) expect(checkInvariants(r.memory)).toEqual([]);
      }),
      { numRuns: runs(600) },
    );
  });
});
