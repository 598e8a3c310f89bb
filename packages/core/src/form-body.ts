/**
 * openapi-fetch's `bodySerializer` for a token request sent as `application/x-www-form-urlencoded`, the
 * encoding RFC 6749 gives token requests: every field as a string (`expires_in: 3600` → `expires_in=3600`),
 * fields that are `undefined` left out rather than sent as the text "undefined". Pass it per request or to
 * `createClient`, with a `Content-Type: application/x-www-form-urlencoded` header.
 */
export function formUrlEncoded(fields: unknown): string {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries((fields ?? {}) as Record<string, unknown>)) {
    if (value !== undefined) form.set(name, String(value));
  }
  return form.toString();
}
