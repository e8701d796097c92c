// The STREAM triad in C, compiled with `gcc -O2` into a temporary folder when the bench runs (never
// committed), for `npm run bench -- coren`: what compiled code gets from this machine's memory.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SOURCE = String.raw`
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
static double clock_s(clockid_t id) { struct timespec t; clock_gettime(id, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
static void triad(double *restrict a, const double *restrict b, const double *restrict c, long n, double q) {
  for (long i = 0; i < n; i++) a[i] = b[i] + q * c[i];
}
int main(int argc, char **argv) {
  long n = atol(argv[1]);
  int trials = atoi(argv[2]);
  /* One block, the arrays 1 KiB and 3 KiB apart within their pages (as MachCap lays them out). */
  long bytes = n * (long)sizeof(double), up = (bytes + 4095) / 4096 * 4096;
  char *block = aligned_alloc(4096, 3 * up + 8192);
  if (!block) return 1;
  long ob = up + 1024, oc = (ob + bytes + 4095) / 4096 * 4096 + 3072;
  double *a = (double *)block, *b = (double *)(block + ob), *c = (double *)(block + oc);
  for (long i = 0; i < n; i++) { a[i] = 0; b[i] = 1; c[i] = 2; }
  triad(a, b, c, n, 3.0);
  double best = 1e30;
  for (int t = 0; t < trials; t++) {
    /* As the JS probes count a trial: the smaller of wall and CPU time. */
    double w0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
    triad(a, b, c, n, 3.0);
    double w = clock_s(CLOCK_MONOTONIC) - w0, cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
    double dt = w < cpu ? w : cpu;
    if (dt < best) best = dt;
  }
  if (a[n - 1] != 7.0) return 2;
  printf("{\"rate\": %.0f}\n", 24.0 * n / best);
  return 0;
}
`;

/** Compiles the C triad once; null when no gcc is on the PATH. */
export function compileCTriad(): { run(n: number, trials: number): number; dispose(): void } | null {
  const dir = mkdtempSync(join(tmpdir(), 'coren-bench-c-'));
  try {
    writeFileSync(join(dir, 'triad.c'), SOURCE);
    execFileSync('gcc', ['-O2', '-o', join(dir, 'triad'), join(dir, 'triad.c')], { stdio: 'pipe' });
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  return {
    run: (n, trials) => (JSON.parse(execFileSync(join(dir, 'triad'), [String(n), String(trials)], { encoding: 'utf8' })) as { rate: number }).rate,
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
