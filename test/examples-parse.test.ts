import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { hasErrors, parseProgram } from '../src/ast/parse.js';

const dir = join(import.meta.dirname, '..', 'examples');
const examples = readdirSync(dir).filter((f) => /\.(merge|mrg|mrm)$/.test(f));

describe('examples', () => {
  it('has the seed snippets and the primes app', () => {
    expect(examples).toEqual(expect.arrayContaining(['seed-part17.merge', 'primes.mrg', 'utils.mrm']));
  });

  for (const f of examples) {
    it(`${f} parses without errors`, () => {
      const { program, diagnostics } = parseProgram(readFileSync(join(dir, f), 'utf8'), f);
      expect(hasErrors(diagnostics), diagnostics.map((d) => `${d.span?.line}:${d.span?.column} ${d.code} ${d.message}`).join('\n')).toBe(false);
      expect(program.body.length).toBeGreaterThan(0);
      // Only the missing-`;` warning is tolerated in examples.
      expect(diagnostics.every((d) => d.code === 'MRG1011')).toBe(true);
    });
  }

  it('seed-part17.merge warns exactly on the seed lines written without ;', () => {
    const src = readFileSync(join(dir, 'seed-part17.merge'), 'utf8');
    const { diagnostics } = parseProgram(src, 'seed-part17.merge');
    const lines = src.split('\n');
    const warned = diagnostics.map((d) => lines[d.span!.line - 1]);
    expect(warned).toEqual([
      'inert float16 points1 = lang.memory.int.rampoints(lang.types.int2048)',
      'inert float16 points2 = lang.memory.string.dynamic_rampoints(800)',
      'inert float16 points3 = lang.memory.dag.dag_rampoints(mydag.some.spot, lang.type.int128)',
      'mutable dag version = prune scope.imported.lang.Version',
      'mutable dag mypi = prune newdag.coolfloat256.pi',
    ]);
  });
});
