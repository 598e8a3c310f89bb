/**
 * The helper every Redis test starts its servers with. Parallel test files start servers at the same moment,
 * so a port taken between probe and bind must cost a retry, not a failed run with no reason given.
 */
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { redisServerOn, startRedisServer, type RedisServer } from './support/redis-server.js';

const started: RedisServer[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.stop()));
});

describe('test redis-server helper', () => {
  it("says why a start failed, in redis-server's own words", async () => {
    const squatter = createServer();
    squatter.listen(0, '127.0.0.1');
    await once(squatter, 'listening');
    const { port } = squatter.address() as AddressInfo;
    try {
      const error = await redisServerOn(port).start().then(
      () => new Error('started although the port was taken'),
      (reason: unknown) => reason as Error,
    );
      expect(error).toBeInstanceOf(Error);
      expect(error.message).toMatch(/exited at start/);
      expect(error.message).toMatch(/Address already in use|Failed listening/);
    } finally {
      squatter.close();
    }
  });

  it('refuses a port answered by another redis-server, even though that one answers PING', async () => {
    const first = await startRedisServer();
    started.push(first);
    // A second server on the same port fails to bind; the first one's answers must not count as its own.
    const error = await redisServerOn(first.port).start().then(
      () => new Error('started although the port was taken'),
      (reason: unknown) => reason as Error,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toMatch(/another redis-server|exited at start/);
  });

  it('starts many servers at once without a collision', async () => {
    const servers = await Promise.all(Array.from({ length: 8 }, () => startRedisServer()));
    started.push(...servers);
    expect(new Set(servers.map((server) => server.port)).size).toBe(8);
  });
});
