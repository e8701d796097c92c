// Real mode: tasks run on worker threads. The interpreter is synchronous, so the main thread waits
// for results synchronously: each worker replies on its own MessagePort (read with
// receiveMessageOnPort) and bumps a shared counter the main thread sleeps on (Atomics.wait).
// Workers are started once per process, reused by every vectorize, and unref'd so they never keep
// the process alive.
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';

import { MergeError } from '../../diagnostics.js';
import type { ScalarValue } from '../../model/index.js';
import { FatalRowError } from './sandbox.js';
import { fromWire, outcomeFromWire, type FromWorker, type JobSpec, type ToWorker } from './wire.js';
import type { BatchDone, Pool, Task } from './yggdrasil.js';
import { workerEntry } from './worker-entry.js';

/** How long a new worker may take to load before the pool gives up on it. */
const START_TIMEOUT_MS = 30_000;
/** The main thread wakes at least this often while waiting (time limit, progress). */
const WAIT_SLICE_MS = 50;

interface Handle {
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly born: number;
  ready: boolean;
  /** The job whose sandbox the worker holds. */
  job: number;
  /** The job of the task it is running, or -1 when idle. */
  busy: number;
}

const handles: Handle[] = [];
let signal: Int32Array | null = null;
let jobs = 0;

function spawn(): Handle {
  signal ??= new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(workerEntry(import.meta.url, './worker'), { workerData: { port: port2, signal }, transferList: [port2] });
  worker.unref();
  port1.unref();
  return { worker, port: port1, born: Date.now(), ready: false, job: -1, busy: -1 };
}

/** Ends every worker thread (tests and benchmarks; the process does not need it to exit). */
export async function shutdownWorkers(): Promise<void> {
  const all = handles.splice(0);
  await Promise.all(all.map((h) => h.worker.terminate()));
}

/** Worker threads currently started. */
export function workerCount(): number {
  return handles.length;
}

export class ThreadPool implements Pool {
  readonly size: number;
  private readonly job = ++jobs;
  private inFlight = 0;
  private readonly ready: BatchDone[] = [];

  constructor(
    size: number,
    private readonly spec: JobSpec,
    private readonly rows: readonly (readonly ScalarValue[])[],
    /** Called every wait slice: progress and the run's time limit (it may throw). */
    private readonly tick: () => void,
  ) {
    this.size = Math.max(1, size);
    while (handles.length < this.size) handles.push(spawn());
  }

  running(): number {
    return this.inFlight;
  }

  start(task: Task): void {
    let h = this.idle();
    while (!h) {
      this.wait();
      h = this.idle();
    }
    if (h.job !== this.job) {
      this.post(h, { t: 'job', job: this.job, spec: this.spec });
      h.job = this.job;
    }
    h.busy = this.job;
    this.inFlight++;
    this.post(h, { t: 'task', job: this.job, start: task.start, rows: this.rows.slice(task.start, task.end) });
  }

  next(): BatchDone[] {
    while (this.ready.length === 0 && this.inFlight > 0) this.wait();
    return this.ready.splice(0);
  }

  private idle(): Handle | undefined {
    for (let i = 0; i < this.size; i++) {
      const h = handles[i] as Handle;
      if (h.busy === -1) return h;
    }
    return undefined;
  }

  private post(h: Handle, msg: ToWorker): void {
    h.port.postMessage(msg);
  }

  /** Sleeps until a worker replies (or a slice passes), then takes every reply. */
  private wait(): void {
    const sig = signal as Int32Array;
    const seen = Atomics.load(sig, 0);
    if (this.drain()) return;
    Atomics.wait(sig, 0, seen, WAIT_SLICE_MS);
    this.drain();
    this.tick();
    for (const h of handles) {
      if (!h.ready && Date.now() - h.born > START_TIMEOUT_MS) {
        throw new FatalRowError(new Error(`a vectorize worker thread did not start within ${START_TIMEOUT_MS / 1000} s`));
      }
    }
  }

  private drain(): boolean {
    let any = false;
    for (const h of handles) {
      for (let m = receiveMessageOnPort(h.port); m; m = receiveMessageOnPort(h.port)) {
        any = true;
        this.take(h, m.message as FromWorker);
      }
    }
    return any;
  }

  private take(h: Handle, msg: FromWorker): void {
    if (msg.t === 'ready') {
      h.ready = true;
      return;
    }
    h.ready = true;
    h.busy = -1;
    // A reply to an earlier job (one that stopped on a fatal error) only frees its worker.
    if (msg.job !== this.job) return;
    this.inFlight--;
    if (msg.t === 'fatal') {
      const e = fromWire(msg.error);
      throw new FatalRowError(e);
    }
    this.ready.push({ start: msg.start, outcomes: msg.outcomes.map(outcomeFromWire) });
  }
}
