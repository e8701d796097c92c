// The fuzzer's watchdog. The interpreter runs synchronously, so a case that blocks (a loop no limit
// catches, a read that never returns) cannot be interrupted from its own thread: a watchdog thread
// sees the case counter stop moving, prints the case (and saves it, in a campaign) and ends the
// process — a hang becomes a loud, reproducible failure instead of a CI job that never ends.
import { Worker } from 'node:worker_threads';

/** Room for the text of the case being run (longer cases are cut there). */
const TEXT_BYTES = 4 * 2 ** 20;

const WATCHER = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const path = require('node:path');
const { shared, afterMs, save } = workerData;
const head = new Int32Array(shared, 0, 3);
const text = new Uint8Array(shared, 12);
let seen = -1;
let since = Date.now();
for (;;) {
  Atomics.wait(head, 2, 0, 500);
  if (Atomics.load(head, 2) !== 0) break;
  const gen = Atomics.load(head, 0);
  if (gen !== seen) { seen = gen; since = Date.now(); continue; }
  if (gen === 0 || Date.now() - since < afterMs) continue;
  const source = Buffer.from(text.subarray(0, Atomics.load(head, 1))).toString('utf8');
  let where = '';
  if (save) {
    fs.mkdirSync(save, { recursive: true });
    where = path.join(save, 'hang-' + Date.now() + '.merge');
    fs.writeFileSync(where, source);
  }
  fs.writeSync(2, '\\nfuzz watchdog: case ' + gen + ' has run for ' + Math.round((Date.now() - since) / 1000) + ' s, past every limit; ending the process.' + (where ? ' Saved as ' + where : '') + '\\n--- the case ---\\n' + source + '\\n---\\n');
  process.kill(process.pid, 'SIGKILL');
}
`;

export class Watchdog {
  private readonly shared = new SharedArrayBuffer(12 + TEXT_BYTES);
  private readonly head = new Int32Array(this.shared, 0, 3);
  private readonly text = new Uint8Array(this.shared, 12);
  private readonly worker: Worker;

  /** `afterMs`: how long one case may run; `save`: a folder for the hanging case (null: print only). */
  constructor(opts: { afterMs: number; save: string | null }) {
    this.worker = new Worker(WATCHER, { eval: true, workerData: { shared: this.shared, afterMs: opts.afterMs, save: opts.save } });
    this.worker.unref();
  }

  /** A new case starts: its text is what the watchdog shows if it never ends. */
  watch(source: string): void {
    const { written } = new TextEncoder().encodeInto(source, this.text);
    Atomics.store(this.head, 1, written);
    Atomics.add(this.head, 0, 1);
  }

  stop(): void {
    Atomics.store(this.head, 2, 1);
    Atomics.notify(this.head, 2);
    void this.worker.terminate();
  }
}
