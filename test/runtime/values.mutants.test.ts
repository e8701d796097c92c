// A value's tag and how error messages name its kind (values.ts), called directly.
import { describe as group, expect, it } from 'vitest';
import { describe, ENDL, NOTHING, tagOf, type Value } from '../../src/runtime/values.js';

const kinds: [string, unknown, string, string][] = [
  ['an integer', 3n, 'int', 'an integer'],
  ['a float', 1.5, 'float', 'a float'],
  ['a string', '', 'string', 'a string'],
  ['a bool', false, 'bool', 'a bool'],
  ['nothing', NOTHING, 'nothing', 'nothing (the call returned no value)'],
  ['an error', { tag: 'error', name: 'range_error' }, 'error', 'an error'],
  ['endl', ENDL, 'endl', 'endl'],
  ['a dag', { tag: 'dag' }, 'dag', 'a dag'],
  ['a blocker', { tag: 'blocker', pending: [] }, 'blocker', 'a blocker'],
  ['an unlisted tag', { tag: 'input' }, 'input', 'an input'],
];

group('tagOf and describe', () => {
  it.each(kinds)('%s', (_, v, tag, words) => {
    expect(tagOf(v as Value)).toBe(tag);
    expect(describe(v as Value)).toBe(words);
  });
});
