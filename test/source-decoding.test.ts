// Decoding sources: a file that is not UTF-8 text (NUL bytes, a UTF-16 byte-order mark, mostly invalid
// bytes) is one MRG4001 with the byte offset; scattered invalid bytes are an MRG1022 warning each, at
// their place, and read as U+FFFD. Before, every invalid byte became U+FFFD silently and a UTF-16 file
// gave thousands of unrelated errors.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { parseProgram } from '../src/ast/parse.js';
import { FileReadError } from '../src/read-file.js';
import { runProgram } from '../src/runtime/run.js';
import { decodeSource, readSourceText } from '../src/source-file.js';
import { folder, mergE } from './cli/helpers.js';

function refusal(bytes: Uint8Array): string {
  try {
    decodeSource(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(FileReadError);
    expect((e as FileReadError).code).toBe('ENOTTEXT');
    return (e as FileReadError).why;
  }
  throw new Error('decoded');
}

describe('files that are not UTF-8 text', () => {
  it('a NUL byte: not text, with its byte offset', () => {
    expect(refusal(Buffer.from('cout "a" endl;\0\0'))).toBe('it is not UTF-8 text: it holds a NUL byte at byte offset 14 (UTF-16 text or a binary file)');
  });

  it('UTF-16 and UTF-32, by their byte-order marks or their NUL bytes', () => {
    const text = 'cout "hi" endl;\n';
    expect(refusal(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))).toContain('UTF-16 (little-endian byte-order mark FF FE at byte 0)');
    expect(refusal(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]))).toContain('UTF-16 (big-endian byte-order mark FE FF at byte 0)');
    expect(refusal(Buffer.from([0xff, 0xfe, 0, 0, 0x63, 0, 0, 0]))).toContain('UTF-32 (little-endian');
    expect(refusal(Buffer.from(text, 'utf16le'))).toContain('a NUL byte at byte offset 1');
  });

  it('mostly invalid bytes (a binary without NULs): not text, with the first offset', () => {
    const bytes = Buffer.from(Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? 0x41 : 0xff)));
    expect(refusal(bytes)).toBe('it is not UTF-8 text: 100 of its 200 bytes are not UTF-8, the first at byte offset 1 (a binary file, or text in another encoding)');
  });

  it('merg-e check, run and compare refuse it as MRG4001 (exit 2: unreadable input), not thousands of syntax errors', async () => {
    const dir = folder({});
    writeFileSync(join(dir, 'u16.merge'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('mutable int x = 1;\ncout x endl;\n'.repeat(200), 'utf16le')]));
    const check = await mergE(['check', 'u16.merge'], dir);
    expect(check.code).toBe(2);
    expect(check.io.stdout).toContain("MRG4001 error: cannot read 'u16.merge': it is not UTF-8 text: UTF-16 (little-endian byte-order mark FF FE at byte 0)");
    expect(check.io.stdout).toContain('checked 1 file: 1 error, 0 warnings');
    for (const cmd of ['run', 'compare']) {
      const r = await mergE([cmd, 'u16.merge'], dir);
      expect(r.code).toBe(2);
      expect(r.io.stderr.match(/MRG\d{4}/g)).toEqual(['MRG4001']);
    }
  });
});

describe('scattered invalid bytes in a UTF-8 file', () => {
  const bytes = Buffer.concat([Buffer.from('cout "caf'), Buffer.from([0xe9]), Buffer.from(' ok" endl;\nmutable int x = 1;\ncout "é'), Buffer.from([0xff, 0xfe]), Buffer.from('" x endl;\n')]);

  it('each is one lone surrogate in the decoded text, so positions stay one character per byte', () => {
    expect(decodeSource(bytes)).toBe('cout "caf\udce9 ok" endl;\nmutable int x = 1;\ncout "é\udcff\udcfe" x endl;\n');
  });

  it('is one MRG1022 warning per run of bytes, at its line and column, with its byte offset', () => {
    const { diagnostics } = parseProgram(decodeSource(bytes), 'w.merge');
    expect(diagnostics.map((d) => [d.code, d.severity, d.span!.line, d.span!.column, d.span!.endColumn, d.message])).toEqual([
      ['MRG1022', 'warning', 1, 10, 10, 'byte E9 is not UTF-8 (byte offset 9); read as U+FFFD'],
      ['MRG1022', 'warning', 3, 8, 9, '2 bytes (FF FE) are not UTF-8 (byte offset 48); read as U+FFFD'],
    ]);
  });

  it('is read as U+FFFD: a string holding one prints it', () => {
    const r = runProgram({ file: 'w.merge', source: decodeSource(bytes) });
    expect(r.ok).toBe(true);
    expect(r.stdout).toBe('caf\ufffd ok\n\u00e9\ufffd\ufffd1\n');
    expect(r.diagnostics.map((d) => d.code)).toEqual(['MRG1022', 'MRG1022']);
  });

  it('in code it is also the unexpected character it is (MRG1001)', () => {
    const { diagnostics } = parseProgram(decodeSource(Buffer.concat([Buffer.from('cout 1 '), Buffer.from([0xc3]), Buffer.from(' endl;')])), 'c.merge');
    expect(diagnostics.map((d) => [d.code, d.span!.column])).toEqual([
      ['MRG1022', 8],
      ['MRG1001', 8],
    ]);
  });

  it('merg-e check shows the warning with a frame and exits 0; a file read from disk decodes the same', async () => {
    const dir = folder({});
    writeFileSync(join(dir, 'w.merge'), bytes);
    expect(readSourceText(join(dir, 'w.merge'))).toBe(decodeSource(bytes));
    const { code, io } = await mergE(['check', 'w.merge'], dir);
    expect(code).toBe(0);
    expect(io.stdout).toContain('w.merge:1:10 MRG1022 warning: byte E9 is not UTF-8 (byte offset 9); read as U+FFFD\n> 1 | cout "caf\ufffd ok" endl;');
    expect(io.stdout).toContain('checked 1 file: 0 errors, 2 warnings');
  });

  it('valid UTF-8 decodes exactly as Buffer.toString (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (s) => {
        const clean = s.replace(/\0/g, '');
        expect(decodeSource(Buffer.from(clean, 'utf8'))).toBe(Buffer.from(clean, 'utf8').toString('utf8'));
      }),
      { numRuns: 300 },
    );
  });

  it('any bytes: refused as not text, or decoded with one escape per invalid byte that re-encodes to the same bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (b) => {
        let text: string;
        try {
          text = decodeSource(b);
        } catch (e) {
          expect((e as FileReadError).code).toBe('ENOTTEXT');
          return;
        }
        // Escapes back to their bytes, the rest as UTF-8: the original bytes.
        const parts = text.split(/([\uDC80-\uDCFF])/u).map((p) => (/^[\uDC80-\uDCFF]$/u.test(p) ? Buffer.from([p.charCodeAt(0) - 0xdc00]) : Buffer.from(p, 'utf8')));
        expect(Buffer.concat(parts).equals(Buffer.from(b))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
