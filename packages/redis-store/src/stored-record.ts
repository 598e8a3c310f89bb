import type { StoredToken } from '@token-clients/core';
import type { TokenCodec } from './token-codec.js';
import { UnreadableValueError } from './unreadable-value.js';

/** A token hash the store cannot use, as the write script must be told to replace it. */
export interface UnreadableRecord {
  readonly state: 'unreadable';
  /** Its version if that is a valid one (writes go above it, so versions never go back), else 0. */
  readonly version: number;
  /** What the write script compares to decide that the record is still the one read (see `WRITE_TOKEN`). */
  readonly fingerprint: string;
  /** Why it cannot be used. Never contains the value. */
  readonly reason: string;
  /** The decoding failure, when the value itself (not the record's shape) was the problem. */
  readonly error?: UnreadableValueError;
}

/** What one read of a token key found. */
export type ReadRecord = { readonly state: 'absent' } | { readonly state: 'readable'; readonly stored: StoredToken } | UnreadableRecord;

/**
 * Interprets the reply of `READ_TOKEN`. Anything that is not a complete record of ours — another Redis type, a
 * version that is not a positive integer, a missing field, a value that does not decode — is unreadable, never an
 * error: a provider treats it as absent and its next write replaces it.
 */
export function parseRecord(reply: unknown, redisKey: string, codec: TokenCodec): ReadRecord {
  const [kind, versionText, obtainedAtText, value, fingerprint = ''] = Array.isArray(reply) ? reply.map(text) : [];
  if (kind === undefined) return { state: 'absent' };
  if (kind !== 'hash') {
    return { state: 'unreadable', version: 0, fingerprint: `type:${kind}`, reason: `the key holds a Redis ${kind}, not a hash` };
  }
  const version = Number(versionText);
  const obtainedAt = Number(obtainedAtText);
  const validVersion = versionText !== undefined && Number.isSafeInteger(version) && version >= 1;
  if (!validVersion) return { state: 'unreadable', version: 0, fingerprint, reason: 'the record has no valid version' };
  if (obtainedAtText === undefined || !Number.isFinite(obtainedAt) || value === undefined) {
    return { state: 'unreadable', version, fingerprint, reason: 'the record is malformed (a field is missing)' };
  }
  try {
    return { state: 'readable', stored: { token: codec.decode(value, recordContext(redisKey, version, obtainedAt)), version, obtainedAt } };
  } catch (error) {
    if (!(error instanceof UnreadableValueError)) throw error;
    return { state: 'unreadable', version, fingerprint, reason: error.message, error };
  }
}

/** What a value is bound to when encrypted: where it lives and which write made it. */
export function recordContext(redisKey: string, version: number, obtainedAt: number): string {
  return JSON.stringify([redisKey, version, obtainedAt]);
}

/** A reply as text: clients configured to return buffers are read too. */
export function text(reply: unknown): string | undefined {
  if (typeof reply === 'string') return reply;
  if (typeof reply === 'number') return String(reply);
  if (reply instanceof Uint8Array) return Buffer.from(reply).toString('utf8');
  return undefined;
}
