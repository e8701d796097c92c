// Loaded with `node --import` before a command a bench spawns: at exit it appends the process's peak
// resident set size and CPU time to the file named by MERGE_BENCH_PROBE (one JSON line), so a bench
// can read them without relying on /usr/bin/time.
import { appendFileSync } from 'node:fs';

const out = process.env['MERGE_BENCH_PROBE'];
if (out !== undefined) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    appendFileSync(out, JSON.stringify({ maxRssBytes: u.maxRSS * 1024, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000 }) + '\n');
  });
}
