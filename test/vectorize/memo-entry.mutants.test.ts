// The bytes of a memo entry (memo/entry.ts), written out by hand: the header line and the body of a
// two-row entry, where it is too large, and every way a header or a body is refused — each reason's
// full text. Hashes and signatures are computed here with node:crypto from the format the file
// documents (sha256 of the body; HMAC-SHA256 over the JSON list of the header's other fields).
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';

import { FnCost } from '../../src/coren/index.js';
import { encodeEntry, MAX_HEADER_BYTES, parseBody, parseEntry, parseHeader, type ParsedHeader } from '../../src/runtime/vectorize/memo/entry.js';

const MAC_KEY = Buffer.from('k'.repeat(32));
const KEY = 'a'.repeat(64);
const COST = { ops: '10', memBytes: '20', peakMem: '30', resultBytes: '4' };
const ENTRY = { fn: 'f', cost: FnCost.new(10n, 20n, 30n, 4n), rows: [[1n, 'a'], [true, 1.5]] };
// The rows as tagged scalars (canon.ts): 27 bytes.
const BODY = '[["i1","sa"],["b1","f1.5"]]';

const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');
const macOf = (fields: unknown[], key = MAC_KEY) => createHmac('sha256', key).update(JSON.stringify(fields)).digest('hex');

/** A header line as a writer with MAC_KEY would make it, with `over` replacing fields after signing. */
function headerLine(body: string, over: Record<string, unknown> = {}, fields: { rows?: number; fn?: string } = {}): string {
  const rows = fields.rows ?? 2;
  const fn = fields.fn ?? 'f';
  const hash = sha(body);
  const mac = macOf(['merg-e-memo/2', KEY, fn, COST, rows, Buffer.byteLength(body), hash]);
  return `${JSON.stringify({ format: 'merg-e-memo/2', key: KEY, fn, cost: COST, rows, body: Buffer.byteLength(body), hash, mac, ...over })}\n`;
}

const WHOLE = headerLine(BODY) + BODY;

describe('encodeEntry', () => {
  it('writes the signed header line, then the rows', () => {
    const hash = sha(BODY);
    const mac = macOf(['merg-e-memo/2', KEY, 'f', COST, 2, 27, hash]);
    const header = `{"format":"merg-e-memo/2","key":"${KEY}","fn":"f","cost":{"ops":"10","memBytes":"20","peakMem":"30","resultBytes":"4"},"rows":2,"body":27,"hash":"${hash}","mac":"${mac}"}\n`;
    const out = encodeEntry(KEY, ENTRY, MAC_KEY, 1 << 20);
    expect(Buffer.isBuffer(out) && out.toString('utf8')).toBe(header + BODY);
    expect(WHOLE).toBe(header + BODY);
  });

  it('is too large past maxBytes: the rows are estimated as they are encoded, then the whole is measured', () => {
    // Estimate: each value its text + 3, each row + 2: row 1 is 5 + 5 + 2 = 12, row 2 is 5 + 7 + 2 = 14.
    expect(encodeEntry(KEY, ENTRY, MAC_KEY, 11)).toEqual({ tooLarge: 12 });
    expect(encodeEntry(KEY, ENTRY, MAC_KEY, 25)).toEqual({ tooLarge: 26 });
    const total = Buffer.byteLength(WHOLE);
    expect(encodeEntry(KEY, ENTRY, MAC_KEY, 26)).toEqual({ tooLarge: total });
    expect(encodeEntry(KEY, ENTRY, MAC_KEY, total - 1)).toEqual({ tooLarge: total });
    expect(Buffer.isBuffer(encodeEntry(KEY, ENTRY, MAC_KEY, total))).toBe(true);
    expect(encodeEntry(KEY, { ...ENTRY, rows: [] }, MAC_KEY, 2)).toEqual({ tooLarge: Buffer.byteLength(headerLine('[]', {}, { rows: 0 })) + 2 });
  });
});

describe('parseHeader', () => {
  const parse = (text: string | Buffer, total: number | null = null) => parseHeader(Buffer.isBuffer(text) ? text : Buffer.from(text), KEY, MAC_KEY, 'w', total);
  const corrupt = (why: string) => ({ kind: 'corrupt', where: 'w', why });

  it('reads a signed header: what the verdict needs, where the body starts and its hash', () => {
    const h = parse(WHOLE, Buffer.byteLength(WHOLE)) as ParsedHeader;
    const start = Buffer.byteLength(headerLine(BODY));
    expect({ ...h, cost: h.cost.toJSON() }).toEqual({ fn: 'f', cost: COST, rows: 2, bytes: start + 27, bodyStart: start, bodyBytes: 27, hash: sha(BODY) });
    // The store may not know the size: then the first line is enough.
    expect((parse(headerLine(BODY)) as ParsedHeader).bytes).toBe(start + 27);
  });

  it('a first line that never ends: truncated, unless the entry or the prefix goes on past it', () => {
    expect(parse('')).toEqual(corrupt('it is empty'));
    expect(parse('{"format"')).toEqual(corrupt('it is not complete (truncated in its header)'));
    expect(parse('{"format"', 9)).toEqual(corrupt('it is not complete (truncated in its header)'));
    expect(parse('{"format"', 10)).toEqual(corrupt('its first line is not an entry header'));
    expect(parse(Buffer.alloc(MAX_HEADER_BYTES - 1, 0x20))).toEqual(corrupt('it is not complete (truncated in its header)'));
    expect(parse(Buffer.alloc(MAX_HEADER_BYTES, 0x20))).toEqual(corrupt('its first line is not an entry header'));
  });

  it('a header that is not a signed entry header of this key says which part is wrong', () => {
    expect(parse('x\n')).toEqual(corrupt('its header is not JSON'));
    // An empty first line ends at byte 0: a line, not JSON.
    expect(parse('\n[]')).toEqual(corrupt('its header is not JSON'));
    for (const doc of ['[1]', 'null', '5', '"s"']) expect(parse(`${doc}\n`)).toEqual(corrupt('its header is not an entry header'));
    expect(parse(headerLine(BODY, { format: 'merg-e-memo/1' }))).toEqual(corrupt('its format is "merg-e-memo/1", not merg-e-memo/2'));
    expect(parse('{}\n')).toEqual(corrupt('its format is null, not merg-e-memo/2'));
    expect(parse(headerLine(BODY, { format: 'f'.repeat(50) }))).toEqual(corrupt(`its format is "${'f'.repeat(39)}, not merg-e-memo/2`));
    expect(parse(headerLine(BODY, { key: 'b'.repeat(64) }))).toEqual(corrupt('it holds another key'));
    expect(parse(headerLine(BODY, { fn: 7 }))).toEqual(corrupt('its function name is missing'));
    for (const over of [{ rows: -1 }, { rows: 1.5 }, { rows: '2' }, { body: undefined }, { body: -3 }, { body: 2 ** 53 }]) {
      expect(parse(headerLine(BODY, over)), JSON.stringify(over)).toEqual(corrupt('its row count or size is missing'));
    }
    for (const hash of ['A'.repeat(64), 'a'.repeat(63), 'a'.repeat(65), 7, ['a'.repeat(64)]]) expect(parse(headerLine(BODY, { hash }))).toEqual(corrupt('its hash is missing'));
    expect(parse(headerLine(BODY, { cost: { ops: '1' } }))).toEqual(corrupt('its cost is invalid (memo entry w is missing the field "memBytes")'));
  });

  it('a header signed with another key, or not at all, is poisoned', () => {
    const forged = 'it is not signed with this store\'s key (forged, or written with another key)';
    const otherKey = macOf(['merg-e-memo/2', KEY, 'f', COST, 2, 27, sha(BODY)], Buffer.from('z'.repeat(32)));
    expect(parse(headerLine(BODY, { mac: otherKey }))).toEqual({ kind: 'poisoned', where: 'w', why: forged });
    expect(parse(headerLine(BODY, { mac: 'ab' }))).toEqual({ kind: 'poisoned', where: 'w', why: forged });
    expect(parse(headerLine(BODY, { mac: 5 }))).toEqual({ kind: 'poisoned', where: 'w', why: 'it carries no signature' });
    // The right signature's characters as a list of char codes is no signature (its bytes are the same).
    const mac = JSON.parse(headerLine(BODY)).mac as string;
    expect(parse(headerLine(BODY, { mac: [...mac].map((c) => c.charCodeAt(0)) }))).toEqual({ kind: 'poisoned', where: 'w', why: 'it carries no signature' });
    // Every signed field counts: the same signature over another function name or row count is forged.
    const line = headerLine(BODY);
    expect(parse(line.replace('"fn":"f"', '"fn":"g"'))).toEqual({ kind: 'poisoned', where: 'w', why: forged });
    expect(parse(line.replace('"rows":2', '"rows":3'))).toEqual({ kind: 'poisoned', where: 'w', why: forged });
  });

  it('an entry shorter or longer than its header says is corrupt', () => {
    const bytes = Buffer.byteLength(WHOLE);
    expect(parse(WHOLE, bytes - 1)).toEqual(corrupt(`it is truncated (${bytes - 1} of ${bytes} bytes)`));
    expect(parse(WHOLE, bytes + 5)).toEqual(corrupt('it has 5 bytes past its end'));
  });
});

describe('parseBody and parseEntry', () => {
  const entry = (text: string) => parseEntry(Buffer.from(text), KEY, MAC_KEY, 'w');
  const corrupt = (why: string) => ({ kind: 'corrupt', where: 'w', why });

  it('decodes the rows of a whole entry', () => {
    const got = entry(WHOLE);
    expect(got.kind).toBe('hit');
    if (got.kind !== 'hit') return;
    expect([got.where, got.bytes, got.entry.fn, got.entry.cost.toJSON(), got.entry.rows]).toEqual(['w', Buffer.byteLength(WHOLE), 'f', COST, [[1n, 'a'], [true, 1.5]]]);
  });

  it('refuses rows that are cut short, too long, damaged, not JSON or not the rows the header promised', () => {
    const h = parseHeader(Buffer.from(WHOLE), KEY, MAC_KEY, 'w', null) as ParsedHeader;
    const bytes = Buffer.byteLength(WHOLE);
    expect(parseBody(Buffer.from(WHOLE.slice(0, -1)), h, 'w')).toEqual(corrupt(`it is truncated (${bytes - 1} of ${bytes} bytes)`));
    expect(parseBody(Buffer.from(`${WHOLE}xy`), h, 'w')).toEqual(corrupt('it has 2 bytes past its end'));
    expect(entry(WHOLE.replace('"sa"', '"sb"'))).toEqual(corrupt('its rows do not match its hash (damaged after it was written)'));
    // Bodies signed and hashed as they are, so only their content is wrong.
    const signed = (body: string, rows = 2) => entry(headerLine(body, {}, { rows }) + body);
    expect(signed('[["i1"')).toEqual(corrupt('its rows are not JSON'));
    expect(signed('{"a":1}')).toEqual(corrupt('it does not hold the 2 rows its header says'));
    expect(signed('"ab"')).toEqual(corrupt('it does not hold the 2 rows its header says'));
    expect(signed('[["i1"]]')).toEqual(corrupt('it does not hold the 2 rows its header says'));
    expect(signed('[["i1"],"i2"]')).toEqual(corrupt('its row 2 is not a list of values'));
    expect(signed('[["i1","x1"]]', 1)).toEqual(corrupt('it holds a value that is not an encoded scalar: "x1"'));
    expect(signed(`[["s${'z'.repeat(50)}", 5]]`, 1)).toEqual(corrupt('it holds a value that is not an encoded scalar: 5'));
    expect(signed(`[[{"v":"${'z'.repeat(50)}"}]]`, 1)).toEqual(corrupt(`it holds a value that is not an encoded scalar: {"v":"${'z'.repeat(34)}`));
    expect(signed('[[],["b0"]]')).toMatchObject({ kind: 'hit', entry: { rows: [[], [false]] } });
    // An entry of no rows: a row count of 0 is a count.
    expect(signed('[]', 0)).toMatchObject({ kind: 'hit', entry: { rows: [] } });
  });

  it('a whole entry reads its header from the first 64 KiB only', () => {
    const longFn = 'g'.repeat(MAX_HEADER_BYTES);
    expect(entry(headerLine(BODY, {}, { fn: longFn }) + BODY)).toEqual(corrupt('its first line is not an entry header'));
  });
});
