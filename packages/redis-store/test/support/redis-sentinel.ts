import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startRedisServer, type RedisServer } from './redis-server.js';
import { startReplicationLink, type ReplicationLink } from './replication-link.js';

/** The name Sentinel knows the primary by. */
export const SENTINEL_MASTER = 'tokens';

/**
 * One primary, one replica and one Sentinel (Debian's redis-sentinel, i.e. `redis-server --sentinel`), on
 * loopback. The primary is reached — by the replica, the Sentinel and clients alike — through a
 * {@link ReplicationLink}, so a test can make replication lag; the replica is reached directly.
 */
export interface SentinelGroup {
  readonly primary: RedisServer;
  readonly replica: RedisServer;
  readonly sentinel: RedisServer;
  readonly link: ReplicationLink;
  /** Resolves once the primary counts its replica as connected and online (what `waitForReplicas` waits for). */
  replicaOnline(): Promise<void>;
  /** The port Sentinel gives as the primary's now. */
  masterPort(): Promise<number>;
  /** Kills the primary (SIGKILL) with whatever it had not sent to the replica, and waits until Sentinel has promoted the replica. */
  failOver(): Promise<void>;
  stop(): Promise<void>;
}

const cli = async (port: number, ...args: string[]) => (await promisify(execFile)('redis-cli', ['-p', String(port), ...args])).stdout.trim();
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every 50 ms until it holds; fails after `timeoutMs` saying `what` did not happen. */
export async function until(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !(await check().catch(() => false)); await pause(50)) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
  }
}

/** Starts the group and waits until the replica is in sync and Sentinel knows it (a failover needs a known replica). */
export async function startSentinelGroup(): Promise<SentinelGroup> {
  const dir = await mkdtemp(join(tmpdir(), 'redis-store-sentinel-'));
  const started: { stop(): Promise<void> }[] = [];
  try {
    // In the group's own directory: a full resynchronisation writes an RDB file even without persistence.
    // No 5 s wait for more replicas before the first full synchronisation.
    const primary = await startRedisServer(['--dir', dir, '--repl-diskless-sync-delay', '0']);
    started.push(primary);
    const link = await startReplicationLink(primary.port);
    started.push({ stop: () => link.close() });
    const replica = await startRedisServer(['--dir', dir, '--replicaof', '127.0.0.1', String(link.port)]);
    started.push(replica);
    await until('replication', async () => (await cli(replica.port, 'INFO', 'replication')).includes('master_link_status:up'));
    const config = join(dir, 'sentinel.conf');
    // Fast failure detection and failover, so a test's failover takes seconds, not the default minutes — but not
    // so fast that a busy test process (the link runs in it) pausing for a few hundred ms looks like a dead primary.
    await writeFile(
      config,
      [
        `sentinel monitor ${SENTINEL_MASTER} 127.0.0.1 ${link.port} 1`,
        `sentinel down-after-milliseconds ${SENTINEL_MASTER} 1500`,
        `sentinel failover-timeout ${SENTINEL_MASTER} 5000`,
        `sentinel parallel-syncs ${SENTINEL_MASTER} 1`,
        '',
      ].join('\n'),
    );
    const sentinel = await startRedisServer(['--dir', dir], undefined, [config, '--sentinel']);
    started.push(sentinel);
    await until('Sentinel seeing the replica', async () => {
      const replicas = await cli(sentinel.port, 'SENTINEL', 'REPLICAS', SENTINEL_MASTER);
      return replicas.includes(String(replica.port)) && !/s_down|disconnected/.test(replicas);
    });
    const replicaOnline = () =>
      until('the primary seeing its replica online', async () => {
        const info = await cli(primary.port, 'INFO', 'replication');
        return info.includes('connected_slaves:1') && info.includes('state=online');
      });
    await replicaOnline();
    const masterPort = async () => Number((await cli(sentinel.port, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', SENTINEL_MASTER)).split('\n')[1]);
    return {
      primary,
      replica,
      sentinel,
      link,
      replicaOnline,
      masterPort,
      async failOver() {
        await primary.stop();
        link.cut();
        await until('the failover', async () => (await masterPort()) === replica.port && (await cli(replica.port, 'ROLE')).startsWith('master'));
      },
      async stop() {
        await Promise.all(started.map((server) => server.stop()));
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await Promise.all(started.map((server) => server.stop()));
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
