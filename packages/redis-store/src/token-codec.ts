import type { TokenSet } from '@token-clients/core';
import { isEnvelope, type Keyring } from './encryption-keys.js';
import { UnreadableValueError } from './unreadable-value.js';

/**
 * Turns a token set into the string stored in Redis and back: JSON, encrypted when a keyring is given.
 * `context` names where the value lives (Redis key, version, obtainedAt); encryption authenticates it.
 */
export class TokenCodec {
  readonly #keyring: Keyring | undefined;

  constructor(keyring: Keyring | undefined) {
    this.#keyring = keyring;
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
    else if (isEnvelope(value)) throw new UnreadableValueError('the value is encrypted, but this store has no encryption key');
    else json = value;
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
