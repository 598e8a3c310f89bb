/**
 * Reported by `RedisStore` (through the deprecated `onUnreadableValue` option) when a stored value cannot be read:
 * an `unreadable_value` or `key_mismatch` event of `onEvent`, in the older shape. See `RedisStoreEvent`.
 */
export interface UnreadableValueEvent {
  /** The store key (as given to the store by the provider), not the Redis key. */
  key: string;
  /** The version of the unreadable value, or 0 when the record has no valid version. */
  version: number;
  /** Why it could not be read. Never contains the value. */
  reason: string;
}

/** Thrown inside the store when a value cannot be read; turned into an {@link UnreadableValueEvent}. */
export class UnreadableValueError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'UnreadableValueError';
  }
}

/**
 * Thrown inside the store when a value was encrypted with a key this store does not have: another process
 * runs with another `encryptionKey`. Unlike other unreadable values it is not replaced (see `KeyMismatchStoreEvent`).
 */
export class KeyMismatchError extends UnreadableValueError {
  /** The key id in the value's envelope: a hash prefix of the other key, not the key. */
  readonly foundKeyId: string;

  constructor(foundKeyId: string, reason: string) {
    super(reason);
    this.name = 'KeyMismatchError';
    this.foundKeyId = foundKeyId;
  }
}
