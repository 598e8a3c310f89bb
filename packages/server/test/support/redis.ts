// The redis-store suite's own helper (free port, retries on a taken one, knows its own pid): one copy of it
// in the repository, not two.
export { startRedisServer, type RedisServer } from '../../../redis-store/test/support/redis-server.js';
