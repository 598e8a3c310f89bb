/** A throwaway redis-server on a free loopback port, and a Redis client to talk to it. */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface RedisServer {
  url: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Starts /usr/bin/redis-server without persistence, and resolves once it accepts connections. */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  const server = spawn('/usr/bin/redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('Ready to accept connections')) {
        server.stdout.off('data', onData);
        server.stdout.resume(); // keep draining its log so it never blocks on a full pipe
        resolve();
      }
    };
    server.stdout.on('data', onData);
    server.stderr.resume();
    server.once('error', reject);
    server.once('exit', (code) => reject(new Error(`redis-server exited (${code}) before it was ready:\n${output}`)));
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      if (server.exitCode === null && server.signalCode === null) server.kill('SIGTERM');
      await exited;
    },
  };
}

interface NodeRedisClient {
  connect(): Promise<NodeRedisClient>;
  close?(): Promise<unknown>;
  quit?(): Promise<unknown>;
}

export interface RedisConnection {
  /** The connected node-redis client, as `new RedisStore({ client })` takes it. */
  client: object;
  disconnect(): Promise<void>;
}

/**
 * Connects with node-redis. bench's dependencies are fixed and include no Redis client, so it borrows the one
 * redis-store is developed and tested with (its devDependency `redis`).
 */
export async function connectRedis(url: string): Promise<RedisConnection> {
  const fromRedisStore = createRequire(fileURLToPath(new URL('../../packages/redis-store/package.json', import.meta.url)));
  const redis = (await import(pathToFileURL(fromRedisStore.resolve('redis')).href)) as { createClient(options: { url: string }): NodeRedisClient };
  const client = await redis.createClient({ url }).connect();
  return {
    client,
    async disconnect() {
      await (client.close ? client.close() : client.quit?.());
    },
  };
}
