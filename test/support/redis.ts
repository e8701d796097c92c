// The tests' redis-server (scripts/redis-server.ts, shared with `npm run bench -- memo`). Where it is
// not installed, a local `npm test` skips the tests that need it with one message saying how to
// install it; CI sets MERG_E_REQUIRE_REDIS=1 (`.ci/run`, which also installs it), and then a missing
// server fails the Redis test files instead of skipping them silently.
import { createClient } from '@redis/client';

import { REDIS_SERVER } from '../../scripts/redis-server.js';

export { freePort, rawCommand, REDIS_SERVER, startRedis, type RedisServer } from '../../scripts/redis-server.js';

const INSTALL = 'install it with apt-get install redis-server';

if (!REDIS_SERVER) {
  if (process.env.MERG_E_REQUIRE_REDIS === '1') throw new Error(`redis-server is not installed and MERG_E_REQUIRE_REDIS=1 forbids skipping the Redis memo store tests (${INSTALL})`);
  process.stderr.write(`redis-server is not installed: skipping the Redis memo store tests (${INSTALL})\n`);
}

type Client = ReturnType<typeof newClient>;
const newClient = (url: string) => createClient({ url });

/** A plain client of the test's own for one use, to write into Redis what no merg-e would. */
export async function withRedisClient<T>(url: string, use: (c: Client) => Promise<T>): Promise<T> {
  const c = newClient(url);
  await c.connect();
  try {
    return await use(c);
  } finally {
    c.destroy();
  }
}
