/** The default namespace of every key the store writes, so one Redis can serve many applications. */
export const DEFAULT_KEY_PREFIX = 'token-clients:';

/** The two Redis keys behind one store key. */
export interface KeyNames {
  /** The hash that holds version, obtainedAt and the (optionally encrypted) token. */
  readonly token: string;
  /** The refresh lease: a string holding its owner's nonce, with a time to live. */
  readonly lease: string;
}

/**
 * Names the keys of `key` under `prefix`. The store key sits in a `{…}` hash tag so both keys live in one
 * Cluster hash slot, on one node: the token and its lease fail over together.
 */
export function keyNames(prefix: string, key: string): KeyNames {
  const base = `${prefix}{${key}}`;
  return { token: `${base}:token`, lease: `${base}:lease` };
}

/**
 * Names the counter `counterKey` (the daily quota's) under `prefix`, hash-tagged like the token keys so that it
 * works on Cluster. A counter key is its own tag: it need not sit with any token.
 */
export function counterKeyName(prefix: string, counterKey: string): string {
  return `${prefix}{${counterKey}}:count`;
}
