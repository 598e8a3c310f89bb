import { createConnection, createServer, type Socket } from 'node:net';
import { once } from 'node:events';

/**
 * A TCP proxy in front of a Redis primary that can delay what the primary sends down its replication link:
 * the way a test makes replication lag, deterministically, without touching the kernel's network.
 * Every connection is passed through; one that speaks the replication protocol (`PSYNC`/`REPLCONF`) is the
 * replication link, and only what the primary sends on it is held.
 */
export interface ReplicationLink {
  readonly port: number;
  /** From now on, keep what the primary sends to its replica instead of delivering it. */
  hold(): void;
  /** Deliver what was held, and stop holding. */
  release(): void;
  /** Drop what was held and close every connection, as a primary that dies with unsent replication data would. */
  cut(): void;
  close(): Promise<void>;
}

/** Starts a link on a free loopback port forwarding to `127.0.0.1:targetPort`. */
export async function startReplicationLink(targetPort: number): Promise<ReplicationLink> {
  let holding = false;
  const pairs = new Set<{ client: Socket; upstream: Socket; replication: boolean; held: Buffer[] }>();
  const server = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    // No Nagle delay: the link adds no latency of its own to small replies and acknowledgements.
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    const pair = { client, upstream, replication: false, held: [] as Buffer[] };
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk: Buffer) => {
      if (!pair.replication && /PSYNC|REPLCONF/i.test(chunk.toString('latin1'))) pair.replication = true;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (pair.replication && holding) pair.held.push(chunk);
      else client.write(chunk);
    });
    for (const socket of [client, upstream]) {
      socket.on('error', end);
      socket.on('close', end);
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  const link: ReplicationLink = {
    port,
    hold() {
      holding = true;
    },
    release() {
      holding = false;
      for (const pair of pairs) for (const chunk of pair.held.splice(0)) pair.client.write(chunk);
    },
    cut() {
      holding = false;
      for (const pair of [...pairs]) {
        pair.held.length = 0;
        pair.client.destroy();
        pair.upstream.destroy();
      }
    },
    async close() {
      link.cut();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return link;
}
