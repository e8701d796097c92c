import { describe, expect, it } from 'vitest';
import { runProgram, formatRunError } from '../../src/runtime/run.js';

describe('smoke', () => {
  it('runs primes', () => {
    const r = runProgram({ file: 'examples/primes.mrg' });
    console.log(r.stdout, r.error && formatRunError(r), r.ramPoints, r.membranes);
    expect(r.stdout).toBe('counted 25 prime numbers\n');
  });
  it('runs a script', () => {
    const r = runProgram({ file: 'a.merge', source: 'mutable int x = 1;\nwhile x < 10 { x += 1; };\ncout "x is " x endl;\n' });
    console.log(r.stdout, r.error && formatRunError(r));
    expect(r.stdout).toBe('x is 10\n');
  });
  it('runs the seed', () => {
    const r = runProgram({ file: 'examples/seed-part17.merge' });
    console.log(r.stdout, r.error && formatRunError(r), r.membranes, r.dataframes);
  });
});
