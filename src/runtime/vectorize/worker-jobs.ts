// What a vectorize worker thread does with each message (worker.ts only wires its port to this):
// a job message builds that job's sandbox, a task message runs the task's rows in it and replies with
// their outcomes; a task with no sandbox for its job (it failed to build) is fatal. Kept apart from
// the thread so it can be tested on the calling thread.
import { Pricing } from '../../model/index.js';
import { Sandbox } from './sandbox.js';
import { outcomeToWire, toWire, type FromWorker, type ToWorker } from './wire.js';
import { runTask } from './yggdrasil.js';

export class WorkerJobs {
  private job = -1;
  private sandbox: Sandbox | null = null;
  private buildError: unknown = null;

  constructor(private readonly reply: (msg: FromWorker) => void) {}

  take(msg: ToWorker): void {
    if (msg.t === 'job') {
      this.job = msg.job;
      this.sandbox = null;
      this.buildError = null;
      try {
        const { closure, pricing, limits, span, fnName } = msg.spec;
        this.sandbox = new Sandbox(closure, Pricing.fromSpec(pricing), limits, span, fnName);
      } catch (e) {
        this.buildError = e;
      }
      return;
    }
    const box = this.sandbox;
    if (msg.job !== this.job || box === null) {
      this.reply({ t: 'fatal', job: msg.job, start: msg.start, error: toWire(this.buildError ?? new Error(`task for job ${msg.job} before its job`)) });
      return;
    }
    try {
      const done = runTask({ start: msg.start, end: msg.start + msg.rows.length }, (i) => box.call(msg.rows[i - msg.start] ?? [], i));
      this.reply({ t: 'done', job: msg.job, start: msg.start, outcomes: done.outcomes.map(outcomeToWire) });
    } catch (e) {
      // Sandbox.call turns every failure into the row's outcome: what lands here is a reply the port refused.
      this.reply({ t: 'fatal', job: msg.job, start: msg.start, error: toWire(e) });
    }
  }
}
