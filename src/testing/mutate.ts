// fast-check arbitraries that damage valid programs: token mutations (delete, duplicate, swap, replace
// with a word of the language or a hostile one) and byte mutations (flip, insert, delete, truncate —
// invalid UTF-8, NULs and stray control characters included). What a parser, a checker and an
// interpreter must survive; the seeds are programs the caller hands in (the examples, say).
import fc from 'fast-check';

/** Words of the language and a few hostile ones (prototype names, bad numbers, open strings and fences). */
export const MUTATION_WORDS: readonly string[] = [
  'mutable', 'inert', 'shared', 'dag', 'dataframe', 'blocker', 'membrane', 'quota', 'copy_on_mutate', 'prune',
  'ent', 'alias', 'freeze', 'vectorize', 'await_all', 'while', 'if', 'else', 'switch', 'scope', 'function',
  'merge', 'return', 'int', 'int8', 'int32', 'int2048', 'float16', 'string', 'true', 'false', 'lang', 'cout',
  'endl', 'x', '__proto__', 'constructor', '0', '-1', '127', '99999999999999999999999999999', '3.5', '12ab',
  '"s"', '"\\q"', '"open', ';', ',', '.', '::', '{', '}', '(', ')', '[', ']', '<', '>', '>>', '=', '+=', '-=',
  '+', '-', '*', '/', '%', '!', '!!', '&&', '||', '@', '```', '```expect\nx\n```', '\u2028', 'é', '\u0000',
];

/** Tokens of a source, whitespace kept as its own tokens so a mutation keeps the rest of the layout. */
export function tokenize(source: string): string[] {
  return source.match(/"(?:[^"\\\n]|\\.)*"?|[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?|::|!!|&&|\|\||[<>=!+-]=|\s+|[^\sA-Za-z0-9_]/g) ?? [];
}

type TokenEdit = { op: 'delete' | 'duplicate' | 'swap' | 'replace'; at: number; to: number; word: string };

function applyTokenEdits(tokens: readonly string[], edits: readonly TokenEdit[]): string {
  const t = [...tokens];
  for (const e of edits) {
    if (t.length === 0) break;
    const i = e.at % t.length;
    const j = e.to % t.length;
    switch (e.op) {
      case 'delete':
        t.splice(i, 1);
        break;
      case 'duplicate':
        t.splice(i, 0, t[i] as string);
        break;
      case 'swap':
        [t[i], t[j]] = [t[j] as string, t[i] as string];
        break;
      case 'replace':
        t[i] = e.word;
        break;
    }
  }
  return t.join('');
}

/** One of `seeds` with 1..maxEdits token edits. */
export function tokenMutation(seeds: readonly string[], maxEdits = 4): fc.Arbitrary<string> {
  const tokenized = seeds.map(tokenize);
  const edit: fc.Arbitrary<TokenEdit> = fc.record({
    op: fc.constantFrom('delete', 'duplicate', 'swap', 'replace'),
    at: fc.nat(),
    to: fc.nat(),
    word: fc.constantFrom(...MUTATION_WORDS),
  });
  return fc.tuple(fc.nat(Math.max(0, seeds.length - 1)), fc.array(edit, { minLength: 1, maxLength: maxEdits })).map(([s, edits]) => applyTokenEdits(tokenized[s] ?? [], edits));
}

type ByteEdit = { op: 'flip' | 'insert' | 'delete' | 'truncate'; at: number; byte: number };

function applyByteEdits(bytes: Buffer, edits: readonly ByteEdit[]): Buffer {
  let b = Buffer.from(bytes);
  for (const e of edits) {
    if (b.length === 0) break;
    const i = e.at % b.length;
    switch (e.op) {
      case 'flip':
        b[i] = (b[i] as number) ^ (1 << (e.byte & 7));
        break;
      case 'insert':
        b = Buffer.concat([b.subarray(0, i), Buffer.from([e.byte]), b.subarray(i)]);
        break;
      case 'delete':
        b = Buffer.concat([b.subarray(0, i), b.subarray(i + 1)]);
        break;
      case 'truncate':
        b = b.subarray(0, i);
        break;
    }
  }
  return b;
}

/** One of `seeds` (as UTF-8 bytes) with 1..maxEdits byte edits, as the bytes a file would hold. */
export function byteMutation(seeds: readonly string[], maxEdits = 6): fc.Arbitrary<Buffer> {
  const encoded = seeds.map((s) => Buffer.from(s, 'utf8'));
  const edit: fc.Arbitrary<ByteEdit> = fc.record({
    op: fc.constantFrom('flip', 'flip', 'insert', 'delete', 'truncate'),
    at: fc.nat(),
    byte: fc.oneof(fc.nat(255), fc.constantFrom(0x00, 0x0a, 0x22, 0x3b, 0x7b, 0x7d, 0x80, 0xc3, 0xe2, 0xff)),
  });
  return fc.tuple(fc.nat(Math.max(0, seeds.length - 1)), fc.array(edit, { minLength: 1, maxLength: maxEdits })).map(([s, edits]) => applyByteEdits(encoded[s] ?? Buffer.alloc(0), edits));
}
