// docs/testing.md shows user-example.test.ts, which this suite runs, verbatim: the example a user
// pastes into their own suite is the one that passes here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

describe('docs/testing.md', () => {
  it('holds test/testing/user-example.test.ts verbatim', () => {
    const root = join(import.meta.dirname, '..', '..');
    const doc = readFileSync(join(root, 'docs', 'testing.md'), 'utf8');
    const example = readFileSync(join(root, 'test', 'testing', 'user-example.test.ts'), 'utf8');
    expect(doc).toContain('```ts\n' + example + '```\n');
  });
});
