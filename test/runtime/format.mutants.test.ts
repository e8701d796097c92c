// How each kind of value prints on cout (format.ts), called directly with hand-made values.
import { describe, expect, it } from 'vitest';
import { MergeError, type Span } from '../../src/diagnostics.js';
import { formatValue } from '../../src/runtime/format.js';
import { typeByName, type TypeDesc } from '../../src/runtime/types.js';
import { ENDL, NOTHING, type Value } from '../../src/runtime/values.js';

const at: Span = { file: 't.merge', line: 1, column: 1, endLine: 1, endColumn: 2 };
const error = { tag: 'error', name: 'range_error', error: new MergeError({ code: 'MRG3003', severity: 'error', message: 'integer division by zero' }) };
const noop = () => undefined;

describe('formatValue', () => {
  it.each<[string, unknown, string]>([
    ['an integer', -12n, '-12'],
    ['a float', 2.5, '2.5'],
    ['a string', 'hi', 'hi'],
    ['true', true, 'true'],
    ['false', false, 'false'],
    ['endl', ENDL, '\n'],
    ['an error', error, 'range_error: integer division by zero'],
    ['a type', { tag: 'type', type: typeByName('int32') as TypeDesc }, 'int32'],
    ['a row', { tag: 'row', values: [1n, 'a', 1.5] }, '1 a 1.5'],
    ['a list', { tag: 'list', items: [1n, error, 'x'] }, '[1, range_error: integer division by zero, x]'],
    ['an empty list', { tag: 'list', items: [] }, '[]'],
    ['a stream', { tag: 'stream', name: 'cout', write: noop }, '<stream cout>'],
    ['a namespace', { tag: 'namespace', name: 'lang.memory', authority: false, get: noop }, '<namespace lang.memory>'],
    ['a function', { tag: 'callable', name: 'f', kind: 'function', params: [], invoke: noop }, '<function f>'],
    ['a merged callable', { tag: 'callable', name: 'm.g', kind: 'merge', params: [], invoke: noop }, '<merge m.g>'],
    ['a built-in', { tag: 'builtin', name: 'dag_rampoints', arity: 1, call: noop }, '<built-in dag_rampoints>'],
    ['a blocker', { tag: 'blocker', pending: [{ span: at, run: noop }, { span: at, run: noop }] }, '<blocker: 2 pending>'],
    ['a dag', { tag: 'dag' }, '<dag>'],
    ['a dataframe', { tag: 'dataframe' }, '<dataframe>'],
  ])('%s', (_, v, expected) => {
    expect(formatValue(v as Value, at)).toBe(expected);
  });

  it('a float read from a narrower name prints at its width', () => {
    expect(formatValue(1.100000023841858, at, 32)).toBe('1.1');
    expect(formatValue(1.100000023841858, at)).toBe('1.100000023841858');
  });

  it('nothing cannot be printed', () => {
    let caught: unknown;
    try {
      formatValue(NOTHING, at);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(MergeError);
    expect((caught as MergeError).code).toBe('MRG3002');
    expect((caught as MergeError).message).toBe('cannot print nothing: the call returned no value');
  });
});
