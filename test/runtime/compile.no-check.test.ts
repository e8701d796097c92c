// src/runtime/compile.ts at run time, where the static checks would otherwise stop a program first
// (`check: false`): operands of the wrong kind, indexing, members, calls of builtins. Messages are the
// interpreter's own words for each case.
import { describe, expect, it } from 'vitest';

import { err, NO_CHECK, out, where } from './helpers.js';


describe('operands of the wrong kind', () => {
  it('a string compared with an int literal or name', () => {
    expect(where(err('string s = "a";\ncout s < 2 endl;\n', NO_CHECK))).toEqual(['type_error', 'MRG3002', "'<' cannot combine a string and an integer", 2, 6]);
    expect(where(err('string s = "a";\nint two = 2;\ncout s < two endl;\n', NO_CHECK))).toEqual(['type_error', 'MRG3002', "'<' cannot combine a string and an integer", 3, 6]);
    // The other way round: an int name on the left goes the general way too (JS would compare 1n < "a").
    expect(where(err('int x = 1;\nstring s = "a";\ncout x < s endl;\n', NO_CHECK))).toEqual(['type_error', 'MRG3002', "'<' cannot combine an integer and a string", 3, 6]);
  });
});

describe('&& and || take bools on both sides', () => {
  it('names the operator and the operand that is not a bool, left or right', () => {
    expect(where(err('int x = 1;\ncout (x || true) endl;\n', NO_CHECK))).toEqual(['type_error', 'MRG3002', "'||' needs bools, not an integer", 2, 7]);
    expect(where(err('int x = 1;\ncout (true && x) endl;\n', NO_CHECK))).toEqual(['type_error', 'MRG3002', "'&&' needs bools, not an integer", 2, 7]);
    expect(where(err('int x = 1;\ncout (false || x) endl;\n', NO_CHECK))).toEqual(['type_error', 'MRG3002', "'||' needs bools, not an integer", 2, 7]);
  });
});

describe('builtins count their arguments', () => {
  it('in the singular for one', () => {
    expect(where(err('cout lang.memory.int.rampoints(lang.type.int8, 2) endl;\n', NO_CHECK))).toEqual(['type_error', 'MRG3002', 'lang.memory.int.rampoints takes 1 argument, got 2', 1, 6]);
    expect(where(err('cout lang.memory.int.rampoints() endl;\n', NO_CHECK))).toEqual(['type_error', 'MRG3002', 'lang.memory.int.rampoints takes 1 argument, got 0', 1, 6]);
  });

  it('in the plural otherwise', () => {
    expect(where(err('mutable dag d;\nfunction f(x int)::{}{ return x; };\ncout lang.memory.dag.dag_rampoints(d) endl;\n', NO_CHECK))).toEqual(['type_error', 'MRG3002', 'lang.memory.dag.dag_rampoints takes 2 arguments, got 1', 3, 6]);
  });

  it('a value that is neither a callable nor a builtin cannot be called', () => {
    expect(where(err('int x = 1;\ncout x(2) endl;\n', NO_CHECK))).toEqual(['type_error', 'MRG3002', 'an integer is not callable', 2, 6]);
    // An object that is neither a callable nor a built-in (here a dag) is refused alike.
    expect(where(err('mutable dag d;\nd();\n', NO_CHECK))).toEqual(['type_error', 'MRG3002', 'a dag is not callable', 2, 1]);
  });
});

describe('members', () => {
  it('a namespace has only its own members', () => {
    expect(where(err('cout lang.nope endl;\n', NO_CHECK))).toEqual(['name_error', 'MRG3001', "lang has no member 'nope'", 1, 6]);
  });

  it('an int has no members', () => {
    expect(where(err('int x = 1;\ncout x.y endl;\n', NO_CHECK))).toEqual(['type_error', 'MRG3002', 'an integer has no members (reading .y)', 2, 6]);
  });
});

describe('indexing', () => {
  const handler = (body: string) => `function f()::{ cout; endl; }{ lang.assert 1 == 2; }!!{ ${body} };\nf();\n`;

  it('only a list or a row can be indexed, and only by an int', () => {
    expect(where(err('int x = 1;\ncout x[0] endl;\n', NO_CHECK))).toEqual(['type_error', 'MRG3002', 'an integer cannot be indexed', 2, 6]);
    // An object that is neither a list nor a row (here a dag) is refused too, not read as one.
    expect(where(err('mutable dag d;\ncout d[0] endl;\n', NO_CHECK))).toEqual(['type_error', 'MRG3002', 'a dag cannot be indexed', 2, 6]);
    expect(where(err(handler('cout scope.exceptions["a"] endl;'), NO_CHECK))).toEqual(['type_error', 'MRG3002', 'an index must be an integer, not a string', 1, 62]);
  });

  it('counts from either end, within the list', () => {
    expect(out(handler('cout scope.exceptions[0].name " " scope.exceptions[-1].name endl;'), NO_CHECK)).toBe('range_error range_error\n');
    expect(where(err(handler('cout scope.exceptions[1] endl;'), NO_CHECK))).toEqual(['range_error', 'MRG3003', 'index 1 is outside 0..0', 1, 62]);
    expect(where(err(handler('cout scope.exceptions[-2] endl;'), NO_CHECK))).toEqual(['range_error', 'MRG3003', 'index -2 is outside 0..0', 1, 62]);
  });

  it('says when the list is empty', () => {
    expect(where(err('cout scope.exceptions[0] endl;\n', NO_CHECK))).toEqual(['range_error', 'MRG3003', 'index 0 is outside 0..-1 (it is empty)', 1, 6]);
  });
});

describe('places and membranes need a DAG', () => {
  it('a membrane wraps a dag', () => {
    expect(where(err('mutable dag d = membrane<quota<10,10,0>> 3;\n', NO_CHECK))).toEqual(['type_error', 'MRG3002', 'a membrane wraps a dag, not an integer', 1, 17]);
  });

  it('a place starts at a DAG, and the message names the rest of the path', () => {
    expect(where(err('int x = 1;\nmutable dag p = prune x.a;\n', NO_CHECK))).toEqual(['type_error', 'MRG3002', 'an integer is not a DAG, so it has no place a', 2, 23]);
    expect(where(err('int x = 1;\ncout lang.memory.dag.dag_rampoints(x, lang.type.int8) endl;\n', NO_CHECK))).toEqual(['type_error', 'MRG3002', 'an integer is not a DAG, so it has no place', 2, 36]);
  });

  it('a namespace at the end of the path is not a place either', () => {
    expect(where(err('cout lang.memory.dag.dag_rampoints(lang, lang.type.int8) endl;\n', NO_CHECK))).toEqual(['type_error', 'MRG3002', 'a namespace is not a DAG, so it has no place', 1, 36]);
  });

  it('dag_rampoints needs a type', () => {
    expect(where(err('mutable dag d;\ncout lang.memory.dag.dag_rampoints(d, 3) endl;\n', NO_CHECK))).toEqual(['type_error', 'MRG3002', 'dag_rampoints needs a type such as lang.type.int128, not an integer', 2, 6]);
    expect(where(err('mutable dag d;\ncout lang.memory.dag.dag_rampoints(d, d) endl;\n', NO_CHECK))).toEqual(['type_error', 'MRG3002', 'dag_rampoints needs a type such as lang.type.int128, not a dag', 2, 6]);
  });
});

describe('names', () => {
  it('a name that is not declared', () => {
    expect(where(err('cout nope endl;\n', NO_CHECK))).toEqual(['name_error', 'MRG3001', "'nope' is not declared here", 1, 6]);
  });
});

describe('names of an enclosing scope', () => {
  it('a mutable one or an authority cannot be read without a capture', () => {
    expect(where(err('mutable int k = 1;\nfunction g()::{ cout; endl; }{ cout k endl; };\ng();\n', NO_CHECK))).toEqual(['capability_error', 'MRG3007', "'k' is mutable in an enclosing scope; list it in this callable's capture block", 2, 37]);
    expect(where(err('function g()::{ endl; }{ cout 1 endl; };\ng();\n', NO_CHECK))).toEqual(['capability_error', 'MRG3007', "'cout' is authority of an enclosing scope; list it in this callable's capture block", 1, 26]);
  });
});

describe('vectorize outside b += …', () => {
  it('is a type_error saying how to register it, at the vectorize', () => {
    const src = 'mutable dataframe inD int32 x;\nmutable dataframe outD int32 y;\nfunction f(x int32)::{}{ return x; };\nmutable int v = vectorize f inD outD;\n';
    expect(where(err(src, NO_CHECK))).toEqual(['type_error', 'MRG3002', 'vectorize registers work on a blocker: write `b += vectorize f inDf outDf;`', 4, 17]);
  });
});
