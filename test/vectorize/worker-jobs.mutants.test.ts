// What a vectorize worker thread does with each message, on the calling thread: a job builds its
// sandbox, a task replies with its rows' outcomes (numbered from the task's start, stopping at the
// first failure), and a task with no sandbox for its job is fatal — with the build error when there
// was one. Expected operation counts by hand: `return x * 2` is 4 operations (return, *, x, 2).
import { describe, expect, it } from 'vitest';

import { parseProgram } from '../../src/ast/parse.js';
import type { FunctionDecl } from '../../src/ast/types.js';
import { DEFAULT_LIMITS } from '../../src/runtime/limits.js';
import type { ShippedClosure } from '../../src/runtime/vectorize/closure.js';
import type { FromWorker, JobSpec } from '../../src/runtime/vectorize/wire.js';
import { WorkerJobs } from '../../src/runtime/vectorize/worker-jobs.js';
import { PRICING } from './helpers.js';

const SPAN = { file: 'w.merge', line: 4, column: 1, endLine: 4, endColumn: 20 };

function closure(src: string): ShippedClosure {
  const decl = parseProgram(src, 'w.merge').program.body.find((s) => s.kind === 'Function') as FunctionDecl;
  return { root: 0, fns: [{ id: 0, decl, membrane: null, env: [] }] };
}

const spec = (src: string, fnName = 'f', limits = DEFAULT_LIMITS): JobSpec => ({ closure: closure(src), pricing: PRICING.spec(), limits, span: SPAN, fnName });
const DOUBLE = spec('function f(x int32)::{}{ return x * 2; };');
const BROKEN: JobSpec = { ...DOUBLE, closure: { root: 7, fns: [] } };

function worker() {
  const replies: FromWorker[] = [];
  return { replies, jobs: new WorkerJobs((m) => replies.push(m)) };
}

describe('WorkerJobs', () => {
  it('a job builds its sandbox without replying; a task replies with each row\'s values and operations, from the task\'s start', () => {
    const { replies, jobs } = worker();
    jobs.take({ t: 'job', job: 1, spec: DOUBLE });
    expect(replies).toEqual([]);
    jobs.take({ t: 'task', job: 1, start: 5, rows: [[3n], [4n]] });
    jobs.take({ t: 'task', job: 1, start: 0, rows: [] });
    expect(replies).toEqual([
      { t: 'done', job: 1, start: 5, outcomes: [{ ok: true, values: [6n], ops: 4 }, { ok: true, values: [8n], ops: 4 }] },
      { t: 'done', job: 1, start: 0, outcomes: [] },
    ]);
  });

  it('a task stops at its first failing row, which is numbered from the task\'s start and named by the job\'s function name', () => {
    const { replies, jobs } = worker();
    jobs.take({ t: 'job', job: 2, spec: spec('function f(x int32)::{}{ if x != 0 { return x; }; };', 'g') });
    jobs.take({ t: 'task', job: 2, start: 10, rows: [[1n], [0n], [2n]] });
    const done = replies[0] as Extract<FromWorker, { t: 'done' }>;
    expect([done.t, done.start, done.outcomes.length]).toEqual(['done', 10, 2]);
    expect(done.outcomes[0]).toMatchObject({ ok: true, values: [1n] });
    expect(done.outcomes[1]).toMatchObject({ ok: false, fatal: false, error: { message: "g returned nothing (it has no `return a b …;`) for row 12; a vectorized function returns the output row's scalars" } });
  });

  it('the job\'s limits hold in its sandbox: a row past the step limit is a fatal outcome', () => {
    const { replies, jobs } = worker();
    jobs.take({ t: 'job', job: 3, spec: spec('function f(x int32)::{}{ mutable int j = 0; while j < 100 { j += 1; }; return x; };', 'f', { ...DEFAULT_LIMITS, maxSteps: 50 }) });
    jobs.take({ t: 'task', job: 3, start: 0, rows: [[1n], [2n]] });
    const done = replies[0] as Extract<FromWorker, { t: 'done' }>;
    expect(done.outcomes).toHaveLength(1);
    expect(done.outcomes[0]).toMatchObject({ ok: false, fatal: true, error: { message: 'the program ran 50 steps without finishing', diagnostic: { code: 'MRG3010' } } });
  });

  it('a task before any job, or for a job other than the last one sent, is fatal', () => {
    const { replies, jobs } = worker();
    jobs.take({ t: 'task', job: 3, start: 4, rows: [[1n]] });
    jobs.take({ t: 'job', job: 4, spec: DOUBLE });
    jobs.take({ t: 'task', job: 9, start: 0, rows: [[1n]] });
    expect(replies).toEqual([
      { t: 'fatal', job: 3, start: 4, error: { diagnostic: null, details: [], message: 'Error: task for job 3 before its job' } },
      { t: 'fatal', job: 9, start: 0, error: { diagnostic: null, details: [], message: 'Error: task for job 9 before its job' } },
    ]);
  });

  it('a job whose sandbox cannot be built makes its tasks fatal with the build error; the next job starts clean', () => {
    const { replies, jobs } = worker();
    jobs.take({ t: 'job', job: 1, spec: DOUBLE });
    jobs.take({ t: 'job', job: 2, spec: BROKEN });
    jobs.take({ t: 'task', job: 2, start: 0, rows: [[1n]] });
    jobs.take({ t: 'job', job: 3, spec: DOUBLE });
    jobs.take({ t: 'task', job: 3, start: 0, rows: [[5n]] });
    jobs.take({ t: 'task', job: 2, start: 0, rows: [[1n]] });
    expect(replies).toEqual([
      { t: 'fatal', job: 2, start: 0, error: { diagnostic: null, details: [], message: 'Error: vectorize closure has no callable #7' } },
      { t: 'done', job: 3, start: 0, outcomes: [{ ok: true, values: [10n], ops: 4 }] },
      // Job 2's build error went with it.
      { t: 'fatal', job: 2, start: 0, error: { diagnostic: null, details: [], message: 'Error: task for job 2 before its job' } },
    ]);
  });

  it('a reply that cannot be sent (a value the port cannot carry) is replaced by a fatal one', () => {
    const replies: FromWorker[] = [];
    const jobs = new WorkerJobs((m) => {
      if (m.t === 'done') throw new TypeError('cannot clone');
      replies.push(m);
    });
    jobs.take({ t: 'job', job: 1, spec: DOUBLE });
    jobs.take({ t: 'task', job: 1, start: 2, rows: [[1n]] });
    expect(replies).toEqual([{ t: 'fatal', job: 1, start: 2, error: { diagnostic: null, details: [], message: 'TypeError: cannot clone' } }]);
  });
});
