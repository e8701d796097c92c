// A vectorize worker thread: builds the sandbox of each job it is sent and runs its tasks, replying on
// its port and waking the main thread (which waits synchronously) through the shared signal.
import { workerData, type MessagePort } from 'node:worker_threads';

import { Pricing } from '../../model/index.js';
import { FatalRowError, Sandbox } from './sandbox.js';
import { outcomeToWire, toWire, type FromWorker, type ToWorker } from './wire.js';
import { runTask } from './yggdrasil.js';

const { port, signal } = workerData as { port: MessagePort; signal: Int32Array };

function reply(msg: FromWorker): void {
  port.postMessage(msg);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

let job = -1;
let sandbox: Sandbox | null = null;
let buildError: unknown = null;

port.on('message', (msg: ToWorker) => {
  if (msg.t === 'job') {
    job = msg.job;
    sandbox = null;
    buildError = null;
    try {
      const { closure, pricing, limits, span, fnName } = msg.spec;
      sandbox = new Sandbox(closure, Pricing.fromSpec(pricing), limits, span, fnName);
    } catch (e) {
      buildError = e;
    }
    return;
  }
  const box = sandbox;
  if (msg.job !== job || box === null) {
    reply({ t: 'fatal', job: msg.job, start: msg.start, error: toWire(buildError ?? new Error(`task for job ${msg.job} before its job`)) });
    return;
  }
  try {
    const done = runTask({ start: msg.start, end: msg.start + msg.rows.length }, (i) => box.call(msg.rows[i - msg.start] ?? [], i));
    reply({ t: 'done', job: msg.job, start: msg.start, outcomes: done.outcomes.map(outcomeToWire) });
  } catch (e) {
    reply({ t: 'fatal', job: msg.job, start: msg.start, error: toWire(e instanceof FatalRowError ? e.error : e) });
  }
});

reply({ t: 'ready' });
