// A throwaway redis-server for the tests and `npm run bench -- memo`: started on a free loopback port
// with its working folder in a temporary folder (no persistence files anywhere else), stopped and
// removed afterwards. REDIS_SERVER is null where Debian's redis-server is not installed.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The redis-server executable, or null when it is not installed. */
export const REDIS_SERVER: string | null = (() => {
  const r = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? 'redis-server' : null;
})();

/** A loopback port nobody listens on now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** One RESP command over a fresh connection (for the harness itself: waiting, saving, shutting down). */
export async function rawCommand(port: number, args: string[], timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = new Socket();
    let got = '';
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`no answer from 127.0.0.1:${port}`));
    }, timeoutMs);
    sock.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    sock.connect(port, '127.0.0.1', () => sock.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`));
    sock.on('data', (d) => {
      got += d.toString('utf8');
      if (got.endsWith('\r\n')) {
        clearTimeout(timer);
        sock.destroy();
        resolve(got.trim());
      }
    });
    sock.on('close', () => {
      clearTimeout(timer);
      resolve(got.trim());
    });
  });
}

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  readonly dir: string;
  /** The server process's id (to stop or kill it from inside a synchronous run). */
  readonly pid: number;
  /** SIGKILL: the server is gone at once, mid-command if there is one. */
  kill(): Promise<void>;
  /** Saves its data (SHUTDOWN SAVE) and stops. */
  shutdownSave(): Promise<void>;
  /** Starts it again on the same port and folder (loading what it saved). */
  restart(): Promise<void>;
  /** Stops it and removes its folder. */
  stop(): Promise<void>;
}

/**
 * Waits until the server on `port` is this child (INFO's process_id), or the child has exited: two
 * test files can be handed the same free port, and then the loser's PING would be answered by the
 * winner's server while the loser fails to bind and exits.
 */
async function waitForOwnServer(port: number, child: ChildProcess): Promise<'ours' | 'exited'> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return 'exited';
    try {
      const reply = await rawCommand(port, ['INFO', 'server'], 500);
      if (reply.includes(`\r\nprocess_id:${child.pid}\r\n`)) return 'ours';
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server on port ${port} did not answer INFO`);
}

/**
 * Starts a server; `config` adds `--name value` settings (e.g. maxmemory). A requirepass is set once
 * the server is known to be ours, since a server with a password would not answer INFO.
 */
export async function startRedis(config: Record<string, string> = {}): Promise<RedisServer> {
  if (!REDIS_SERVER) throw new Error('redis-server is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'merg-e-redis-'));
  const { requirepass, ...settings } = config;
  let port = 0;
  let child: ChildProcess;
  const launch = async (): Promise<'ours' | 'exited'> => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--dbfilename', 'dump.rdb', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--loglevel', 'warning', '--logfile', join(dir, 'redis.log')];
    for (const [k, v] of Object.entries(settings)) args.push(`--${k}`, v);
    child = spawn(REDIS_SERVER as string, args, { stdio: 'ignore' });
    const got = await waitForOwnServer(port, child);
    if (got === 'ours' && requirepass !== undefined) await rawCommand(port, ['CONFIG', 'SET', 'requirepass', requirepass]);
    return got;
  };
  const exited = () => new Promise<void>((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())));
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    if ((await launch()) === 'ours') break;
    if (attempt === 5) throw new Error(`redis-server exited at start ${attempt} times (see ${join(dir, 'redis.log')})`);
  }
  return {
    port,
    url: `redis://127.0.0.1:${port}/0`,
    dir,
    get pid() {
      return child.pid as number;
    },
    kill: async () => {
      child.kill('SIGKILL');
      await exited();
    },
    shutdownSave: async () => {
      await rawCommand(port, ['SHUTDOWN', 'SAVE']).catch(() => '');
      await exited();
    },
    restart: async () => {
      if ((await launch()) === 'exited') throw new Error(`redis-server did not start again on port ${port} (see ${join(dir, 'redis.log')})`);
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited();
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
