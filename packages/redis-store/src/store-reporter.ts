import { channel } from 'node:diagnostics_channel';
import { CHANNELS, type StoreMessage } from '@token-clients/core';
import type { RedisStoreEvent } from './store-events.js';
import { STORE_NAME } from './store-error.js';
import type { UnreadableValueEvent } from './unreadable-value.js';

const storeChannel = channel(CHANNELS.store);

/** The process warning code of each event type, used when no `onEvent` listener is given. */
const WARNING_CODES: Record<RedisStoreEvent['type'], string> = {
  unreadable_value: 'TOKEN_CLIENTS_UNREADABLE_VALUE',
  key_mismatch: 'TOKEN_CLIENTS_KEY_MISMATCH',
  replication_lag: 'TOKEN_CLIENTS_REPLICATION_LAG',
};

/**
 * Delivers a store's {@link RedisStoreEvent}s: to `onEvent` (and the older `onUnreadableValue`) when given, else
 * as one process warning per event type. A bad record is reported once, not at every read of it, and
 * `unreadable_value` / `key_mismatch` are also published on core's `token-clients:store` channel as
 * `state: 'corrupt'`, so metrics and traces see them.
 */
export class StoreReporter {
  readonly #onEvent: ((event: RedisStoreEvent) => void) | undefined;
  readonly #onUnreadableValue: ((event: UnreadableValueEvent) => void) | undefined;
  /** Redis key → fingerprint of the bad record last reported there. */
  readonly #reported = new Map<string, string>();
  readonly #warned = new Set<string>();

  constructor(onEvent?: (event: RedisStoreEvent) => void, onUnreadableValue?: (event: UnreadableValueEvent) => void) {
    this.#onEvent = onEvent;
    this.#onUnreadableValue = onUnreadableValue;
  }

  /** Reports a bad record under `redisKey`, unless this very record (same fingerprint) was reported already. */
  badRecord(redisKey: string, fingerprint: string, event: Extract<RedisStoreEvent, { type: 'unreadable_value' | 'key_mismatch' }>): void {
    if (this.#reported.get(redisKey) === fingerprint) return;
    this.#reported.set(redisKey, fingerprint);
    if (storeChannel.hasSubscribers) storeChannel.publish({ key: event.key, vendor: STORE_NAME, state: 'corrupt' } satisfies StoreMessage);
    this.#deliver(event);
  }

  /** The key holds a good record (or none) again: a later bad record there is news. */
  goodRecord(redisKey: string): void {
    this.#reported.delete(redisKey);
  }

  /** Reports an event that is not about a record (each one is news). */
  report(event: RedisStoreEvent): void {
    this.#deliver(event);
  }

  #deliver(event: RedisStoreEvent): void {
    if (this.#onEvent || this.#onUnreadableValue) {
      try {
        this.#onEvent?.(event);
        if (event.type !== 'replication_lag') {
          const reason = event.type === 'key_mismatch' ? mismatchReason(event) : event.reason;
          this.#onUnreadableValue?.({ key: event.key, version: event.version, reason });
        }
      } catch {
        // A faulty listener must not turn a situation the store handles into a failure.
      }
      return;
    }
    const code = WARNING_CODES[event.type];
    if (this.#warned.has(code)) return;
    this.#warned.add(code);
    process.emitWarning(`RedisStore: ${describe(event)}`, { code });
  }
}

/** One sentence for a process warning (and the store's errors) about `event`. */
export function describe(event: RedisStoreEvent): string {
  switch (event.type) {
    case 'unreadable_value':
      return `the stored token for "${event.key}" cannot be read (${event.reason}); it is treated as absent.`;
    case 'key_mismatch':
      return (
        `the stored token for "${event.key}" ${mismatchReason(event)}. Give every process that shares this Redis and keyPrefix ` +
        'the same encryptionKey; until then this process keeps its own token for this key and leaves the stored one alone.'
      );
    case 'replication_lag':
      return (
        `a write of "${event.key}" carrying a refresh token reached ${event.acknowledged} of ${event.wanted} replicas within ` +
        `${event.timeoutMs} ms (waitForReplicas); it is kept in this process and written again.`
      );
  }
}

function mismatchReason(event: Extract<RedisStoreEvent, { type: 'key_mismatch' }>): string {
  const own = event.ownKeyIds.length > 0 ? `this store has key id ${event.ownKeyIds.join(', ')}` : 'this store has no encryption key';
  return `was encrypted with key id ${event.foundKeyId}, and ${own}`;
}
