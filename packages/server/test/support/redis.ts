// The redis-store suite's own helper (free port, retries on a taken one, knows its own pid): one copy of it
// in the repository, not two.
export { startRedisServer, type RedisServer } from '../../../redis-store/test/support/redis-server.js';

// Under `pnpm test:clock` this process runs with libfaketime preloaded, and a redis-server that inherits it
// hangs at start. The preload is already in this process; dropping the variable keeps it out of the
// redis-servers (and services) the tests start, which then run on the real clock — as a real Redis would.
delete process.env.LD_PRELOAD;
