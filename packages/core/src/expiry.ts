/**
 * Expiry arithmetic. Relative lifetimes are turned into local-clock expiries; absolute expiries, which are
 * on the vendor's clock, are moved onto the local clock by the offset seen in the same response.
 */

/** Reads a lifetime in whole seconds that a vendor sends as a number or as a string of digits. */
export function parseSeconds(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value === 'string' && /^\d{1,15}$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

/** The local-clock expiry of a lifetime counted from the moment the response arrived. */
export function expiryFromLifetime(receivedAt: number, lifetimeSeconds: number): number {
  return receivedAt + lifetimeSeconds * 1000;
}

/** The server's time from an HTTP `Date` header, epoch ms, or `undefined` when absent or unreadable. */
export function serverTimeFromDateHeader(headers: Headers): number | undefined {
  const value = headers.get('date');
  if (!value) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}

/**
 * How far the server's clock is ahead of ours (negative: behind), from a server timestamp taken when the
 * response was produced and the local time it arrived. 0 when the server gave no time.
 */
export function clockOffset(serverTime: number | undefined, receivedAt: number): number {
  return serverTime === undefined ? 0 : serverTime - receivedAt;
}

/**
 * Moves an absolute expiry from the server's clock onto ours.
 *
 * `resolutionMs` is how coarse the server's timestamp is (an HTTP `Date` header has whole seconds and is
 * truncated, so the server may be up to 999 ms later than it says): the expiry is pulled in by that much,
 * because erring late would hand out a dead token.
 */
export function localExpiry(serverExpiresAt: number, offsetMs: number, resolutionMs = 0): number {
  return serverExpiresAt - offsetMs - resolutionMs;
}
