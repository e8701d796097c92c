// What a program is handed: the `lang` namespace (language facilities, no host authority) and the
// `ambient` authority (the host's output streams). Nothing else of the host is reachable.
import type { Span } from '../diagnostics.js';
import { formatPoints, roundFloat16, SPEC_VERSION } from '../model/index.js';
import { raise, rangeError, typeError } from './errors.js';
import type { DataframeValue, World } from './space.js';
import { typeByName, type TypeDesc } from './types.js';
import { describe, ENDL, type BuiltinValue, type NamespaceValue, type StreamValue, type TypeValue, type Value } from './values.js';

/** The implemented spec version (language.md: v0.3), the same as the model's lang.Version DAG. */
export const LANG_VERSION = SPEC_VERSION;

export function namespace(name: string, members: ReadonlyMap<string, Value>, authority = false): NamespaceValue {
  return { tag: 'namespace', name, authority, get: (n) => members.get(n) };
}

function builtin(name: string, arity: number, call: (args: Value[], span: Span) => Value): BuiltinValue {
  return { tag: 'builtin', name, arity, call };
}

const typeValues = new Map<TypeDesc, TypeValue>();

function typeValue(t: TypeDesc): TypeValue {
  let v = typeValues.get(t);
  if (!v) {
    v = { tag: 'type', type: t };
    typeValues.set(t, v);
  }
  return v;
}

/** `lang.types.int2048`: any type name is a member. */
function typesNamespace(name: string): NamespaceValue {
  return {
    tag: 'namespace',
    name,
    authority: false,
    get: (n) => {
      const t = typeByName(n);
      return t ? typeValue(t) : undefined;
    },
  };
}

function typeArg(v: Value, fn: string, span: Span): TypeDesc {
  if (typeof v !== 'object' || v.tag !== 'type') return typeError(`${fn} needs a type such as lang.types.int2048, not ${describe(v)}`, span);
  return v.type;
}

/**
 * Milli-points as the float16 the `lang.memory` built-ins return (spec part 17). Beyond float16's
 * largest value (65504) that is a range_error, as for any float that overflows its width.
 */
export function float16Points(mp: number, what: string, span: Span): number {
  const p = roundFloat16(mp / 1000);
  if (!Number.isFinite(p)) return rangeError(`${what} is ${formatPoints(mp)} RAM-points, beyond the float16 it returns (at most 65504)`, span);
  return p;
}

export function langNamespace(world: World): NamespaceValue {
  const version = namespace(
    'lang.version',
    new Map<string, Value>([
      ['major', LANG_VERSION.major],
      ['minor', LANG_VERSION.minor],
    ]),
  );
  const Version = world.child(world.lang, 'Version', { file: '<lang>', line: 1, column: 1, endLine: 1, endColumn: 1 });
  const memory = namespace(
    'lang.memory',
    new Map<string, Value>([
      [
        'int',
        namespace('lang.memory.int', new Map([['rampoints', builtin('lang.memory.int.rampoints', 1, ([t], sp) => {
            const type = typeArg(t as Value, 'rampoints', sp);
            return float16Points(world.scalarMp(type, sp), `lang.memory.int.rampoints(${type.name})`, sp);
          })]])),
      ],
      [
        'string',
        namespace(
          'lang.memory.string',
          new Map([
            [
              'dynamic_rampoints',
              builtin('lang.memory.string.dynamic_rampoints', 1, ([n], sp) => {
                if (typeof n !== 'bigint') return typeError(`dynamic_rampoints needs a length in bytes, not ${describe(n as Value)}`, sp);
                if (n < 0n || n > 1n << 40n) return rangeError(`a string length must be 0..2^40 bytes, not ${n}`, sp);
                return float16Points(world.stringMp(Number(n)), `lang.memory.string.dynamic_rampoints(${n})`, sp);
              }),
            ],
          ]),
        ),
      ],
      [
        'dag',
        namespace(
          'lang.memory.dag',
          new Map([
            [
              'dag_rampoints',
              // Reached only when not called directly (the compiler hands direct calls a place).
              builtin('lang.memory.dag.dag_rampoints', 2, (_a, sp) => typeError('call lang.memory.dag.dag_rampoints(PATH, TYPE) directly with a DAG path', sp)),
            ],
          ]),
        ),
      ],
    ]),
  );
  const dataframe = namespace(
    'lang.dataframe',
    new Map([
      [
        'rows',
        builtin('lang.dataframe.rows', 1, ([df], sp) => {
          const d = df as Value;
          if (typeof d !== 'object' || d.tag !== 'dataframe') return typeError(`lang.dataframe.rows needs a dataframe, not ${describe(d)}`, sp);
          return BigInt(world.rows(d as DataframeValue));
        }),
      ],
    ]),
  );
  const assert = builtin('lang.assert', 1, ([c], sp) => {
    if (typeof c !== 'boolean') return typeError(`lang.assert needs a bool, not ${describe(c as Value)}`, sp);
    if (!c) raise('MRG3009', 'lang.assert failed: the condition is false', sp);
    return true;
  });
  return namespace(
    'lang',
    new Map<string, Value>([
      ['version', version],
      ['Version', Version],
      ['memory', memory],
      ['types', typesNamespace('lang.types')],
      ['type', typesNamespace('lang.type')],
      ['dataframe', dataframe],
      ['assert', assert],
    ]),
  );
}

export function stream(name: string, write: (text: string) => void): StreamValue {
  return { tag: 'stream', name, write };
}

/** The host authority an app receives as `ambient`: only its output streams. */
export function ambientNamespace(cout: StreamValue, cerr: StreamValue): NamespaceValue {
  const io = namespace(
    'ambient.io',
    new Map<string, Value>([
      ['cout', cout],
      ['cerr', cerr],
      ['endl', ENDL],
    ]),
    true,
  );
  return namespace('ambient', new Map<string, Value>([['io', io]]), true);
}
