import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** A redis-server of our own on loopback, without persistence, that a test can stop and start again. */
export interface RedisServer {
  readonly url: string;
  readonly port: number;
  /** Stops the server (its data is gone: it persists nothing). */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
}

/** Starts `redis-server` on a free loopback port and waits until it answers PING. */
export async function startRedisServer(extraArgs: string[] = [], port?: number): Promise<RedisServer> {
  port ??= await freePort();
  let child: ChildProcess | undefined;
  const server: RedisServer = {
    url: `redis://127.0.0.1:${port}`,
    port,
    async start() {
      if (child) return;
      const started = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning', ...extraArgs],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      child = started;
      let stderr = '';
      started.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = once(started, 'exit').then(() => {
        throw new Error(`redis-server exited at start: ${stderr}`);
      });
      await Promise.race([answersPing(port), exited]);
    },
    async stop() {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null) return;
      const exited = once(running, 'exit');
      running.kill('SIGKILL');
      await exited;
    },
  };
  await server.start();
  return server;
}

/** A Redis Cluster of three masters on loopback, without replicas or persistence. */
export interface RedisCluster {
  /** One `{ host, port }` per master. */
  readonly nodes: { host: string; port: number }[];
  /** Runs `redis-cli <args>` against the first node (or the given port) and returns its output. */
  cli(args: string[], port?: number): Promise<string>;
  stop(): Promise<void>;
}

/** Starts three cluster-enabled redis-servers, joins them with `redis-cli --cluster create`, waits until the cluster is ok. */
export async function startRedisCluster(): Promise<RedisCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'redis-store-cluster-'));
  const servers: RedisServer[] = [];
  try {
    for (let index = 0; index < 3; index++) {
      // A cluster node also listens on port + 10000 (the cluster bus), so the port must leave room for that.
      const port = await freePort((candidate) => candidate + 10_000 <= 65_535);
      const config = ['--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${port}.conf`), '--dir', dir];
      servers.push(await startRedisServer(config, port));
    }
    const addresses = servers.map((server) => `127.0.0.1:${server.port}`);
    await promisify(execFile)('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes']);
    for (const server of servers) await clusterOk(server.port);
  } catch (error) {
    await Promise.all(servers.map((server) => server.stop()));
    throw error;
  }
  return {
    nodes: servers.map((server) => ({ host: '127.0.0.1', port: server.port })),
    async cli(args, port = servers[0]!.port) {
      return (await promisify(execFile)('redis-cli', ['-p', String(port), ...args])).stdout.trim();
    },
    async stop() {
      await Promise.all(servers.map((server) => server.stop()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function clusterOk(port: number): Promise<void> {
  for (const deadline = Date.now() + 10_000; ; await new Promise((resolve) => setTimeout(resolve, 50))) {
    const { stdout } = await promisify(execFile)('redis-cli', ['-p', String(port), 'CLUSTER', 'INFO']);
    if (stdout.includes('cluster_state:ok')) return;
    if (Date.now() > deadline) throw new Error(`Redis Cluster node ${port} is not ok: ${stdout}`);
  }
}

async function freePort(acceptable: (port: number) => boolean = () => true): Promise<number> {
  for (;;) {
    const port = await anyFreePort();
    if (acceptable(port)) return port;
  }
}

async function anyFreePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Resolves once the server on `port` answers PING (within 10 s). */
async function answersPing(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const pong = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port }, () => socket.write('PING\r\n'));
      socket.once('data', (data) => {
        socket.destroy();
        resolve(data.toString().startsWith('+PONG'));
      });
      socket.once('error', () => resolve(false));
    });
    if (pong) return;
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not start`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
