// The Redis memo store's connection thread: serves the port and signal it was started with
// (redis-serve.ts).
import { workerData, type MessagePort } from 'node:worker_threads';

import { serveRedis } from './redis-serve.js';

const { port, signal } = workerData as { port: MessagePort; signal: Int32Array };
serveRedis(port, signal);
