// The one option parser of both executables (merg-e and coren): node:util parseArgs, wrapped once.
// parseArgs only splits the words (tokens); every check is made here, so a mistake is worded the
// same way in every command and is a coded usage error (MRG4002, exit 2), never parseArgs's own text.
import { parseArgs } from 'node:util';

import { fail } from '../diagnostics.js';

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  /** The option may be given several times; its value is then every value given, in order. */
  readonly multiple?: boolean;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

type ValueOf<S extends OptionSpec> = S['type'] extends 'boolean' ? boolean : S extends { multiple: true } ? string[] : string;

/** The parsed values: every option is optional; `help` is always there (-h, --help). */
export type OptionValues<O extends OptionSpecs> = { [K in keyof O]?: ValueOf<O[K]> } & { help?: boolean };

export interface Parsed<O extends OptionSpecs> {
  values: OptionValues<O>;
  positionals: string[];
}

const HELP: OptionSpec = { type: 'boolean', short: 'h' };

/** A word that reads as an option (`--json`, `-h`), as opposed to a value such as `-` or `-1`. */
function looksLikeOption(word: string): boolean {
  return /^--?[A-Za-z]/.test(word);
}

/** Levenshtein distance, to suggest the option a typo meant. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length]!;
}

function closest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const k of known) {
    const d = distance(name, k);
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best;
}

/**
 * Parses `argv` for `program` (as shown in messages: 'merg-e run', 'coren'). Options may come before
 * or after positionals; `--` ends the options; `--opt=value` and `--opt value` are the same; `-` is a
 * positional (stdin). Throws MRG4002 for an unknown option, a missing or unwanted value.
 */
export function parseOptions<O extends OptionSpecs>(program: string, argv: readonly string[], options: O): Parsed<O> {
  const specs = new Map<string, OptionSpec>(Object.entries(options));
  specs.set('help', HELP);
  const helpHint = `Run '${program} --help' for its options.`;
  const { tokens } = parseArgs({ args: [...argv], options: Object.fromEntries(specs), strict: false, allowPositionals: true, tokens: true });
  const values = new Map<string, unknown>();
  const positionals: string[] = [];
  for (const t of tokens) {
    if (t.kind === 'positional') positionals.push(t.value);
    if (t.kind !== 'option') continue;
    const spec = specs.get(t.name);
    if (spec === undefined) {
      const guess = closest(t.name, [...specs.keys()]);
      fail('MRG4002', `${program}: unknown option '${t.rawName}'${guess ? ` (did you mean --${guess}?)` : ''}`, undefined, helpHint);
    }
    if (spec.type === 'boolean') {
      if (t.value !== undefined) fail('MRG4002', `${program}: ${t.rawName} takes no value, got '${t.rawName}=${t.value}'`, undefined, helpHint);
      values.set(t.name, true);
      continue;
    }
    if (t.value === undefined || (!t.inlineValue && looksLikeOption(t.value))) {
      const got = t.value === undefined ? 'nothing follows it' : `'${t.value}' follows it; write ${t.rawName}=${t.value} if that is the value`;
      fail('MRG4002', `${program}: ${t.rawName} needs a value (${got})`, undefined, helpHint);
    }
    if (spec.multiple) values.set(t.name, [...((values.get(t.name) as string[] | undefined) ?? []), t.value]);
    else values.set(t.name, t.value);
  }
  return { values: Object.fromEntries(values) as OptionValues<O>, positionals };
}

export interface NumberRule {
  /** Whole numbers only. */
  integer?: boolean;
  /** The least value allowed (inclusive), or `above` for a strict bound. */
  min?: number;
  above?: number;
}

/** Decimal digits with an optional fraction and exponent: `10`, `2.5`, `.5`, `1e3`. */
const DECIMAL = /^([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$/;

/**
 * A number option's value, written in decimal (`10`, `2.5`, `1e6`): `0x10`, `0b1`, `Infinity`, `-1`
 * and ` 7` are refused, as Number() would read them as numbers nobody meant.
 */
export function decimalOption(program: string, flag: string, text: string, rule: NumberRule = {}): number {
  const shape = DECIMAL;
  const n = Number(text);
  const ok = shape.test(text) && Number.isFinite(n) && (!rule.integer || Number.isSafeInteger(n)) && (rule.min === undefined || n >= rule.min) && (rule.above === undefined || n > rule.above);
  if (!ok) {
    const what = rule.integer ? 'a whole number' : 'a decimal number';
    const bound = rule.above !== undefined ? ` above ${rule.above}` : rule.min !== undefined ? ` of at least ${rule.min}` : '';
    fail('MRG4002', `${program}: ${flag} needs ${what}${bound}, got '${text}'`, undefined, `Write the value in decimal digits${rule.integer ? '' : ' (a point for a fraction)'}, such as 10, 2.5 or 1e6.`);
  }
  return n;
}
