// Small pieces of English for messages, so a count or a type name reads right wherever it is shown.
import { scopePartName } from './ast/paths.js';

/** `12,345`: digits grouped by three (toLocaleString would load ICU's data on first use, ~50 ms). */
function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `1 value`, `2 values`, `1,024 values`. */
export function plural(n: number, word: string): string {
  return `${groupDigits(n)} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * `an int32`, `an alias`, `a uint8`, `a dag`: by the sound, so a type or node kind starting with
 * a, e, i or o takes "an" (u is left out: "uint" is said "you-int").
 */
export function withArticle(word: string): string {
  return `${/^[aeio]/i.test(word) ? 'an' : 'a'} ${word}`;
}

/** Why an alias of a place inside a DAG in a capture block is refused, by the checks and by the run alike. */
export function placeAliasCaptured(name: string, path: readonly string[]): string {
  return `'${name}' is an alias of ${path.join('.')}, a place inside a DAG; capture ${path[0]} and reach the rest inside`;
}

/** Why `lang` (or an alias of it, of `path`) in a capture block is refused, by the checks and by the run alike. */
export function langCaptured(name: string, path: readonly string[] | null): string {
  const whole = path !== null && (path.length === 1 || (path.length === 3 && path[0] === 'scope'));
  const what = path === null ? 'the language' : `an alias of ${path.join('.')}, ${whole ? 'the language' : 'a part of the language'}`;
  return `'${name}' is ${what}, which every scope reads: it is not captured; leave it out of the capture block`;
}

/**
 * Why an alias of `scope` or of a path in its own parts (`scope.exceptions`, `scope.imported`, the
 * language it imports) in a capture block is refused, by the checks and by the run alike: they are
 * the scope's, and every callable has its own.
 */
export function scopePathCaptured(name: string, path: readonly string[]): string {
  if (path[1] === 'imported' && path[2] === 'lang') return langCaptured(name, path);
  const what = `${path.length > 2 ? 'inside ' : ''}${scopePartName(path)}`;
  return `'${name}' is an alias of ${path.join('.')}, ${what}, which every callable has its own of: it is not captured; leave it out of the capture block`;
}
