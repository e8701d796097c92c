// The machine cache read strictly: every malformed, old or foreign file gives its own full reason
// and no figures; a valid one gives exactly the figures written. Expected texts are written out.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { CACHE_FILE, CACHE_VERSION, cachePath, parseCache, readCache, serializeFigures, writeCache, type MachCapFigures } from '../../src/coren/cache.js';
import type { HostFingerprint } from '../../src/coren/probe-system.js';
import { tempDir } from './fakes.js';

const HOST: HostFingerprint = { cpuModel: 'Fake CPU 3000', cores: 4, ramTotal: 17179869184, runtime: 'node v20.0.0' };

type Doc = Record<string, unknown> & { figures: Record<string, unknown> };

/** A valid cache document, as plain JSON values (no code under test builds it). */
function validDoc(): Doc {
  return {
    format: 'coren-machcap',
    version: 3,
    figures: {
      fingerprint: { cpuModel: 'Fake CPU 3000', cores: 4, ramTotal: 17179869184, runtime: 'node v20.0.0' },
      measuredAt: '2026-12-07T01:02:03.456Z',
      measureSec: 2.5,
      cores: 4,
      physicalCores: 2,
      ramTotal: 17179869184,
      battery: false,
      llcBytes: 8388608,
      opsPerSec: 9e9,
      opsPerSecAll: 3.6e10,
      memBytesPerSec1: 7e9,
      memBytesPerSecAll: 2e10,
      memBytesPerSecSimd: 1.8e10,
      triadElements: 1048576,
      fmaIterations: 6000000,
      workers: 4,
      workerStartSec: 0.02,
      diskWriteBytesPerSec: 4e8,
      diskReadBytesPerSec: 1.2e9,
      diskReadUncached: true,
      link: { name: 'eth0', speedMbps: 1000 },
      kernels: { scan: 6.5, sort: 4.3, hash: 0.3, matmul: 7.6, etl: 1.5 },
    },
  };
}

/** The figures validDoc() stands for: the same values, the kernels as a Map. */
const VALID_FIGURES = { ...validDoc().figures, kernels: new Map(Object.entries(validDoc().figures['kernels'] as object)) } as unknown as MachCapFigures;

/** validDoc() with one change, as file text. */
function docWith(edit: (d: Doc) => void): string {
  const d = validDoc();
  edit(d);
  return JSON.stringify(d);
}

/** validDoc() with figures[key] set to a raw JSON text (for values JSON.stringify cannot write, like 1e999). */
function docWithRaw(key: string, raw: string): string {
  const d = validDoc();
  d.figures[key] = '@@RAW@@';
  return JSON.stringify(d).replace('"@@RAW@@"', raw);
}

const fig = (key: string, value: unknown) => (d: Doc) => {
  d.figures[key] = value;
};
const drop = (key: string) => (d: Doc) => {
  delete d.figures[key];
};
const fp = (key: string, value: unknown) => (d: Doc) => {
  (d.figures['fingerprint'] as Record<string, unknown>)[key] = value;
};
const kernel = (key: string, value: unknown) => (d: Doc) => {
  (d.figures['kernels'] as Record<string, unknown>)[key] = value;
};

describe('parseCache accepts a valid file', () => {
  it('gives exactly the figures written, the kernels as a Map', () => {
    expect(parseCache(JSON.stringify(validDoc()), HOST)).toEqual({ kind: 'hit', figures: VALID_FIGURES });
  });

  it('accepts a null SIMD rate, a null link, a link of unknown speed, and zero for the non-negative figures', () => {
    const simd = parseCache(docWith(fig('memBytesPerSecSimd', null)), HOST);
    expect(simd).toEqual({ kind: 'hit', figures: { ...VALID_FIGURES, memBytesPerSecSimd: null } });
    const noLink = parseCache(docWith(fig('link', null)), HOST);
    expect(noLink).toEqual({ kind: 'hit', figures: { ...VALID_FIGURES, link: null } });
    const unknownSpeed = parseCache(docWith(fig('link', { name: 'wlan0', speedMbps: null })), HOST);
    expect(unknownSpeed).toEqual({ kind: 'hit', figures: { ...VALID_FIGURES, link: { name: 'wlan0', speedMbps: null } } });
    const zero = parseCache(
      docWith((d) => {
        d.figures['measureSec'] = 0;
        d.figures['workerStartSec'] = 0;
      }),
      HOST,
    );
    expect(zero).toEqual({ kind: 'hit', figures: { ...VALID_FIGURES, measureSec: 0, workerStartSec: 0 } });
  });

  it('accepts a fractional rate where only integers are refused (opsPerSec 0.5)', () => {
    expect(parseCache(docWith(fig('opsPerSec', 0.5)), HOST)).toEqual({ kind: 'hit', figures: { ...VALID_FIGURES, opsPerSec: 0.5 } });
  });
});

describe('parseCache refuses every malformed file with its reason', () => {
  const corrupt: [string, string, string][] = [
    ['not JSON', '{"format": "coren-machcap",', 'is not valid JSON'],
    ['an array', '[1, 2]', 'the file is not an object'],
    ['null', 'null', 'the file is not an object'],
    ['a number', '42', 'the file is not an object'],
    ['another format', docWith((d) => (d['format'] = 'other-tool')), 'is not a coren machine cache (format "other-tool")'],
    ['no format', docWith((d) => delete d['format']), 'is not a coren machine cache (format undefined)'],
    ['an older version', docWith((d) => (d['version'] = 2)), 'has version 2, this coren writes 3'],
    ['a version as text', docWith((d) => (d['version'] = '3')), 'has version "3", this coren writes 3'],
    ['figures an array', docWith((d) => (d.figures = [] as unknown as Record<string, unknown>)), 'figures is not an object'],
    ['figures null', docWith((d) => (d.figures = null as unknown as Record<string, unknown>)), 'figures is not an object'],
    ['fingerprint a string', docWith(fig('fingerprint', 'Fake CPU')), 'fingerprint is not an object'],
    ['no fingerprint', docWith(drop('fingerprint')), 'lacks fingerprint'],
    ['no measuredAt', docWith(drop('measuredAt')), 'lacks measuredAt'],
    ['no opsPerSec', docWith(drop('opsPerSec')), 'lacks opsPerSec'],
    ['no battery', docWith(drop('battery')), 'lacks battery'],
    ['no link', docWith(drop('link')), 'lacks link'],
    ['no SIMD rate', docWith(drop('memBytesPerSecSimd')), 'lacks memBytesPerSecSimd'],
    ['link a number', docWith(fig('link', 5)), 'link is not an object'],
    ['link without a speed', docWith(fig('link', { name: 'eth0' })), 'lacks speedMbps'],
    ['link speed 0', docWith(fig('link', { name: 'eth0', speedMbps: 0 })), 'has an invalid link speed'],
    ['link speed -1', docWith(fig('link', { name: 'eth0', speedMbps: -1 })), 'has an invalid link speed'],
    ['link speed as text', docWith(fig('link', { name: 'eth0', speedMbps: '1000' })), 'has an invalid link speed'],
    ['link speed infinite', docWithRaw('link', '{"name":"eth0","speedMbps":1e999}'), 'has an invalid link speed'],
    ['link name a number', docWith(fig('link', { name: 7, speedMbps: 1000 })), 'has an invalid name'],
    ['kernels an array', docWith(fig('kernels', [6.5])), 'kernels is not an object'],
    ['no kernels', docWith(drop('kernels')), 'lacks kernels'],
    ['an unknown kernel', docWith(kernel('fft', 2)), 'names an unknown kernel "fft"'],
    ['a kernel constant 0', docWith(kernel('sort', 0)), 'has an invalid constant for kernel sort'],
    ['a kernel constant -1', docWith(kernel('hash', -1)), 'has an invalid constant for kernel hash'],
    ['a kernel constant as text', docWith(kernel('etl', '1.5')), 'has an invalid constant for kernel etl'],
    ['a kernel constant infinite', docWithRaw('kernels', '{"scan":6.5,"sort":4.3,"hash":0.3,"matmul":1e999,"etl":1.5}'), 'has an invalid constant for kernel matmul'],
    ['a kernel missing', docWith((d) => delete (d.figures['kernels'] as Record<string, unknown>)['matmul']), 'lacks kernel constants (has 4 of 5)'],
    ['no kernels at all', docWith(fig('kernels', {})), 'lacks kernel constants (has 0 of 5)'],
    ['cpuModel a number', docWith(fp('cpuModel', 3000)), 'has an invalid cpuModel'],
    ['runtime missing', docWith((d) => delete (d.figures['fingerprint'] as Record<string, unknown>)['runtime']), 'lacks runtime'],
    ['fingerprint cores 2.5', docWith(fp('cores', 2.5)), 'has an invalid cores (2.5)'],
    ['fingerprint cores 0', docWith(fp('cores', 0)), 'has an invalid cores (0)'],
    ['fingerprint ramTotal 1.5', docWith(fp('ramTotal', 1.5)), 'has an invalid ramTotal (1.5)'],
    ['measuredAt a number', docWith(fig('measuredAt', 1733533323)), 'has an invalid measuredAt'],
    ['measureSec -1', docWith(fig('measureSec', -1)), 'has an invalid measureSec (-1)'],
    ['measureSec as text', docWith(fig('measureSec', '2.5')), 'has an invalid measureSec ("2.5")'],
    ['cores 2.5', docWith(fig('cores', 2.5)), 'has an invalid cores (2.5)'],
    ['cores 0', docWith(fig('cores', 0)), 'has an invalid cores (0)'],
    ['physicalCores 1.5', docWith(fig('physicalCores', 1.5)), 'has an invalid physicalCores (1.5)'],
    ['ramTotal 1.5', docWith(fig('ramTotal', 1.5)), 'has an invalid ramTotal (1.5)'],
    ['ramTotal beyond 2^53', docWith(fig('ramTotal', 2 ** 53)), 'has an invalid ramTotal (9007199254740992)'],
    ['battery as text', docWith(fig('battery', 'yes')), 'has an invalid battery'],
    ['llcBytes 0.5', docWith(fig('llcBytes', 0.5)), 'has an invalid llcBytes (0.5)'],
    ['opsPerSec 0', docWith(fig('opsPerSec', 0)), 'has an invalid opsPerSec (0)'],
    ['opsPerSec infinite', docWithRaw('opsPerSec', '1e999'), 'has an invalid opsPerSec (null)'],
    ['opsPerSec null', docWith(fig('opsPerSec', null)), 'has an invalid opsPerSec (null)'],
    ['opsPerSecAll -5', docWith(fig('opsPerSecAll', -5)), 'has an invalid opsPerSecAll (-5)'],
    ['memBytesPerSec1 0', docWith(fig('memBytesPerSec1', 0)), 'has an invalid memBytesPerSec1 (0)'],
    ['memBytesPerSecAll as text', docWith(fig('memBytesPerSecAll', '2e10')), 'has an invalid memBytesPerSecAll ("2e10")'],
    ['memBytesPerSecSimd 0', docWith(fig('memBytesPerSecSimd', 0)), 'has an invalid memBytesPerSecSimd (0)'],
    ['triadElements 1.5', docWith(fig('triadElements', 1.5)), 'has an invalid triadElements (1.5)'],
    ['fmaIterations 0.5', docWith(fig('fmaIterations', 0.5)), 'has an invalid fmaIterations (0.5)'],
    ['workers 3.5', docWith(fig('workers', 3.5)), 'has an invalid workers (3.5)'],
    ['workerStartSec -0.01', docWith(fig('workerStartSec', -0.01)), 'has an invalid workerStartSec (-0.01)'],
    ['diskWriteBytesPerSec 0', docWith(fig('diskWriteBytesPerSec', 0)), 'has an invalid diskWriteBytesPerSec (0)'],
    ['diskReadBytesPerSec 0', docWith(fig('diskReadBytesPerSec', 0)), 'has an invalid diskReadBytesPerSec (0)'],
    ['physicalCores 0', docWith(fig('physicalCores', 0)), 'has an invalid physicalCores (0)'],
    ['fingerprint ramTotal 0', docWith(fp('ramTotal', 0)), 'has an invalid ramTotal (0)'],
    ['triadElements 0', docWith(fig('triadElements', 0)), 'has an invalid triadElements (0)'],
    ['workers -1', docWith(fig('workers', -1)), 'has an invalid workers (-1)'],
    ['memBytesPerSecAll 0', docWith(fig('memBytesPerSecAll', 0)), 'has an invalid memBytesPerSecAll (0)'],
    ['workerStartSec as text', docWith(fig('workerStartSec', '0.02')), 'has an invalid workerStartSec ("0.02")'],
    ['measureSec infinite', docWithRaw('measureSec', '1e999'), 'has an invalid measureSec (null)'],
    ['cores as text', docWith(fig('cores', '4')), 'has an invalid cores ("4")'],
    ['diskReadUncached 1', docWith(fig('diskReadUncached', 1)), 'has an invalid diskReadUncached'],
  ];
  it.each(corrupt)('%s', (_what, text, why) => {
    expect(parseCache(text, HOST)).toEqual({ kind: 'corrupt', why });
  });

  it('says which fingerprint field differs, for a file from another host', () => {
    const foreign: [keyof HostFingerprint, unknown, string][] = [
      ['cpuModel', 'Other CPU', 'cpuModel "Other CPU", this host "Fake CPU 3000"'],
      ['cores', 8, 'cores 8, this host 4'],
      ['ramTotal', 8589934592, 'ramTotal 8589934592, this host 17179869184'],
      ['runtime', 'node v22.1.0', 'runtime "node v22.1.0", this host "node v20.0.0"'],
    ];
    for (const [key, value, diff] of foreign) {
      expect(parseCache(docWith(fp(key, value)), HOST)).toEqual({ kind: 'foreign', why: `was measured on another host (${diff})` });
    }
  });
});

describe('readCache and writeCache', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('names the file .coren-cache.json in the folder', () => {
    expect(CACHE_FILE).toBe('.coren-cache.json');
    expect(cachePath('/some/folder')).toBe('/some/folder/.coren-cache.json');
  });

  it('writes the format, the version and the figures as indented JSON ending in a newline', () => {
    const text = serializeFigures(VALID_FIGURES);
    expect(text.endsWith('\n}\n')).toBe(true);
    expect(text.split('\n')[1]).toBe('  "format": "coren-machcap",');
    expect(JSON.parse(text)).toEqual(validDoc());
    expect(CACHE_VERSION).toBe(3);
  });

  it('creates missing folders, and reads back exactly what it wrote', async () => {
    const nested = join(dir, 'a', 'b');
    await writeCache(nested, VALID_FIGURES);
    expect(readdirSync(nested)).toEqual([CACHE_FILE]);
    expect(readFileSync(join(nested, CACHE_FILE), 'utf8')).toBe(serializeFigures(VALID_FIGURES));
    expect(await readCache(nested, HOST)).toEqual({ kind: 'hit', figures: VALID_FIGURES });
  });

  it('reports a missing file as missing, and a file it cannot read as corrupt with the reason', async () => {
    expect(await readCache(dir, HOST)).toEqual({ kind: 'missing' });
    mkdirSync(join(dir, CACHE_FILE));
    expect(await readCache(dir, HOST)).toEqual({ kind: 'corrupt', why: 'cannot be read (it is a directory)' });
    expect(readdirSync(join(dir, CACHE_FILE))).toEqual([]);
  });

  it('reading a foreign or corrupt file leaves it as it was', async () => {
    const text = docWith(fp('cores', 8));
    writeFileSync(join(dir, CACHE_FILE), text);
    expect((await readCache(dir, HOST)).kind).toBe('foreign');
    writeFileSync(join(dir, CACHE_FILE), 'garbage');
    expect(await readCache(dir, HOST)).toEqual({ kind: 'corrupt', why: 'is not valid JSON' });
    expect(readFileSync(join(dir, CACHE_FILE), 'utf8')).toBe('garbage');
  });
});
