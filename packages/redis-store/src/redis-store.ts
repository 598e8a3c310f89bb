import { randomBytes } from 'node:crypto';
import type { Lease, StoredToken, TokenSet, TokenStore } from '@token-clients/core';
import { withDeadline } from '@token-clients/core/vendor-kit';
import { Keyring, type EncryptionKey, type EncryptionKeys } from './encryption-keys.js';
import { counterKeyName, DEFAULT_KEY_PREFIX, keyNames } from './key-names.js';
import { INCREMENT, LEASE_HELD, READ_TOKEN, READ_VERSION, RELEASE_LEASE, TAKE_LEASE, WRITE_TOKEN, type LuaScript } from './lua-scripts.js';
import { pollWithBackoff } from './poll-with-backoff.js';
import { scriptRunner, type RedisClient, type ScriptRunner } from './redis-client.js';
import { retentionMs } from './retention.js';
import { storeError } from './store-error.js';
import type { KeyMismatchStoreEvent, RedisStoreEvent } from './store-events.js';
import { describe, StoreReporter } from './store-reporter.js';
import { parseRecord, recordContext, text, type UnreadableRecord } from './stored-record.js';
import { TokenCodec } from './token-codec.js';
import { KeyMismatchError, type UnreadableValueEvent } from './unreadable-value.js';
import { checkWaitForReplicas, type WaitForReplicas } from './wait-for-replicas.js';

/** Options of {@link RedisStore}. */
export interface RedisStoreOptions {
  /**
   * A connected client: node-redis (`createClient()` / `createCluster()` from `redis`, v4 or later) or ioredis
   * (`new Redis()` / `new Cluster()`, v5 or later). The store never connects, closes or reconfigures it.
   */
  client: RedisClient;
  /** Put in front of every key, so one Redis can serve many applications. Default `token-clients:`. */
  keyPrefix?: string;
  /**
   * Encrypts tokens at rest with AES-256-GCM: with it, the value in Redis contains no token. One 32-byte key,
   * or `{ current, previous }` to rotate keys without losing stored tokens. Every process sharing the keys must
   * be given the same keys.
   */
  encryptionKey?: EncryptionKey | EncryptionKeys;
  /**
   * How long one Redis command may take before the store gives up on it, in ms. Default 2 000. A backstop for
   * a connection that hangs without closing (a network partition): the provider then falls back to its own
   * single flight instead of waiting. A client that is known to be reconnecting fails at once anyway.
   */
  commandTimeoutMs?: number;
  /**
   * With replicas (Sentinel or Cluster): after each write that carries a refresh token, `WAIT` until `replicas`
   * replicas have it, at most `timeoutMs`. A failover right after a refresh then cannot bring back the refresh
   * token the vendor has just spent. A write the replicas do not confirm in time fails (the provider keeps the
   * token and writes it again) and is reported as `replication_lag`. Off by default. See the README.
   */
  waitForReplicas?: WaitForReplicas;
  /**
   * Receives what the store finds and does (see {@link RedisStoreEvent}): an unreadable record, a value written
   * with another encryption key, a write that replicas did not confirm. Each bad record is reported once.
   * Without it (and without `onUnreadableValue`), the store emits one process warning per event type. Must not throw.
   */
  onEvent?: (event: RedisStoreEvent) => void;
  /**
   * Called once for each stored value that cannot be read (see {@link UnreadableValueEvent}).
   * @deprecated Use `onEvent`, which reports the same findings and more.
   */
  onUnreadableValue?: (event: UnreadableValueEvent) => void;
}

const DEFAULT_COMMAND_TIMEOUT_MS = 2_000;

/**
 * A {@link TokenStore} on Redis: every process given a `RedisStore` on the same Redis and `keyPrefix` shares one
 * token per key and makes one refresh at a time for the whole fleet.
 *
 * - Each token is one hash (version, obtainedAt, token), written by a compare-and-set script, so a rotated
 *   refresh token is never overwritten by an older one.
 * - The refresh lease is a `SET NX PX` key holding a random owner nonce; it is given back by a check-and-delete
 *   script, so a holder whose lease ran out never frees its successor's.
 * - Every command touches one key, so the store works on Redis Cluster.
 * - Waiting for another process's refresh polls the version and the lease with backoff (20 ms doubling to
 *   250 ms): no subscriber connection to set up, authenticate, fail over or close, and it notices a crashed
 *   holder's lease running out, which no holder would ever publish.
 *
 * Redis errors propagate: the provider catches them, reports `store_unavailable`, and keeps serving from its
 * own single flight until Redis is back.
 *
 * @example
 * import { createClient } from 'redis';
 * const redis = await createClient({ url: process.env.REDIS_URL }).connect();
 * const store = new RedisStore({ client: redis, keyPrefix: 'billing:' });
 * const provider = createDushuClient({ clientId, clientSecret }).tokenProvider({ store });
 */
export class RedisStore implements TokenStore {
  /** Other processes share this store: providers re-validate their local copies. */
  readonly shared = true;
  readonly #redis: ScriptRunner;
  readonly #prefix: string;
  readonly #codec: TokenCodec;
  readonly #commandTimeoutMs: number;
  readonly #reporter: StoreReporter;
  readonly #waitForReplicas: WaitForReplicas | undefined;
  /** Redis key → the record there that could not be read. The next write replaces exactly it. */
  readonly #unreadable = new Map<string, UnreadableRecord>();
  /** Redis key → the value there written with another encryption key, as last read. Left alone until it changes. */
  readonly #mismatched = new Map<string, KeyMismatchStoreEvent>();

  constructor(options: RedisStoreOptions) {
    if (typeof options !== 'object' || options === null) throw storeError('invalid_configuration', 'options are required: new RedisStore({ client }).');
    const { keyPrefix = DEFAULT_KEY_PREFIX, commandTimeoutMs = DEFAULT_COMMAND_TIMEOUT_MS } = options;
    if (typeof keyPrefix !== 'string') throw storeError('invalid_configuration', 'keyPrefix must be a string.');
    if (typeof commandTimeoutMs !== 'number' || !(commandTimeoutMs > 0) || commandTimeoutMs > 2_147_483_647) {
      throw storeError('invalid_configuration', 'commandTimeoutMs must be a positive number of milliseconds.');
    }
    this.#redis = scriptRunner(options.client);
    this.#prefix = keyPrefix;
    this.#codec = new TokenCodec(Keyring.from(options.encryptionKey));
    this.#commandTimeoutMs = commandTimeoutMs;
    this.#reporter = new StoreReporter(options.onEvent, options.onUnreadableValue);
    this.#waitForReplicas = checkWaitForReplicas(options.waitForReplicas);
  }

  /**
   * {@inheritDoc TokenStore.get}
   *
   * A record that cannot be read (see {@link UnreadableValueStoreEvent}) is reported once and counts as absent;
   * the next compare-and-set replaces it. A value written with another encryption key (see
   * {@link KeyMismatchStoreEvent}) is reported once and fails like an unavailable Redis, for this key only, until
   * it is gone: the provider keeps its own token and the two processes do not overwrite each other.
   */
  async get(key: string): Promise<StoredToken | undefined> {
    const redisKey = keyNames(this.#prefix, key).token;
    const record = parseRecord(await this.#run(READ_TOKEN, redisKey, []), redisKey, this.#codec);
    this.#mismatched.delete(redisKey);
    if (record.state === 'unreadable' && record.error instanceof KeyMismatchError) {
      const event: KeyMismatchStoreEvent = {
        type: 'key_mismatch',
        key,
        version: record.version,
        foundKeyId: record.error.foundKeyId,
        ownKeyIds: this.#codec.keyIds,
      };
      this.#unreadable.delete(redisKey);
      this.#mismatched.set(redisKey, event);
      // Once per other key, not per value: each refresh by the other process writes a new one.
      this.#reporter.badRecord(redisKey, `key id ${event.foundKeyId}`, event);
      throw mismatchError(event);
    }
    if (record.state !== 'unreadable') {
      this.#unreadable.delete(redisKey);
      this.#reporter.goodRecord(redisKey);
      return record.state === 'readable' ? record.stored : undefined;
    }
    this.#unreadable.set(redisKey, record);
    this.#reporter.badRecord(redisKey, record.fingerprint, { type: 'unreadable_value', key, version: record.version, reason: record.reason });
    return undefined;
  }

  /**
   * {@inheritDoc TokenStore.compareAndSet}
   *
   * Besides a record at `expectedVersion`, three things count as "nothing stored", so that a provider can
   * always replace what it cannot use, in one atomic script: a key that has vanished (evicted, flushed, Redis
   * restarted without persistence) accepts any expected version; a record that is not one of ours (no valid
   * version, a missing field, another Redis type) accepts a writer that expected nothing; and a record this
   * store read and could not decode is replaced if it is still exactly that record. The new version is above
   * both the expected one and the replaced record's, so versions never go back to one a process may hold.
   */
  async compareAndSet(key: string, expectedVersion: number, token: TokenSet, obtainedAt: number): Promise<StoredToken | undefined> {
    const redisKey = keyNames(this.#prefix, key).token;
    const mismatch = this.#mismatched.get(redisKey);
    if (mismatch) throw mismatchError(mismatch);
    const unreadable = this.#unreadable.get(redisKey);
    const version = Math.max(expectedVersion, unreadable?.version ?? 0) + 1;
    const value = this.#codec.encode(token, recordContext(redisKey, version, obtainedAt));
    const ttl = retentionMs(token, obtainedAt) ?? 0;
    const wait = this.#waitForReplicas !== undefined && token.refreshToken !== undefined;
    const args = [String(expectedVersion), String(version), String(obtainedAt), value, String(ttl), unreadable?.fingerprint ?? '', wait ? '1' : '0'];
    const [written, connected] = asArray(await this.#run(WRITE_TOKEN, redisKey, args)).map(Number);
    if (written !== version) return undefined;
    this.#unreadable.delete(redisKey);
    this.#reporter.goodRecord(redisKey);
    if (wait && connected !== undefined && connected > 0) await this.#awaitReplicas(key, redisKey, Math.min(connected, this.#waitForReplicas!.replicas));
    return { token, version, obtainedAt };
  }

  /**
   * `WAIT`s for `replicas` replicas to confirm the write just made. A refresh token is spent at the vendor once
   * the new one is issued, so the new one must survive a failover: when fewer replicas confirm it in time, the
   * write fails — the provider keeps the token in its process and writes it again at its next store read.
   * Only connected replicas are waited for (the write script counts them): a primary without replicas has
   * nothing a failover could promote, and waiting for one would fail every write until one is back.
   */
  async #awaitReplicas(key: string, redisKey: string, replicas: number): Promise<void> {
    const { timeoutMs } = this.#waitForReplicas!;
    const acknowledged = await this.#withTimeout(this.#redis.waitForReplicas(redisKey, replicas, timeoutMs), timeoutMs + this.#commandTimeoutMs);
    if (acknowledged >= replicas) return;
    const event = { type: 'replication_lag', key, acknowledged, wanted: replicas, timeoutMs } as const;
    this.#reporter.report(event);
    throw storeError(
      'timeout',
      `${describe(event)} It stands on the primary, but a failover now could lose it. Check the replicas, or raise waitForReplicas.timeoutMs.`,
    );
  }

  /** {@inheritDoc TokenStore.acquireLease} */
  async acquireLease(key: string, ttlMs: number): Promise<Lease | undefined> {
    const names = keyNames(this.#prefix, key);
    // A process that cannot read the token must not hold up the processes that can: it refreshes on its own.
    const mismatch = this.#mismatched.get(names.token);
    if (mismatch) throw mismatchError(mismatch);
    const leaseKey = names.lease;
    const owner = randomBytes(16).toString('base64url');
    const release = () => this.#run(RELEASE_LEASE, leaseKey, [owner]).then(() => undefined);
    const taken = await this.#run(TAKE_LEASE, leaseKey, [owner, String(Math.max(1, Math.ceil(ttlMs)))], (late) => {
      // We gave up waiting, but Redis did give us the lease: hand it back rather than block the fleet.
      if (late !== null && late !== undefined) release().catch(() => {});
    });
    const repaired = /^repaired:(.+)$/.exec(text(taken) ?? '')?.[1];
    if (repaired !== undefined) {
      this.#reporter.report({ type: 'unreadable_value', key, version: 0, reason: `the lease key held a Redis ${repaired}, not a lease; it was replaced` });
    } else if (text(taken) !== 'OK') {
      return undefined;
    }
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        // If Redis is unreachable the lease runs out by itself; a release must never fail a refresh.
        await release().catch(() => {});
      },
    };
  }

  /**
   * {@inheritDoc TokenStore.waitForUpdate}
   *
   * A key that vanished does not count as an update (the holder's write will), and neither does the unreadable
   * value already seen. A Redis error ends the wait rather than rejecting: the provider's next store call meets
   * the same error and falls back to its own single flight.
   */
  async waitForUpdate(key: string, version: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const names = keyNames(this.#prefix, key);
    if (this.#mismatched.has(names.token)) return;
    const seen = new Set([version, this.#unreadable.get(names.token)?.version]);
    const settled = async () => {
      try {
        const [stored, held] = await Promise.all([this.#run(READ_VERSION, names.token, []), this.#run(LEASE_HELD, names.lease, [])]);
        // Only a valid version counts as an update: a record that is not ours will be replaced by the holder.
        const storedVersion = Number(text(stored) ?? Number.NaN);
        return (Number.isSafeInteger(storedVersion) && storedVersion >= 1 && !seen.has(storedVersion)) || Number(held) === 0;
      } catch {
        return true;
      }
    };
    await pollWithBackoff(settled, timeoutMs, signal);
  }

  /**
   * {@inheritDoc TokenStore.increment}
   *
   * One script on one key: `INCR`, then `PEXPIRE` when the key is new, so every process of the fleet counts on
   * the same counter and it disappears `ttlMs` after the first count.
   */
  async increment(counterKey: string, ttlMs: number): Promise<number> {
    if (typeof counterKey !== 'string' || counterKey.length === 0) throw storeError('invalid_configuration', 'increment: counterKey must be a non-empty string.');
    if (typeof ttlMs !== 'number' || !(ttlMs > 0) || !Number.isFinite(ttlMs)) {
      throw storeError('invalid_configuration', 'increment: ttlMs must be a positive number of milliseconds.');
    }
    const count = Number(await this.#run(INCREMENT, counterKeyName(this.#prefix, counterKey), [String(Math.ceil(ttlMs))]));
    if (!Number.isSafeInteger(count) || count < 1) throw storeError('invalid_response', `Redis answered the counter increment with something that is not a count; check that the client talks to a Redis server.`);
    return count;
  }

  /** Runs a script within the command timeout; `onLate` sees the answer of a command that timed out. */
  #run(script: LuaScript, key: string, args: readonly string[], onLate?: (reply: unknown) => void): Promise<unknown> {
    return this.#withTimeout(this.#redis.run(script, key, args), this.#commandTimeoutMs, onLate);
  }

  /** `pending`, or a timeout error after `timeoutMs`; `onLate` sees an answer that came after the timeout. */
  #withTimeout<T>(pending: Promise<T>, timeoutMs: number, onLate?: (reply: T) => void): Promise<T> {
    return withDeadline(pending, {
      ms: timeoutMs,
      timeout: () => storeError('timeout', `Redis did not answer within ${timeoutMs} ms (commandTimeoutMs).`),
      onLate,
    });
  }
}

/** The error a store gives for a key whose value was written with another encryption key: names key ids, never keys. */
function mismatchError(event: KeyMismatchStoreEvent): Error {
  return storeError('invalid_configuration', describe(event));
}

/** A reply as an array (a script's table), or empty. */
function asArray(reply: unknown): unknown[] {
  return Array.isArray(reply) ? reply : [];
}
