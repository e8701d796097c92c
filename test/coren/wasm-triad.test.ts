// The LEB128 encoders the WebAssembly triad module is assembled with, against encodings worked out by
// hand (7 bits a byte, low bits first, the top bit set on every byte but the last; signed: the last
// byte's bit 6 is the sign).
import { describe, expect, it } from 'vitest';

import { sleb, uleb } from '../../src/coren/wasm-triad.js';

describe('LEB128', () => {
  it('unsigned', () => {
    expect(uleb(0)).toEqual([0x00]);
    expect(uleb(127)).toEqual([0x7f]);
    expect(uleb(128)).toEqual([0x80, 0x01]);
    expect(uleb(624_485)).toEqual([0xe5, 0x8e, 0x26]); // 0x98765: 1100101 0001110 0100110
    expect(uleb(65_536)).toEqual([0x80, 0x80, 0x04]);
  });

  it('signed, both signs', () => {
    expect(sleb(0)).toEqual([0x00]);
    expect(sleb(3)).toEqual([0x03]);
    expect(sleb(63)).toEqual([0x3f]);
    expect(sleb(64)).toEqual([0xc0, 0x00]); // bit 6 set would read as negative: one more byte
    expect(sleb(-1)).toEqual([0x7f]);
    expect(sleb(-64)).toEqual([0x40]);
    expect(sleb(-65)).toEqual([0xbf, 0x7f]);
    expect(sleb(-123_456)).toEqual([0xc0, 0xbb, 0x78]);
  });
});
