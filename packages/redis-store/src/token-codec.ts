import type { TokenSet } from '@token-clients/core';
import { envelopeKeyId, isEnvelope, type Keyring } from './encryption-keys.js';
import { KeyMismatchError, UnreadableValueError } from './unreadable-value.js';

/**
 * Turns a token set into the string stored in Redis and back: JSON, encrypted when a keyring is given.
 * `context` names where the value lives (Redis key, version, obtainedAt); encryption authenticates it.
 */
export class TokenCodec {
  readonly #keyring: Keyring | undefined;

  constructor(keyring: Keyring | undefined) {
    this.#keyring = keyring;
  }

  /** The ids of the encryption keys, current first; empty without encryption. */
  get keyIds(): string[] {
    return this.#keyring?.ids ?? [];
  }

  /** The stored form of `token`. */
  encode(token: TokenSet, context: string): string {
    const json = JSON.stringify(token);
    return this.#keyring ? this.#keyring.seal(json, context) : json;
  }

  /** The token in a stored value, or {@link UnreadableValueError} saying why there is none. */
  decode(value: string, context: string): TokenSet {
    let json: string;
    if (this.#keyring) json = this.#keyring.open(value, context);
    else if (isEnvelope(value)) {
      const id = envelopeKeyId(value);
      // Another process encrypts with a key; this one has none. A malformed envelope is merely unreadable.
      if (id !== undefined) throw new KeyMismatchError(id, `the value is encrypted (key id ${id}), but this store has no encryption key`);
      throw new UnreadableValueError('the value is encrypted, but this store has no encryption key');
    } else json = value;
    let token: unknown;
    try {
      token = JSON.parse(json);
    } catch {
      throw new UnreadableValueError('the value is not JSON');
    }
    if (!isTokenSet(token)) throw new UnreadableValueError('the value is not a token set');
    return token;
  }
}

/** The fields a provider relies on; anything else (a foreign value under our key) is unreadable. */
function isTokenSet(value: unknown): value is TokenSet {
  if (typeof value !== 'object' || value === null) return false;
  const token = value as Partial<Record<keyof TokenSet, unknown>>;
  return (
    typeof token.accessToken === 'string' &&
    typeof token.tokenType === 'string' &&
    typeof token.expiresAt === 'number' &&
    (token.refreshToken === undefined || typeof token.refreshToken === 'string') &&
    (token.refreshExpiresAt === undefined || typeof token.refreshExpiresAt === 'number')
  );
}
