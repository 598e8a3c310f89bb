/**
 * Reported by `RedisStore` when a stored value cannot be read: written with an encryption key this store does
 * not have, tampered with, not encrypted although encryption is required, or not a token at all. The store then
 * treats the key as empty (providers get a new token and overwrite the value); it never throws.
 */
export interface UnreadableValueEvent {
  /** The store key (as given to the store by the provider), not the Redis key. */
  key: string;
  /**
   * The version of the unreadable value; the next write replaces exactly this version. 0 when the record has no
   * valid version: it is not one of ours, and is left alone.
   */
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
