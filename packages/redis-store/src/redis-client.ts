import type { LuaScript } from './lua-scripts.js';
import { storeError } from './store-error.js';

/** The options node-redis takes for EVAL and EVALSHA. */
interface NodeRedisEvalOptions {
  keys?: string[];
  arguments?: string[];
}

/**
 * The part of a node-redis client (`redis` v4 and later: `createClient()` or `createCluster()`) the store uses.
 * Structural, so the store's types do not depend on the package.
 */
export interface NodeRedisClient {
  evalSha(sha1: string, options?: NodeRedisEvalOptions): Promise<unknown>;
  eval(script: string, options?: NodeRedisEvalOptions): Promise<unknown>;
  readonly isOpen?: boolean;
  readonly isReady?: boolean;
  /**
   * A raw command: `(args)` on a single-node client, `(firstKey, isReadonly, args)` on a Cluster client (which
   * routes it to the key's node). Used only for `WAIT` (the `waitForReplicas` option).
   */
  sendCommand?(...args: never[]): Promise<unknown>;
  /** Present on Cluster clients only: how the store tells the two `sendCommand` signatures apart. */
  getSlotMaster?(slot: number): unknown;
}

/** The part of an ioredis client (`new Redis()` or `new Cluster()`, v5 and later) the store uses. */
export interface IoRedisClient {
  evalsha(sha1: string, numberOfKeys: number, ...keysAndArguments: string[]): Promise<unknown>;
  eval(script: string, numberOfKeys: number, ...keysAndArguments: string[]): Promise<unknown>;
  readonly status?: string;
  /** A pipeline: a Cluster client sends it to the node of its keys. Used only for `WAIT` (`waitForReplicas`). */
  pipeline?(): IoRedisPipeline;
}

/** The part of an ioredis pipeline the store uses. */
export interface IoRedisPipeline {
  exists(key: string): IoRedisPipeline;
  wait(replicas: number, timeoutMs: number): IoRedisPipeline;
  exec(): Promise<[Error | null, unknown][] | null>;
}

/** A connected node-redis or ioredis client, single node or Cluster, supplied by the user. */
export type RedisClient = NodeRedisClient | IoRedisClient;

/** Runs a Lua script on one key, whichever client is underneath. */
export interface ScriptRunner {
  /** Which client library was detected. */
  readonly library: 'node-redis' | 'ioredis';
  /** Runs `script` with `key` as KEYS[1]. Errors from Redis propagate. */
  run(script: LuaScript, key: string, args: readonly string[]): Promise<unknown>;
  /**
   * Sends `WAIT replicas timeoutMs` on the connection to the node that owns `key` — the one that ran the write
   * before it — and resolves with how many replicas have acknowledged every write made on it so far.
   */
  waitForReplicas(key: string, replicas: number, timeoutMs: number): Promise<number>;
}

/** ioredis states in which a command would only wait in the offline queue: Redis is known to be gone. */
const IOREDIS_OFFLINE = new Set(['close', 'reconnecting']);

/**
 * Wraps a node-redis or ioredis client, told apart by shape: node-redis spells `evalSha`, ioredis `evalsha`.
 *
 * Scripts go by digest first and by source when Redis answers NOSCRIPT (a restart or SCRIPT FLUSH empties
 * the script cache), so the usual request carries 40 bytes of script, not the whole text.
 *
 * Before each command the client's own state is checked: a client that is reconnecting fails at once with a
 * clear error instead of queueing the command until Redis is back, so providers fall back to their own single
 * flight immediately rather than hanging.
 */
export function scriptRunner(client: unknown): ScriptRunner {
  const candidate = client as Partial<NodeRedisClient & IoRedisClient> | null | undefined;
  if (typeof candidate?.evalSha === 'function' && typeof candidate.eval === 'function') {
    return nodeRedisRunner(candidate as NodeRedisClient);
  }
  if (typeof candidate?.evalsha === 'function' && typeof candidate.eval === 'function') {
    return ioRedisRunner(candidate as IoRedisClient);
  }
  throw storeError(
    'invalid_configuration',
    'options.client must be a node-redis client (`createClient()` from "redis", v4 or later) or an ioredis client (`new Redis()`, v5 or later).',
  );
}

function nodeRedisRunner(client: NodeRedisClient): ScriptRunner {
  return {
    library: 'node-redis',
    async run(script, key, args) {
      if (client.isOpen === false) {
        throw storeError(
          'invalid_configuration',
          'the node-redis client is not connected: call `await client.connect()` before using the store (or it has been closed).',
        );
      }
      if (client.isReady === false) {
        throw storeError('network_error', 'Redis is unreachable: the node-redis client is (re)connecting.');
      }
      const options = { keys: [key], arguments: [...args] };
      try {
        return await client.evalSha(script.sha, options);
      } catch (error) {
        if (!isNoScript(error)) throw error;
        return client.eval(script.source, options);
      }
    },
    async waitForReplicas(key, replicas, timeoutMs) {
      const send = client.sendCommand as ((...args: unknown[]) => Promise<unknown>) | undefined;
      if (typeof send !== 'function') throw waitUnsupported('node-redis');
      const args = ['WAIT', String(replicas), String(timeoutMs)];
      // WAIT counts the writes of the connection it is sent on: a Cluster client must send it to the key's master.
      const reply = typeof client.getSlotMaster === 'function' ? await send.call(client, key, false, args) : await send.call(client, args);
      return Number(reply);
    },
  };
}

function ioRedisRunner(client: IoRedisClient): ScriptRunner {
  return {
    library: 'ioredis',
    async run(script, key, args) {
      // 'wait' (lazyConnect) is fine: ioredis connects on the first command.
      if (client.status === 'end') {
        throw storeError('invalid_configuration', 'the ioredis client has been closed (quit() or disconnect() was called, or it gave up reconnecting).');
      }
      if (client.status !== undefined && IOREDIS_OFFLINE.has(client.status)) {
        throw storeError('network_error', `Redis is unreachable: the ioredis client is ${client.status === 'close' ? 'disconnected' : 'reconnecting'}.`);
      }
      try {
        return await client.evalsha(script.sha, 1, key, ...args);
      } catch (error) {
        if (!isNoScript(error)) throw error;
        return client.eval(script.source, 1, key, ...args);
      }
    },
    async waitForReplicas(key, replicas, timeoutMs) {
      if (typeof client.pipeline !== 'function') throw waitUnsupported('ioredis');
      // A pipeline with the key goes to the key's node on a Cluster client (a bare WAIT would go to a random one).
      const replies = await client.pipeline().exists(key).wait(replicas, timeoutMs).exec();
      const [error, count] = replies?.[1] ?? [new Error('no reply to WAIT'), undefined];
      if (error) throw error;
      return Number(count);
    },
  };
}

function waitUnsupported(library: string) {
  return storeError('invalid_configuration', `waitForReplicas needs a ${library} client that can send raw commands; this one cannot.`);
}

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}
