/**
 * What a `RedisStore` reports about the data it finds and the writes it makes, through its `onEvent` option.
 * No event carries a token, a value read from Redis or an encryption key.
 */
export type RedisStoreEvent = UnreadableValueStoreEvent | KeyMismatchStoreEvent | ReplicationLagStoreEvent;

/**
 * A token key holds something the store cannot use: a record whose version is not a number, with a missing
 * field, a value that is not JSON or not a token set, a value that fails authentication (tampered with, or moved
 * from another key), or a key of another Redis type than a hash. The store treats it as absent, and the
 * provider's next write replaces it (atomically: only if it is still that record). Reported once per record.
 */
export interface UnreadableValueStoreEvent {
  type: 'unreadable_value';
  /** The store key (as the provider names it), not the Redis key. */
  key: string;
  /** The record's version when it has a valid one, else 0. */
  version: number;
  /** Why it cannot be read. */
  reason: string;
}

/**
 * The value under a key was encrypted with a key this store does not have (another process runs with another
 * `encryptionKey`), or is encrypted while this store has none. (A plain value under an encrypting store is not a
 * mismatch but `unreadable_value`, and is replaced: that is how encryption is turned on.) The store neither reads nor overwrites it: for
 * this key it fails like an unavailable Redis, so the provider serves its own copy and the two processes do not
 * undo each other's writes. Reported once per key and other key id; the provider also reports `store_unavailable`.
 */
export interface KeyMismatchStoreEvent {
  type: 'key_mismatch';
  /** The store key. */
  key: string;
  /** The version of the value that was written with the other key. */
  version: number;
  /** The key id in the value's envelope: a hash prefix of the other key, not the key. */
  foundKeyId: string;
  /** The key ids this store has (current first), empty without encryption. */
  ownKeyIds: string[];
}

/**
 * With `waitForReplicas`, fewer replicas than asked confirmed a write that carries a refresh token within
 * `timeoutMs`. The write stands on the primary, but a failover now could lose it; the store fails the write so
 * the provider keeps the token and writes it again (see the README's failover section).
 */
export interface ReplicationLagStoreEvent {
  type: 'replication_lag';
  /** The store key. */
  key: string;
  /** How many replicas confirmed the write. */
  acknowledged: number;
  /** How many were asked for. */
  wanted: number;
  /** How long the store waited, ms. */
  timeoutMs: number;
}
