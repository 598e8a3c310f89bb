/** What stands where a secret was removed. */
const REDACTED = '[redacted]';

/**
 * Returns `text` with every occurrence of every non-empty secret replaced by `[redacted]`; `undefined` stays
 * `undefined`.
 *
 * For text a vendor sends back (an error message or code that echoes the client secret, the code or the
 * refresh token of the request) before it is shown in an error. Longer secrets are replaced first, so a
 * secret that contains another is removed whole rather than in part.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string;
/** `text` with every non-empty secret replaced by `[redacted]`; `undefined` when `text` is (an absent vendor field). */
export function redactSecrets(text: string | undefined, secrets: readonly string[]): string | undefined;
export function redactSecrets(text: string | undefined, secrets: readonly string[]): string | undefined {
  if (text === undefined) return undefined;
  const present = secrets.filter((secret) => secret.length > 0).sort((a, b) => b.length - a.length);
  return present.reduce((out, secret) => out.split(secret).join(REDACTED), text);
}

/**
 * Returns `error` unchanged when no secret appears in its message or stack, else a plain copy with every
 * secret replaced by `[redacted]`.
 *
 * A custom `fetch` (or a URL parser) may put the request URL — which carries the client secret for vendors
 * that take it in the query string — into its error message; that error becomes our `cause`.
 */
export function scrubSecrets(error: unknown, secrets: readonly string[]): unknown {
  if (!(error instanceof Error)) return error;
  const leaks = (text: string | undefined) =>
    text !== undefined && secrets.some((secret) => secret.length > 0 && text.includes(secret));
  if (!leaks(error.message) && !leaks(error.stack) && !leaks(String((error as { cause?: unknown }).cause ?? ''))) {
    return error;
  }
  const copy = new Error(redactSecrets(error.message, secrets));
  copy.name = error.name;
  copy.stack = redactSecrets(error.stack ?? '', secrets);
  const code = (error as { code?: unknown }).code;
  if (code !== undefined) Object.assign(copy, { code });
  return copy;
}
