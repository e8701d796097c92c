// A vectorize worker thread: hands each message to WorkerJobs (which builds each job's sandbox and
// runs its tasks), replying on its port and waking the main thread (which waits synchronously)
// through the shared signal.
import { workerData, type MessagePort } from 'node:worker_threads';

import type { FromWorker, ToWorker } from './wire.js';
import { WorkerJobs } from './worker-jobs.js';

const { port, signal } = workerData as { port: MessagePort; signal: Int32Array };

function reply(msg: FromWorker): void {
  port.postMessage(msg);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

const jobs = new WorkerJobs(reply);
port.on('message', (msg: ToWorker) => jobs.take(msg));

reply({ t: 'ready' });
