/**
 * Returns `error` unchanged when no secret appears in its message or stack, else a plain copy with every
 * secret replaced by `[redacted]`.
 *
 * A custom `fetch` (or a URL parser) may put the request URL — which carries the client secret for vendors
 * that take it in the query string — into its error message; that error becomes our `cause`.
 */
export function scrubSecrets(error: unknown, secrets: readonly string[]): unknown {
  const present = secrets.filter((secret) => secret.length > 0);
  if (!(error instanceof Error) || present.length === 0) return error;
  const leaks = (text: string | undefined) => text !== undefined && present.some((secret) => text.includes(secret));
  if (!leaks(error.message) && !leaks(error.stack) && !leaks(String((error as { cause?: unknown }).cause ?? ''))) {
    return error;
  }
  const redact = (text: string) => present.reduce((out, secret) => out.split(secret).join('[redacted]'), text);
  const copy = new Error(redact(error.message));
  copy.name = error.name;
  copy.stack = redact(error.stack ?? '');
  const code = (error as { code?: unknown }).code;
  if (code !== undefined) Object.assign(copy, { code });
  return copy;
}
