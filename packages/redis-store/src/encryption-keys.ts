import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { storeError } from './store-error.js';
import { KeyMismatchError, UnreadableValueError } from './unreadable-value.js';

/**
 * A 256-bit AES key: 32 bytes, or a string holding them in base64 (`openssl rand -base64 32`) or in hex
 * (`openssl rand -hex 32`).
 */
export type EncryptionKey = string | Uint8Array;

/**
 * Keys for a rotation: every value is written with `current`; a value written with one of `previous` is still
 * read (and rewritten with `current` at its next refresh).
 */
export interface EncryptionKeys {
  /** The key new values are encrypted with. */
  current: EncryptionKey;
  /** Retired keys that may still have written values in Redis. */
  previous?: readonly EncryptionKey[];
}

/** Marks an encrypted value; anything else is plain JSON. The `1` leaves room for another scheme. */
const ENVELOPE_PREFIX = 'gcm1.';
const IV_BYTES = 12;

interface KeyEntry {
  readonly id: string;
  readonly key: Buffer;
}

/**
 * AES-256-GCM with a random 96-bit IV per value. The envelope is `gcm1.<key id>.<iv>.<ciphertext>.<tag>`
 * (base64url): the key id says which key of a rotation wrote the value, and is a hash prefix, so it reveals
 * nothing about the key. The caller's context (Redis key, version, obtainedAt) is authenticated as additional
 * data, so a value cannot be copied to another key or replayed under another version unnoticed.
 */
export class Keyring {
  readonly #current: KeyEntry;
  readonly #byId = new Map<string, Buffer>();

  private constructor(current: KeyEntry, previous: readonly KeyEntry[]) {
    this.#current = current;
    for (const entry of [current, ...previous]) this.#byId.set(entry.id, entry.key);
  }

  /** Builds a keyring from the `encryptionKey` option; `undefined` when encryption is off. */
  static from(option: EncryptionKey | EncryptionKeys | undefined): Keyring | undefined {
    if (option === undefined) return undefined;
    if (typeof option === 'string' || option instanceof Uint8Array) return new Keyring(keyEntry(option, 'encryptionKey'), []);
    if (typeof option !== 'object' || option === null || option.current === undefined) {
      throw storeError('invalid_configuration', 'encryptionKey must be a 32-byte key, or { current, previous? } of such keys.');
    }
    if (option.previous !== undefined && !Array.isArray(option.previous)) {
      throw storeError('invalid_configuration', 'encryptionKey.previous must be an array of keys.');
    }
    const previous = (option.previous ?? []).map((key, index) => keyEntry(key, `encryptionKey.previous[${index}]`));
    return new Keyring(keyEntry(option.current, 'encryptionKey.current'), previous);
  }

  /** The ids of this keyring's keys, current first: what errors and events name instead of the keys. */
  get ids(): string[] {
    return [...this.#byId.keys()];
  }

  /** Encrypts `plaintext`, bound to `context`. */
  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#current.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const parts = [iv, ciphertext, cipher.getAuthTag()].map((part) => part.toString('base64url'));
    return `${ENVELOPE_PREFIX}${this.#current.id}.${parts.join('.')}`;
  }

  /** Decrypts an envelope made by {@link Keyring.seal} with the same `context`, or throws {@link UnreadableValueError}. */
  open(envelope: string, context: string): string {
    if (!isEnvelope(envelope)) throw new UnreadableValueError('the value is not encrypted, but this store requires encryption');
    const [id, iv, ciphertext, tag] = envelope.slice(ENVELOPE_PREFIX.length).split('.');
    if (id === undefined || iv === undefined || ciphertext === undefined || tag === undefined) {
      throw new UnreadableValueError('the encrypted value is malformed');
    }
    const key = this.#byId.get(id);
    if (!key) throw new KeyMismatchError(id, `the value was encrypted with a key this store does not have (key id ${id})`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new UnreadableValueError(`the encrypted value failed authentication (key id ${id}): tampered with, or moved from another key`);
    }
  }
}

/** The key id an envelope names (a hash prefix, safe to show), or `undefined` if it names none. */
export function envelopeKeyId(envelope: string): string | undefined {
  const id = envelope.slice(ENVELOPE_PREFIX.length).split('.')[0];
  return id && /^[0-9a-f]{16}$/.test(id) ? id : undefined;
}

/** Whether a stored value is an encrypted envelope (rather than plain JSON). */
export function isEnvelope(value: string): boolean {
  return value.startsWith(ENVELOPE_PREFIX);
}

function keyEntry(key: EncryptionKey, name: string): KeyEntry {
  const bytes = keyBytes(key);
  if (bytes?.length !== 32) {
    throw storeError(
      'invalid_configuration',
      `${name} must be 32 bytes (AES-256): a Uint8Array, or a string of base64 (openssl rand -base64 32) or hex (openssl rand -hex 32).`,
    );
  }
  // A domain-separated hash prefix: names the key in envelopes without revealing anything about it.
  const id = createHash('sha256').update('token-clients redis-store key id\0').update(bytes).digest('hex').slice(0, 16);
  return { id, key: bytes };
}

function keyBytes(key: EncryptionKey): Buffer | undefined {
  if (key instanceof Uint8Array) return Buffer.from(key);
  if (typeof key !== 'string') return undefined;
  const text = key.trim();
  if (/^[0-9a-f]{64}$/i.test(text)) return Buffer.from(text, 'hex');
  // Node's base64 decoder skips characters it does not know; check the alphabet so a typo is not half-read.
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) return Buffer.from(text, 'base64');
  return undefined;
}
