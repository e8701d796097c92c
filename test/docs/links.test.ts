// The README and docs/ point only inside the repository: every relative link names a file that
// exists (in the repository, not above it), and every #anchor a heading of the page it names.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pages = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\- _]/gu, '')
    .replace(/ /g, '-');
}

function anchorsOf(page: string): Set<string> {
  const text = readFileSync(join(root, page), 'utf8').replace(/```[\s\S]*?```/g, '');
  return new Set([...text.matchAll(/^#{1,6} (.*)$/gm)].map((m) => anchor(m[1]!)));
}

/** Links outside code: [text](target), images included. */
function linksOf(page: string): string[] {
  const text = readFileSync(join(root, page), 'utf8').replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
}

describe('README and docs/', () => {
  it.each(pages)('%s links only to files and headings inside the repository', (page) => {
    const broken: string[] = [];
    for (const link of linksOf(page)) {
      if (/^https?:/.test(link)) continue;
      const [path, hash] = link.split('#') as [string, string | undefined];
      const target = path === '' ? join(root, page) : resolve(root, dirname(page), path);
      const inside = !relative(root, target).startsWith('..');
      if (!inside || !existsSync(target)) broken.push(link);
      else if (hash !== undefined && target.endsWith('.md') && !anchorsOf(relative(root, target)).has(hash)) broken.push(link);
    }
    expect(broken).toEqual([]);
  });

  it('say nothing of files outside the repository', () => {
    for (const page of pages) expect(readFileSync(join(root, page), 'utf8'), page).not.toMatch(/\.\.\/shared\/|\bshared\/spec\b|\bissue \d+\b/);
  });
});
