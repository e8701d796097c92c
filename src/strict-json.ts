// The project's strict JSON files (runtime profiles, baskets, their counts): one object, and every
// complaint a coded diagnostic that names the file and the key.
import { diagnostic, MergeError, type Code } from './diagnostics.js';
import { jsonSyntaxMessage } from './json-syntax.js';
import { MAX_JSON_BYTES, readFailure, readTextFile } from './read-file.js';

export type Json = unknown;

export function isObject(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Throws `code` as `FILE: key "KEY": WHY` (no key part when `key` is ''). */
export function badKey(code: Code, file: string, key: string, why: string): never {
  const d = diagnostic(code, `${file}: ${key === '' ? '' : `key "${key}": `}${why}`);
  if (file !== '') d.file = file;
  throw new MergeError(d);
}

/** The file's text as a JSON object, or `code` saying why it is not one. */
export function parseJsonObject(code: Code, text: string, file: string): Record<string, Json> {
  let json: Json;
  try {
    json = JSON.parse(text);
  } catch (e) {
    badKey(code, file, '', jsonSyntaxMessage(text, e));
  }
  if (!isObject(json)) badKey(code, file, '', 'must be a JSON object');
  return json;
}

/** A project JSON file's text, read bounded and non-blocking (src/read-file.ts); `code` says why it cannot be. */
export function readJsonText(code: Code, file: string): string {
  try {
    return readTextFile(file, MAX_JSON_BYTES);
  } catch (e) {
    throw new MergeError({ ...diagnostic(code, `cannot read ${file}: ${readFailure(e)}`), file });
  }
}
