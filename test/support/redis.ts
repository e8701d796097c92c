// The tests' redis-server (scripts/redis-server.ts, shared with `npm run bench -- memo`): where it is
// not installed the tests that need it are skipped, with one message saying how to install it
// (`.ci/run` installs it, so CI always runs them).
import { REDIS_SERVER } from '../../scripts/redis-server.js';

export { freePort, rawCommand, REDIS_SERVER, startRedis, type RedisServer } from '../../scripts/redis-server.js';

if (!REDIS_SERVER) process.stderr.write('redis-server is not installed: skipping the Redis memo store tests (install it with apt-get install redis-server)\n');
