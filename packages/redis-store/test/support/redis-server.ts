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

/** How many free ports a start tries before it gives up: another process can take a port between probe and bind. */
const PORT_ATTEMPTS = 5;

/**
 * Starts `redis-server` on a free loopback port and waits until it answers as itself. A free port can be
 * taken by someone else between the probe and redis-server's bind (parallel test files start servers at the
 * same moment), so a failed start is retried on another port, and its own output — Redis logs "Failed
 * listening on port …" to stdout, not stderr — is in the error when every attempt fails.
 * `args` may depend on the port (a cluster node's config file is named after it).
 */
export async function startRedisServer(
  args: string[] | ((port: number) => string[]) = [],
  acceptablePort: (port: number) => boolean = () => true,
  leadingArgs: string[] = [],
): Promise<RedisServer> {
  const failures: string[] = [];
  for (let attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
    const port = await freePort(acceptablePort);
    const server = redisServerOn(port, typeof args === 'function' ? args(port) : args, leadingArgs);
    try {
      await server.start();
      return server;
    } catch (error) {
      failures.push(`port ${port}: ${(error as Error).message}`);
    }
  }
  throw new Error(`redis-server did not start after ${PORT_ATTEMPTS} ports:\n${failures.join('\n')}`);
}

/**
 * A redis-server bound to `port` exactly, not yet started; `startRedisServer` is what tests want. `leadingArgs`
 * come first on the command line, where redis-server wants a config file (`[file, '--sentinel']` for Sentinel).
 */
export function redisServerOn(port: number, extraArgs: string[] = [], leadingArgs: string[] = []): RedisServer {
  let child: ChildProcess | undefined;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async start() {
      if (child) return;
      const started = spawn(
        'redis-server',
        [...leadingArgs, '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning', ...extraArgs],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      child = started;
      let output = '';
      const collect = (chunk: Buffer) => {
        // Keep the start-up output for the error; later output is drained so the pipe never fills.
        if (output.length < 16_384) output += chunk.toString();
      };
      started.stdout?.on('data', collect);
      started.stderr?.on('data', collect);
      const exited = once(started, 'exit').then(([code, signal]) => {
        throw new Error(`redis-server exited at start (${signal ?? `code ${code}`}): ${output.trim() || '(no output)'}`);
      });
      try {
        await Promise.race([answersAs(port, started), exited]);
      } catch (error) {
        child = undefined;
        started.kill('SIGKILL');
        throw error;
      } finally {
        exited.catch(() => {}); // the server's later exit (stop()) is not a start failure
      }
    },
    async stop() {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      const exited = once(running, 'exit');
      running.kill('SIGKILL');
      await exited;
    },
  };
}

/** A Redis Cluster of three masters on loopback (with or without a replica each), without persistence. */
export interface RedisCluster {
  /** One `{ host, port }` per node, masters and replicas. */
  readonly nodes: { host: string; port: number }[];
  /** Kills the node on `port` (SIGKILL). */
  kill(port: number): Promise<void>;
  /** Runs `redis-cli <args>` against the first node (or the given port) and returns its output. */
  cli(args: string[], port?: number): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts three cluster-enabled masters (and, with `replicas: 1`, one replica each), joins them with
 * `redis-cli --cluster create`, and waits until the cluster is ok — and every replica in sync. `nodeTimeoutMs` is
 * how soon a dead master is failed over (Redis's default is 15 s).
 */
export async function startRedisCluster(options: { replicas?: 0 | 1; nodeTimeoutMs?: number } = {}): Promise<RedisCluster> {
  const { replicas = 0, nodeTimeoutMs = 15_000 } = options;
  const dir = await mkdtemp(join(tmpdir(), 'redis-store-cluster-'));
  const servers: RedisServer[] = [];
  try {
    for (let index = 0; index < 3 * (1 + replicas); index++) {
      // A cluster node also listens on port + 10000 (the cluster bus), so the port must leave room for that.
      const config = (port: number) => [
        ...['--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${port}.conf`), '--dir', dir],
        ...['--cluster-node-timeout', String(nodeTimeoutMs), '--repl-diskless-sync-delay', '0'],
      ];
      servers.push(await startRedisServer(config, (candidate) => candidate + 10_000 <= 65_535));
    }
    const addresses = servers.map((server) => `127.0.0.1:${server.port}`);
    await promisify(execFile)('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', String(replicas), '--cluster-yes']);
    for (const server of servers) await clusterOk(server.port);
    if (replicas > 0) await replicasInSync(servers);
  } catch (error) {
    await Promise.all(servers.map((server) => server.stop()));
    throw error;
  }
  return {
    nodes: servers.map((server) => ({ host: '127.0.0.1', port: server.port })),
    async kill(port) {
      await servers.find((server) => server.port === port)?.stop();
    },
    async cli(args, port = servers[0]!.port) {
      return (await promisify(execFile)('redis-cli', ['-p', String(port), ...args])).stdout.trim();
    },
    async stop() {
      await Promise.all(servers.map((server) => server.stop()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Waits until every replica's link to its master is up (a failover needs a replica that has the data). */
async function replicasInSync(servers: RedisServer[]): Promise<void> {
  for (const deadline = Date.now() + 15_000; ; await new Promise((resolve) => setTimeout(resolve, 50))) {
    const infos = await Promise.all(servers.map(async ({ port }) => (await promisify(execFile)('redis-cli', ['-p', String(port), 'INFO', 'replication'])).stdout));
    const replicaInfos = infos.filter((info) => info.includes('role:slave'));
    if (replicaInfos.length === servers.length / 2 && replicaInfos.every((info) => info.includes('master_link_status:up'))) return;
    if (Date.now() > deadline) throw new Error('Redis Cluster replicas did not come in sync within 15 s');
  }
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

/**
 * Resolves once the redis-server on `port` is `child` itself (within 10 s): a PING alone could be answered by
 * another test's server that won the race for the port while ours failed to bind.
 */
async function answersAs(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const info = await new Promise<string>((resolve) => {
      let reply = '';
      const socket = createConnection({ host: '127.0.0.1', port }, () => socket.write('INFO server\r\n'));
      socket.on('data', (data) => {
        reply += data.toString();
        if (reply.includes('process_id:') && reply.endsWith('\r\n')) {
          socket.destroy();
          resolve(reply);
        }
      });
      socket.once('error', () => resolve(''));
      socket.once('close', () => resolve(reply));
    });
    const pid = /process_id:(\d+)/.exec(info)?.[1];
    if (pid !== undefined) {
      if (Number(pid) === child.pid) return;
      throw new Error(`port ${port} is answered by another redis-server (pid ${pid})`);
    }
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer within 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
