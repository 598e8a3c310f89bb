import { randomUUID } from 'node:crypto';
import type { RedisClient } from '../../src/index.js';

/** The two client libraries the store supports. */
export const LIBRARIES = ['node-redis', 'ioredis'] as const;
export type Library = (typeof LIBRARIES)[number];

/** A connected client of `library`, with a way to send raw commands for assertions. */
export interface TestClient {
  readonly client: RedisClient;
  /** Sends a raw command (for inspecting Redis in assertions). */
  command(...args: string[]): Promise<unknown>;
  close(): Promise<void>;
}

/** Connects a client with default settings, as a user would, plus an error listener (node-redis requires one). */
export async function connectClient(library: Library, url: string): Promise<TestClient> {
  // Imported on demand: a fleet process loads only the library it uses, and starts sooner.
  if (library === 'node-redis') {
    const { createClient } = await import('redis');
    const client = createClient({ url });
    client.on('error', () => {});
    await client.connect();
    return {
      client,
      command: (...args) => client.sendCommand(args),
      close: async () => {
        if (client.isOpen) client.destroy();
      },
    };
  }
  const { Redis } = await import('ioredis');
  const client = new Redis(url);
  client.on('error', () => {});
  if (client.status !== 'ready') await new Promise((resolve) => client.once('ready', resolve));
  return {
    client,
    command: (name, ...args) => client.call(name!, ...args),
    close: async () => {
      // A connected client ends with an 'end' event; one that is reconnecting just stops (ioredis 6).
      const ended = client.status === 'ready' ? new Promise((resolve) => client.once('end', resolve)) : undefined;
      client.disconnect();
      await ended;
    },
  };
}

/** A key prefix no other test uses, so tests can share one Redis. */
export function uniquePrefix(): string {
  return `test-${randomUUID()}:`;
}

/** Wraps a client so that a test can count the scripts the store sends. */
export function counted(client: RedisClient): { client: RedisClient; calls: () => number } {
  let calls = 0;
  const proxy = new Proxy(client as object, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (['evalSha', 'evalsha', 'eval'].includes(String(property))) calls += 1;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { client: proxy as RedisClient, calls: () => calls };
}
