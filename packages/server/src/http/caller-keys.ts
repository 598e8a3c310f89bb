import { hash, timingSafeEqual } from 'node:crypto';
import type { CallerConfig } from '../config/service-config.js';

/** A caller the service knows, without its key. */
export interface Caller {
  readonly name: string;
  readonly apps: ReadonlySet<string>;
}

/**
 * Finds the caller a bearer key belongs to, in constant time: both sides are hashed to 32 bytes (so lengths
 * never differ), every caller is compared with `timingSafeEqual`, and the loop never stops early — how long
 * it takes says nothing about how much of a key was right, or which caller's it nearly was.
 */
export class CallerKeys {
  readonly #entries: { digest: Buffer; caller: Caller }[];

  constructor(callers: readonly CallerConfig[]) {
    this.#entries = callers.map((caller) => ({ digest: digest(caller.key), caller: { name: caller.name, apps: new Set(caller.apps) } }));
  }

  /** The caller whose key is `key`, or `undefined`. */
  find(key: string): Caller | undefined {
    const given = digest(key);
    let found: Caller | undefined;
    for (const entry of this.#entries) {
      if (timingSafeEqual(entry.digest, given)) found = entry.caller;
    }
    return found;
  }
}

/** SHA-256 in one call: no Hash object per request (Node ≥ 20.12). */
function digest(key: string): Buffer {
  return hash('sha256', key, 'buffer');
}

/** The key of an `Authorization: Bearer <key>` header, or `undefined` when the header is absent or another scheme. */
export function bearerKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer +(\S+) *$/i.exec(header);
  return match?.[1];
}
