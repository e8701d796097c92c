// Small runtime pieces called directly: located() in errors.ts and Frame.suffix in frame.ts.
import { describe, expect, it } from 'vitest';
import { diagnostic, MergeError, type Span } from '../../src/diagnostics.js';
import { located } from '../../src/runtime/errors.js';
import { Frame } from '../../src/runtime/frame.js';
import type { ScopeSpace } from '../../src/runtime/space.js';

const a: Span = { file: 't.merge', line: 2, column: 1, endLine: 2, endColumn: 4 };
const b: Span = { file: 't.merge', line: 5, column: 3, endLine: 5, endColumn: 8 };

describe('located', () => {
  it('an error without a place gets the given one and keeps its code, text and details', () => {
    const details = new Map([['limit', 3]]);
    const e = new MergeError(diagnostic('MRG3003', 'too big'), details);
    const l = located(e, a);
    expect(l).not.toBe(e);
    expect(l.diagnostic).toEqual({ code: 'MRG3003', severity: 'error', message: 'too big', span: a });
    expect(l.details).toBe(details);
  });

  it('an error with a place, or no place given, is returned as is', () => {
    const placed = new MergeError(diagnostic('MRG3003', 'too big', b));
    expect(located(placed, a)).toBe(placed);
    const bare = new MergeError(diagnostic('MRG3003', 'too big'));
    expect(located(bare, undefined)).toBe(bare);
  });
});

describe('Frame.suffix', () => {
  it('is empty for the first activation and #dN for recursive ones', () => {
    const space = {} as ScopeSpace;
    expect(new Frame(0, null, space).suffix).toBe('');
    expect(new Frame(0, null, space, 3).suffix).toBe('#d3');
  });
});
