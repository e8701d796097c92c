import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { grammarArtifacts } from '../../grammar/diagrams.js';

const dir = join(import.meta.dirname, '..', '..', 'grammar');

describe('generated grammar artifacts', () => {
  const fresh = grammarArtifacts();

  it('merg-e.grammar.json matches the parser (run `npm run grammar` if this fails)', () => {
    expect(readFileSync(join(dir, 'merg-e.grammar.json'), 'utf8')).toBe(fresh.json);
  });

  it('merg-e.html matches the parser (run `npm run grammar` if this fails)', () => {
    expect(readFileSync(join(dir, 'merg-e.html'), 'utf8')).toBe(fresh.html);
  });

  it('the diagrams cover every rule of the grammar', () => {
    const rules = (JSON.parse(fresh.json) as { name: string }[]).map((r) => r.name);
    expect(rules).toEqual(expect.arrayContaining(['program', 'statement', 'variableDecl', 'mergeDecl', 'pathStatement', 'expression', 'membraneSpec']));
    for (const r of rules) expect(fresh.html).toContain(`"name": "${r}"`);
  });
});
