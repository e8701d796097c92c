import { describe, expect, it } from 'vitest';

import { plural, withArticle } from '../src/words.js';

describe('words', () => {
  it('plural: one is singular, every other count plural, digits grouped by three', () => {
    expect([0, 1, 2, 1000, 1234567].map((n) => plural(n, 'value'))).toEqual(['0 values', '1 value', '2 values', '1,000 values', '1,234,567 values']);
  });

  it('withArticle: "an" before a, e, i, o (either case); "a" before u ("uint") and consonants', () => {
    expect(['int32', 'alias', 'opaque', 'enum', 'Int8', 'uint8', 'dag', 'float64', 'string'].map(withArticle)).toEqual(['an int32', 'an alias', 'an opaque', 'an enum', 'an Int8', 'a uint8', 'a dag', 'a float64', 'a string']);
  });
});
