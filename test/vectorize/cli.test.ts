// `merg-e run` with vectorize: its options, the JSON and the report, and the vectorize examples run
// against their expect blocks (with a fixed machine and a fresh memo folder, never this machine).
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { run } from '../../src/cli/run.js';
import { captureIo } from '../../src/cli/io.js';
import { shutdownWorkers, type MemoSummary, type VectorizeReport } from '../../src/runtime/vectorize/index.js';
import { tempDir } from './helpers.js';

const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples');

/** coren-like figures of a 2-core desktop. */
function machineFile(dir: string): string {
  const file = join(dir, 'machine.json');
  writeFileSync(file, JSON.stringify({ opsPerSec: 9e9, memBytesPerSec: 6.4e9, netBytesPerSec: 12.5e6, diskReadBytesPerSec: 1e9, cores: 2 }));
  return file;
}

async function merge(args: string[], cwd = process.cwd()) {
  const io = captureIo(cwd);
  const code = await run(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

async function json(args: string[]): Promise<{ code: number; doc: { ok: boolean; stdout: string; error: { name: string; line: number } | null; vectorize: VectorizeReport[] } }> {
  const got = await merge(['--json', ...args]);
  return { code: got.code, doc: JSON.parse(got.stdout) };
}

/** The expect block of an example: stdout lines and the optional last `error: NAME at line N`. */
function expectBlock(file: string): { stdout: string; error: { name: string; line: number } | null } {
  const m = /```expect\n([\s\S]*?)```/.exec(readFileSync(file, 'utf8'));
  if (!m) throw new Error(`${file} has no expect block`);
  const lines = (m[1] as string).split('\n').filter((l, i, all) => i < all.length - 1 || l !== '');
  const last = /^error: (\w+) at line (\d+)$/.exec(lines[lines.length - 1] ?? '');
  if (last) lines.pop();
  return { stdout: lines.map((l) => `${l}\n`).join(''), error: last ? { name: last[1] as string, line: Number(last[2]) } : null };
}

afterAll(async () => {
  await shutdownWorkers();
});

describe('merg-e run and vectorize', () => {
  for (const name of ['vectorize-quota.merge', 'vectorize-memo.merge', 'vectorize-compute-anyway.merge', 'seed-part17.merge']) {
    it(`${name} prints what its expect block says`, async () => {
      const dir = tempDir();
      const file = join(EXAMPLES, name);
      const want = expectBlock(file);
      const { code, doc } = await json(['--machine', machineFile(dir), '--memo', join(dir, 'memo'), file]);
      expect(doc.stdout).toBe(want.stdout);
      expect(doc.error ? { name: doc.error.name, line: doc.error.line } : null).toEqual(want.error);
      expect(code).toBe(want.error ? 1 : 0);
    });
  }

  it('the quota example keeps the two rows before the one that does not fit', async () => {
    const dir = tempDir();
    for (const extra of [[], ['--workers', '4'], ['--schedule-seed', '7', '--workers', '3']]) {
      const { doc } = await json(['--machine', machineFile(dir), '--no-memo', ...extra, join(EXAMPLES, 'vectorize-quota.merge')]);
      const rep = doc.vectorize[0] as VectorizeReport;
      expect([rep.kept, rep.failedRow, rep.error?.name]).toEqual([2, 2, 'quota_error']);
      expect(rep.kept + rep.discarded + rep.abandoned).toBe(5);
    }
  });

  it('the memo example fetches on its second run, and the report shows it', async () => {
    const dir = tempDir();
    const args = ['--machine', machineFile(dir), '--memo', join(dir, 'memo'), join(EXAMPLES, 'vectorize-memo.merge')];
    const first = (await json(args)).doc.vectorize[0] as VectorizeReport;
    expect([first.decision, first.reason, first.result, first.memo?.stored]).toEqual(['compute', 'no entry', 'computed', true]);
    const second = (await json(args)).doc.vectorize[0] as VectorizeReport;
    expect([second.decision, second.reason, second.result]).toEqual(['fetch', 'verdict', 'fetched']);
    expect(second.cost).toEqual(first.cost);
    expect(second.verdict).toMatchObject({ action: 'fetch', bottleneck: 'compute' });
    expect(second.verdict?.tCompute).toBeGreaterThan(second.verdict?.tFetch as number);
    const text = await merge(['--report', ...args]);
    expect(text.stdout).toBe('collatz lengths of 200 numbers\n');
    expect(text.stderr).toMatch(/vectorize \(1\)\n\s+line\s+fn\s+rows\s+W\s+Q\s+R\s+score\s+neck\s+decision\s+result/);
    expect(text.stderr).toMatch(/collatz\s+200\s+350\.1K\s+3\.9KB\s+2\.3KB\s+0\.0000365\s+compute\s+fetch \(verdict\)\s+fetched\s+fetched\s+200\s+0\s+0/);
    expect(text.stderr).toContain(`memo store: ${join(dir, 'memo')}`);
  });

  it('the compute-anyway example computes again despite its entry', async () => {
    const dir = tempDir();
    const args = ['--machine', machineFile(dir), '--memo', join(dir, 'memo'), join(EXAMPLES, 'vectorize-compute-anyway.merge')];
    await json(args);
    const rep = (await json(args)).doc.vectorize[0] as VectorizeReport;
    expect([rep.decision, rep.reason, rep.result, rep.verdict?.action, rep.verdict?.bottleneck]).toEqual(['compute', 'verdict', 'computed', 'compute', 'memory']);
  });

  it('keeps the memo store in the user cache folder by default, never beside the program; --no-memo keeps none', async () => {
    const dir = tempDir();
    const cache = join(dir, 'cache');
    const prog = join(dir, 'p.merge');
    copyFileSync(join(EXAMPLES, 'vectorize-memo.merge'), prog);
    const saved = process.env['MERG_E_CACHE_DIR'];
    process.env['MERG_E_CACHE_DIR'] = cache;
    try {
      await merge(['--machine', machineFile(dir), '--no-memo', prog]);
      expect(existsSync(cache)).toBe(false);
      const { doc } = await json(['--machine', machineFile(dir), prog]);
      expect(readdirSync(dir).sort()).toEqual(['cache', 'machine.json', 'p.merge']);
      expect(doc.vectorize[0]?.memo?.location).toBe(join(cache, 'memo'));
      expect(existsSync(join(cache, 'memo', `${doc.vectorize[0]?.key}.memo`))).toBe(true);
      expect(statSync(join(cache, 'memo.key')).mode & 0o777).toBe(0o600);
      // MERG_E_MEMO names another store, as --memo does.
      process.env['MERG_E_MEMO'] = join(dir, 'elsewhere');
      expect((await json(['--machine', machineFile(dir), prog])).doc.vectorize[0]?.memo?.location).toBe(join(dir, 'elsewhere'));
    } finally {
      process.env['MERG_E_CACHE_DIR'] = saved;
      delete process.env['MERG_E_MEMO'];
    }
  });

  it('--json holds the memo store, its limits and what the run did; --report says so too', async () => {
    const dir = tempDir();
    const args = ['--machine', machineFile(dir), '--memo', join(dir, 'memo'), '--memo-max-entry', '1M', '--memo-max-size', '8M', join(EXAMPLES, 'vectorize-memo.merge')];
    await json(args);
    const { doc } = (await json(args)) as unknown as { doc: { memo: MemoSummary } };
    expect(doc.memo).toMatchObject({ location: join(dir, 'memo'), transport: 'disk', limits: { maxEntryBytes: 2 ** 20, maxTotalBytes: 8 * 2 ** 20 }, state: 'up', lostAt: null });
    expect(doc.memo.counts).toMatchObject({ fetched: 1, stored: 0, corrupt: 0, poisoned: 0 });
    const text = await merge(['--report', ...args]);
    expect(text.stderr).toContain(`memo store: ${join(dir, 'memo')} (folder; entries up to 1.0MB, store up to 8.0MB; least recently used entries evicted first)`);
    expect(text.stderr).toContain('memo: 1 fetched, 0 stored');
  });

  it('--report gives the reason after a poisoned entry, and the run goes on (MRG4031 is a warning)', async () => {
    const dir = tempDir();
    const args = ['--machine', machineFile(dir), '--memo', join(dir, 'memo'), join(EXAMPLES, 'vectorize-memo.merge')];
    const key = (await json(args)).doc.vectorize[0]?.key as string;
    const file = join(dir, 'memo', `${key}.memo`);
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace(/"mac":"[0-9a-f]{4}/, '"mac":"0000'));
    const got = await merge(['--report', ...args]);
    expect(got.code).toBe(0);
    expect(got.stdout).toBe('collatz lengths of 200 numbers\n');
    expect(got.stderr).toContain('MRG4031 warning: memo entry');
    expect(got.stderr).toMatch(/collatz\s+200\s+.*compute \(entry refused \(poisoned\)\)\s+computed/);
    expect(got.stderr).toContain('1 poisoned refused');
  });

  it('refuses bad memo limits with MRG4002', async () => {
    const file = join(EXAMPLES, 'vectorize-memo.merge');
    await expect(merge(['--memo-max-entry', '12Q', file])).rejects.toMatchObject({ code: 'MRG4002' });
    await expect(merge(['--memo-max-size', '0', file])).rejects.toMatchObject({ code: 'MRG4002' });
    await expect(merge(['--memo-max-entry', '2G', '--memo-max-size', '1G', file])).rejects.toMatchObject({ code: 'MRG4002', message: expect.stringContaining('is larger than --memo-max-size') });
  });

  it('--schedule-seed runs simulated workers and replays the same interleaving', async () => {
    const dir = tempDir();
    const args = ['--machine', machineFile(dir), '--no-memo', '--workers', '3', '--schedule-seed', '11', join(EXAMPLES, 'vectorize-quota.merge')];
    const a = (await json(args)).doc.vectorize[0] as VectorizeReport;
    const b = (await json(args)).doc.vectorize[0] as VectorizeReport;
    expect([a.mode, a.workers, a.seed]).toEqual(['deterministic', 3, 11]);
    expect([b.kept, b.discarded, b.abandoned]).toEqual([a.kept, a.discarded, a.abandoned]);
  });

  it('reports a corrupt entry as a warning on stderr and computes', async () => {
    const dir = tempDir();
    const args = ['--machine', machineFile(dir), '--memo', join(dir, 'memo'), join(EXAMPLES, 'vectorize-memo.merge')];
    const key = (await json(args)).doc.vectorize[0]?.key as string;
    writeFileSync(join(dir, 'memo', `${key}.memo`), '{"format":"merg-e-memo/2","key":');
    const got = await merge(args);
    expect(got.code).toBe(0);
    expect(got.stderr).toContain(`MRG4030 warning: memo entry ${join(dir, 'memo', `${key}.memo`)}: it is not complete (truncated in its header); it was ignored and collatz computed`);
  });

  it('refuses bad vectorize options with MRG4002 / MRG4033', async () => {
    const file = join(EXAMPLES, 'vectorize-memo.merge');
    await expect(merge(['--workers', '0', file])).rejects.toMatchObject({ code: 'MRG4002' });
    await expect(merge(['--schedule-seed', 'x', file])).rejects.toMatchObject({ code: 'MRG4002' });
    await expect(merge(['--memo', 'm', '--no-memo', file])).rejects.toMatchObject({ code: 'MRG4002' });
    await expect(merge(['--machine', join(tempDir(), 'missing.json'), file])).rejects.toMatchObject({ code: 'MRG4033' });
    const bad = join(tempDir(), 'm.json');
    writeFileSync(bad, JSON.stringify({ opsPerSec: 1e9, memBytesPerSec: 1e9, netBytesPerSec: 1, turbo: true }));
    await expect(merge(['--machine', bad, file])).rejects.toMatchObject({ code: 'MRG4033' });
  });

  it('never measures the machine under a test runner: nominal, or MERG_E_MACHINE', async () => {
    const dir = tempDir();
    const file = join(EXAMPLES, 'vectorize-memo.merge');
    expect((await json(['--no-memo', file])).doc.vectorize[0]?.machine).toBe('nominal');
    process.env['MERG_E_MACHINE'] = machineFile(dir);
    try {
      expect((await json(['--no-memo', file])).doc.vectorize[0]?.machine).toBe('fixed');
    } finally {
      delete process.env['MERG_E_MACHINE'];
    }
  });

  it('lists the vectorize options in --help', async () => {
    const { stdout } = await merge(['--help']);
    for (const o of ['--memo DIR', '--no-memo', '--memo-max-entry SIZE', '--memo-max-size SIZE', '--workers N', '--schedule-seed S', '--machine FILE']) expect(stdout).toContain(o);
  });
});
