// The machine models vectorize consults (src/runtime/vectorize/machine.ts): the nominal stand-in, the
// local store's view (a fetch is a disk read), and `--machine FILE` with every complaint written out
// in full — where it points (line, column, the key's width), each field's range said in words, and
// key names shown clipped and escaped, never a value of the file.
import { rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { MachCap } from '../../src/coren/index.js';
import { localStoreMachine, machineFromFile, nominalMachine } from '../../src/runtime/vectorize/machine.js';
import { thrown } from '../support/errors.js';
import { tempDir } from './helpers.js';

const dir = tempDir('merg-e-machine-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** A new spec file holding `text`; its path. */
function spec(text: string): string {
  const file = join(dir, `m${n++}.json`);
  writeFileSync(file, text);
  return file;
}

const BASE = '"opsPerSec": 1e9, "memBytesPerSec": 2e9, "netBytesPerSec": 1e8';

/** The diagnostic of machineFromFile on a file holding `text`: code, message (path shown as FILE), span. */
function refusal(text: string) {
  const file = spec(text);
  const e = thrown(() => machineFromFile(file));
  const span = e.diagnostic.span;
  return {
    code: e.code,
    message: e.message.split(file).join('FILE'),
    span: span ? { file: span.file === file ? 'FILE' : span.file, line: span.line, column: span.column, endLine: span.endLine, endColumn: span.endColumn } : undefined,
  };
}

describe('nominalMachine', () => {
  it('is 1e9 ops/s, 5 GB/s memory, 12.5 MB/s network, 500 MB/s disk reads and 0.05 s worker start on this host’s cores', () => {
    const f = nominalMachine().toFixedSpec();
    expect(f.opsPerSec).toBe(1e9);
    expect(f.memBytesPerSec).toBe(5e9);
    expect(f.netBytesPerSec).toBe(12.5e6);
    expect(f.diskReadBytesPerSec).toBe(500e6);
    expect(f.cores).toBe(availableParallelism());
    expect(f.workerStartSec).toBe(0.05);
    expect(f.ramTotal).toBeGreaterThan(0);
    expect(f.ramAvailable).toBeGreaterThan(0);
  });
});

describe('localStoreMachine', () => {
  it('fetches at the disk read rate with no latency, and keeps every other figure', () => {
    const cap = MachCap.fixed({ opsPerSec: 3e9, memBytesPerSec: 7e9, netBytesPerSec: 1e6, latencySec: 0.2, diskReadBytesPerSec: 9e8, diskWriteBytesPerSec: 4e8, cores: 3, ramTotal: 2 ** 33, ramAvailable: 2 ** 32, workerStartSec: 0.5 });
    const f = localStoreMachine(cap).toFixedSpec();
    expect(f).toEqual({ ...cap.toFixedSpec(), netBytesPerSec: 9e8, latencySec: 0 });
    expect(cap.toFixedSpec().netBytesPerSec).toBe(1e6); // the machine given is not changed
  });
});

describe('machineFromFile', () => {
  it('reads every field of a spec', () => {
    const file = spec(`{${BASE}, "latencySec": 0.01, "opsPerSecAll": 4e9, "memBytesPerSecAll": 3e9, "diskWriteBytesPerSec": 2e8, "diskReadBytesPerSec": 3e8, "cores": 4, "ramTotal": 1024, "ramAvailable": 512, "workerStartSec": 0.1, "battery": true, "kernels": {"sort": 2.5, "scan": 0.5}}`);
    expect(machineFromFile(file).toFixedSpec()).toEqual({
      opsPerSec: 1e9,
      memBytesPerSec: 2e9,
      netBytesPerSec: 1e8,
      latencySec: 0.01,
      opsPerSecAll: 4e9,
      memBytesPerSecAll: 3e9,
      diskWriteBytesPerSec: 2e8,
      diskReadBytesPerSec: 3e8,
      cores: 4,
      ramTotal: 1024,
      ramAvailable: 512,
      battery: true,
      kernels: { sort: 2.5, scan: 0.5 },
      workerStartSec: 0.1,
    });
  });

  it('takes each range’s ends, and 0 for the network (no network)', () => {
    const file = spec(`{"opsPerSec": 1, "memBytesPerSec": 1e15, "netBytesPerSec": 0, "latencySec": 0, "cores": 1048576, "ramTotal": 4503599627370496, "workerStartSec": 60, "kernels": {"hash": 0.000001, "etl": 1000000}}`);
    const f = machineFromFile(file).toFixedSpec();
    expect([f.opsPerSec, f.memBytesPerSec, f.netBytesPerSec, f.latencySec, f.cores, f.ramTotal, f.workerStartSec]).toEqual([1, 1e15, 0, 0, 1048576, 2 ** 52, 60]);
    expect(f.kernels).toEqual({ hash: 1e-6, etl: 1e6 });
    expect(machineFromFile(spec(`{${BASE}, "battery": false}`)).toFixedSpec().battery).toBe(false);
  });

  it('says a missing file is missing', () => {
    const file = join(dir, 'absent.json');
    const e = thrown(() => machineFromFile(file));
    expect(e.code).toBe('MRG4033');
    expect(e.message).toBe(`cannot read the machine spec ${file}: no such file`);
  });

  it('points at the first character that is not JSON, saying what was expected there', () => {
    expect(refusal('{\n  "opsPerSec": 1e9,\n  oops\n}')).toEqual({
      code: 'MRG4033',
      message: 'the machine spec FILE is not valid JSON: expected double-quoted property name',
      span: { file: 'FILE', line: 3, column: 3, endLine: 3, endColumn: 3 },
    });
  });

  it.each([['null'], ['[]'], ['5'], ['"text"']])('refuses %s: not a JSON object', (text) => {
    expect(refusal(text)).toEqual({ code: 'MRG4033', message: 'the machine spec FILE is not a JSON object', span: undefined });
  });

  it('names an unknown field and points at its key, the whole key wide', () => {
    expect(refusal(`{${BASE},\n "opsPerSecond": 5}`)).toEqual({
      code: 'MRG4033',
      message: 'the machine spec FILE has an unknown field "opsPerSecond"',
      span: { file: 'FILE', line: 2, column: 2, endLine: 2, endColumn: 15 }, // "opsPerSecond" with its quotes: 14 wide
    });
  });

  it('points at the last of duplicate keys: the value JSON keeps and the one refused', () => {
    expect(refusal('{"opsPerSec": 1e9, "memBytesPerSec": 1e9, "netBytesPerSec": 1e8,\n "opsPerSec": -5}')).toEqual({
      code: 'MRG4033',
      message: "the machine spec FILE: 'opsPerSec' is -5; it must be from 1 to 1e+15",
      span: { file: 'FILE', line: 2, column: 2, endLine: 2, endColumn: 12 },
    });
  });

  it('clips an unknown key after 40 characters and shows control characters as ?', () => {
    const long = 'k'.repeat(45);
    expect(refusal(`{"${long}": 1}`).message).toBe(`the machine spec FILE has an unknown field "${'k'.repeat(40)}…"`);
    expect(refusal(`{"${'k'.repeat(40)}": 1}`).message).toBe(`the machine spec FILE has an unknown field "${'k'.repeat(40)}"`);
    // A tab (escaped by JSON.stringify as \t, two visible characters) stays escaped; DEL and C1 controls become ?.
    expect(refusal('{"a\\u007fb\\u0085c\\u0009": 1}').message).toBe('the machine spec FILE has an unknown field "a?b?c\\t"');
  });

  it.each([
    ['opsPerSec', '"memBytesPerSec": 1, "netBytesPerSec": 1'],
    ['memBytesPerSec', '"opsPerSec": 1, "netBytesPerSec": 1'],
    ['netBytesPerSec', '"opsPerSec": 1, "memBytesPerSec": 1'],
  ])('needs %s', (key, rest) => {
    expect(refusal(`{${rest}}`)).toEqual({ code: 'MRG4033', message: `the machine spec FILE needs a number '${key}'`, span: undefined });
  });

  it.each([
    ['opsPerSec', '0.5', "'opsPerSec' is 0.5; it must be from 1 to 1e+15"],
    ['opsPerSec', '1.5e15', "'opsPerSec' is 1.5e+15; it must be from 1 to 1e+15"],
    ['opsPerSecAll', '2e18', "'opsPerSecAll' is 2e+18; it must be from 1 to 1e+18"],
    ['memBytesPerSecAll', '0', "'memBytesPerSecAll' is 0; it must be from 1 to 1e+18"],
    ['netBytesPerSec', '0.5', "'netBytesPerSec' is 0.5; it must be 0 or from 1 to 1e+15"],
    ['netBytesPerSec', '-1', "'netBytesPerSec' is -1; it must be 0 or from 1 to 1e+15"],
    ['latencySec', '3601', "'latencySec' is 3601; it must be from 0 to 3600"],
    ['diskWriteBytesPerSec', '0', "'diskWriteBytesPerSec' is 0; it must be from 1 to 1e+15"],
    ['diskReadBytesPerSec', '1e16', "'diskReadBytesPerSec' is 1e+16; it must be from 1 to 1e+15"],
    ['cores', '0', "'cores' is 0; it must be a whole number from 1 to 1048576"],
    ['cores', '1048577', "'cores' is 1048577; it must be a whole number from 1 to 1048576"],
    ['ramTotal', '4503599627370497', "'ramTotal' is 4.503599627370497e+15; it must be a whole number from 1 to 4.503599627370496e+15"],
    ['ramAvailable', '2.5', "'ramAvailable' is 2.5; it must be a whole number from 1 to 4.503599627370496e+15"],
    ['workerStartSec', '-0.5', "'workerStartSec' is -0.5; it must be from 0 to 60"],
    ['opsPerSec', '1e400', "'opsPerSec' is Infinity; it must be from 1 to 1e+15"],
    ['latencySec', 'true', "'latencySec' must be a number"],
    ['cores', 'null', "'cores' must be a number"],
  ])('refuses %s = %s at its key, saying the range', (key, value, why) => {
    // The field on a line of its own, after the required ones (but itself): its key spans columns 3 to 4 + its length.
    const rest = ['opsPerSec', 'memBytesPerSec', 'netBytesPerSec'].filter((k) => k !== key).map((k) => `"${k}": 1`);
    const text = `{${rest.join(', ')},\n  "${key}": ${value}}`;
    expect(refusal(text)).toEqual({ code: 'MRG4033', message: `the machine spec FILE: ${why}`, span: { file: 'FILE', line: 2, column: 3, endLine: 2, endColumn: key.length + 4 } });
  });

  it('says a large bound as an exponent and a small one as it is', () => {
    expect(refusal(`{${BASE}, "kernels": {"matmul": 1e7}}`).message).toBe("the machine spec FILE: 'kernels.matmul' is 10000000; it must be from 0.000001 to 1000000");
    expect(refusal(`{${BASE}, "kernels": {"matmul": 1e9}}`).message).toBe("the machine spec FILE: 'kernels.matmul' is 1e+9; it must be from 0.000001 to 1000000");
    expect(refusal(`{${BASE}, "kernels": {"matmul": 999999999}}`).message).toBe("the machine spec FILE: 'kernels.matmul' is 999999999; it must be from 0.000001 to 1000000");
    expect(refusal(`{${BASE}, "kernels": {"scan": 0}}`).message).toBe("the machine spec FILE: 'kernels.scan' is 0; it must be from 0.000001 to 1000000");
  });

  it('refuses a battery that is not true or false, at its key', () => {
    expect(refusal(`{${BASE},\n"battery": 1}`)).toEqual({ code: 'MRG4033', message: "the machine spec FILE: 'battery' must be true or false", span: { file: 'FILE', line: 2, column: 1, endLine: 2, endColumn: 9 } });
  });

  it.each([['null'], ['[]'], ['3']])('refuses kernels = %s: not an object', (value) => {
    expect(refusal(`{${BASE}, "kernels": ${value}}`).message).toBe("the machine spec FILE: 'kernels' must be an object of kernel name -> factor");
  });

  it('points at the kernels key when it is not an object', () => {
    const text = `{${BASE}, "kernels": []}`;
    const at = text.indexOf('"kernels"');
    expect(refusal(text).span).toEqual({ file: 'FILE', line: 1, column: at + 1, endLine: 1, endColumn: at + 9 });
  });

  it('a key spelled with an escape is not found in the text: the span is the file\'s first character, one wide', () => {
    // "ops\u0050erSec" is opsPerSec to JSON, but the text never holds "opsPerSec".
    expect(refusal('{"ops\\u0050erSec": 0, "memBytesPerSec": 2e9, "netBytesPerSec": 1e8}')).toEqual({
      code: 'MRG4033',
      message: "the machine spec FILE: 'opsPerSec' is 0; it must be from 1 to 1e+15",
      span: { file: 'FILE', line: 1, column: 1, endLine: 1, endColumn: 1 },
    });
  });

  it('refuses an unknown kernel, naming the known ones, at its key', () => {
    const text = `{${BASE}, "kernels": {"fft": 1}}`;
    expect(refusal(text)).toEqual({
      code: 'MRG4033',
      message: "the machine spec FILE: 'kernels' has an unknown kernel \"fft\" (known: scan, sort, hash, matmul, etl)",
      span: { file: 'FILE', line: 1, column: text.indexOf('"fft"') + 1, endLine: 1, endColumn: text.indexOf('"fft"') + 5 },
    });
  });
});
