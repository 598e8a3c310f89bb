import { afterEach, describe, expect, it } from 'vitest';
import { RedisStore, type RedisStoreEvent } from '../src/index.js';
import { LIBRARIES, uniquePrefix } from './support/clients.js';
import type { Library } from './support/clients.js';
import { until } from './support/redis-sentinel.js';
import { startRedisCluster, type RedisCluster } from './support/redis-server.js';
import { rotateAcrossFailover, type FailoverClient } from './support/rotation-across-failover.js';

// Issue 12, Redis failover on Cluster: three masters with a replica each; the master that holds the token's slot
// is killed right after a rotated refresh token was committed, and its replica promoted by the cluster itself.
// Here replication is not made to lag (a Cluster replica's link cannot be put behind the test's proxy without
// changing what clients see): the test measures a healthy cluster, and that the store's WAIT goes to the right node.

// Both client libraries loaded up front, so that loading one does not pause the test mid-failover.
await Promise.all([import('redis'), import('ioredis')]);

let cluster: RedisCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

async function clusterClient(library: Library, nodes: { host: string; port: number }[]): Promise<FailoverClient> {
  if (library === 'node-redis') {
    const { createCluster } = await import('redis');
    const client = createCluster({ rootNodes: nodes.map(({ host, port }) => ({ url: `redis://${host}:${port}` })) });
    client.on('error', () => {});
    await client.connect();
    return {
      client,
      ready: (key) => until('the node-redis cluster client reaching the new master', async () => (await client.exists(key)) >= 0),
      close: async () => client.destroy(),
    };
  }
  const { Cluster } = await import('ioredis');
  const client = new Cluster(nodes, { clusterRetryStrategy: () => 50 });
  client.on('error', () => {});
  await until('the ioredis cluster client connecting', async () => client.status === 'ready');
  return {
    client,
    ready: (key) => until('the ioredis cluster client reaching the new master', async () => (await client.exists(key)) >= 0),
    close: async () => client.disconnect(),
  };
}

/** Kills the master of `redisKey`'s slot and waits until the cluster has promoted its replica and is ok again. */
async function failOver(started: RedisCluster, redisKey: string): Promise<void> {
  const slot = Number(await started.cli(['CLUSTER', 'KEYSLOT', redisKey]));
  const masterOf = async (port: number) => {
    const slots = JSON.parse(await started.cli(['--json', 'CLUSTER', 'SLOTS'], port)) as [number, number, [string, number]][];
    return slots.find(([from, to]) => from <= slot && slot <= to)?.[2][1];
  };
  const dead = (await masterOf(started.nodes[0]!.port))!;
  await started.kill(dead);
  const survivor = started.nodes.find(({ port }) => port !== dead)!.port;
  await until('the cluster failover', async () => {
    const master = await masterOf(survivor);
    return master !== undefined && master !== dead && (await started.cli(['CLUSTER', 'INFO'], survivor)).includes('cluster_state:ok');
  });
}

describe('a Cluster failover right after a rotated refresh token was committed', () => {
  // Once without WAIT and once with it, each with another library (the WAIT routing of both is tested below).
  it.each([
    ['ioredis', undefined],
    ['node-redis', { replicas: 1, timeoutMs: 2_000 }],
  ] as const)('with %s and waitForReplicas %j: the promoted replica has the new refresh token, no spent one is sent', async (library, waitForReplicas) => {
    const started = await startRedisCluster({ replicas: 1, nodeTimeoutMs: 700 });
    cluster = started;
    const outcome = await rotateAcrossFailover({
      connect: () => clusterClient(library, started.nodes),
      // Replication on loopback is immediate; a failover needs the replicas' links up, checked at start.
      inSync: async () => {},
      failOver: (redisKey) => failOver(started, redisKey),
      ...(waitForReplicas ? { waitForReplicas } : {}),
    });
    console.log(`Cluster (${library}), waitForReplicas ${JSON.stringify(waitForReplicas ?? 'off')}:`, JSON.stringify(outcome));
    expect(outcome.errors).toEqual([]);
    expect(outcome.spentRefreshTokensSent).toBe(0);
    expect(outcome.clientCredentialsGrants).toBe(1);
    expect(outcome.storeEvents).toEqual([]);
  });
});

describe('waitForReplicas on Cluster', () => {
  it('sends WAIT to the master of the key, with either library: a stopped replica there fails the write', async () => {
    const started = await startRedisCluster({ replicas: 1, nodeTimeoutMs: 5_000 });
    cluster = started;
    const keyPrefix = uniquePrefix();
    const token = { accessToken: 'a', tokenType: 'bearer', expiresAt: Date.UTC(2026, 10, 22, 9), refreshToken: 'r', raw: {} };
    const redisKey = `${keyPrefix}{k}:token`;
    const slot = Number(await started.cli(['CLUSTER', 'KEYSLOT', redisKey]));
    const shards = JSON.parse(await started.cli(['--json', 'CLUSTER', 'SLOTS'])) as [number, number, [string, number]][];
    const masterPort = shards.find(([from, to]) => from <= slot && slot <= to)![2][1];
    // The master's own view of its replica (the cluster's slot map may not list it yet).
    const replicaPort = Number(/slave0:ip=[^,]+,port=(\d+)/.exec(await started.cli(['INFO', 'replication'], masterPort))![1]);
    const replicaPid = Number(/process_id:(\d+)/.exec(await started.cli(['INFO', 'server'], replicaPort))![1]);
    // The master must count its replica as online, or the store (rightly) does not wait for it.
    const replicaOnline = () =>
      until('the master seeing its replica online', async () => {
        const info = await started.cli(['INFO', 'replication'], masterPort);
        return info.includes('connected_slaves:1') && info.includes('state=online');
      });
    for (const library of LIBRARIES) {
      await replicaOnline();
      const connected = await clusterClient(library, started.nodes);
      const events: RedisStoreEvent[] = [];
      try {
        // The healthy write may take a loaded machine's replica longer than 300 ms to acknowledge: it goes through
        // a store as patient as a production one; only the write to the stopped replica needs the short bound.
        const patient = new RedisStore({ client: connected.client, keyPrefix, waitForReplicas: { replicas: 1, timeoutMs: 10_000 } });
        const store = new RedisStore({ client: connected.client, keyPrefix, waitForReplicas: { replicas: 1, timeoutMs: 300 }, onEvent: (event) => events.push(event) });
        const version = (await store.get('k'))?.version ?? 0;
        expect(await patient.compareAndSet('k', version, token, Date.UTC(2026, 10, 22, 8))).toMatchObject({ version: version + 1 });
        // The key's replica is stopped (SIGSTOP), so it cannot acknowledge: a WAIT sent to any other node would
        // still answer 1 (its connection made no write there).
        process.kill(replicaPid, 'SIGSTOP');
        try {
          await expect(store.compareAndSet('k', version + 1, token, Date.UTC(2026, 10, 22, 8))).rejects.toMatchObject({ code: 'timeout' });
        } finally {
          process.kill(replicaPid, 'SIGCONT');
        }
        expect(events).toEqual([{ type: 'replication_lag', key: 'k', acknowledged: 0, wanted: 1, timeoutMs: 300 }]);
      } finally {
        await connected.close();
      }
    }
  });
});
