// How values print on cout/cerr. Scalars print plainly; other values print a short description.
import type { Span } from '../diagnostics.js';
import { formatFloat } from './arith.js';
import { typeError } from './errors.js';
import type { Value } from './values.js';

/** One value as `cout` writes it. `floatBits` is the declared width of a float read from a name. */
export function formatValue(v: Value, span: Span, floatBits = 64): string {
  switch (typeof v) {
    case 'bigint':
      return v.toString();
    case 'number':
      return formatFloat(v, floatBits);
    case 'string':
      return v;
    case 'boolean':
      return v ? 'true' : 'false';
  }
  switch (v.tag) {
    case 'endl':
      return '\n';
    case 'nothing':
      return typeError('cannot print nothing: the call returned no value', span);
    case 'error':
      return `${v.name}: ${v.error.message}`;
    case 'type':
      return v.type.name;
    case 'row':
      return v.values.map((x) => formatValue(x, span)).join(' ');
    case 'list':
      return `[${v.items.map((x) => formatValue(x, span)).join(', ')}]`;
    case 'stream':
      return `<stream ${v.name}>`;
    case 'namespace':
      return `<namespace ${v.name}>`;
    case 'callable':
      return `<${v.kind} ${v.name}>`;
    case 'builtin':
      return `<built-in ${v.name}>`;
    case 'blocker':
      return `<blocker: ${v.pending.length} pending>`;
    case 'dag':
      return '<dag>';
    case 'dataframe':
      return '<dataframe>';
  }
}
