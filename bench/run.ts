// npm run bench [-- NAME...]: runs every bench/*.bench.ts (or those named), prints each one's
// markdown, and rewrites that bench's section of BENCHMARKS.md.
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { writeFileAtomic } from '../src/atomic-write.js';
import type { Bench } from './timing.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const files = (await readdir(here)).filter((f) => f.endsWith('.bench.js')).sort();

let doc = await readFile(join(root, 'BENCHMARKS.md'), 'utf8');
for (const file of files) {
  const bench = ((await import(join(here, file))) as { default: Bench }).default;
  if (wanted.length > 0 && !wanted.includes(bench.name)) continue;
  process.stderr.write(`bench ${bench.name}: running…\n`);
  const started = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const body = await bench.run();
  const section = `<!-- bench:${bench.name} -->\n## ${bench.title}\n\nMeasured ${started} UTC with \`npm run bench -- ${bench.name}\`.\n\n${body.trim()}\n<!-- /bench:${bench.name} -->`;
  process.stdout.write(section + '\n\n');
  const re = new RegExp(`<!-- bench:${bench.name} -->[\\s\\S]*?<!-- /bench:${bench.name} -->`);
  doc = re.test(doc) ? doc.replace(re, () => section) : `${doc.trimEnd()}\n\n${section}\n`;
  writeFileAtomic(join(root, 'BENCHMARKS.md'), doc);
}
