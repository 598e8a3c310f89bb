import { redactDeep, redactSecrets } from './scrub-secrets.js';
import type { TokenEndpointResponse } from './token-answer.js';

/** How much of a text body is kept on an error (it is not enumerable, but it can be large). */
const KEPT_BODY_CHARS = 4096;

/**
 * Names of the fields of a token answer that hold a credential, in any vendor's spelling: `access_token`,
 * `refresh_token`, `id_token`, `accessToken`, dushu's `value`, a `client_secret` echoed back. Not `code`: in
 * error envelopes it is the vendor's error code (an echoed authorization code is a request secret, redacted as such).
 */
const TOKEN_FIELD = /token|secret|password|^value$/i;

/** `"field": "…` of a token field in a text body, closing quote optional (a truncated body ends mid-token). */
const TOKEN_FIELD_IN_TEXT = /("[^"]*(?:token|secret|password)[^"]*"|"value")(\s*:\s*")([^"]*)/gi;

/**
 * The credentials the answer itself carries: every string under a token field, at any depth. An unusable answer
 * (a lifetime that makes no sense, a field of the wrong type) may still hold a live access and refresh token.
 */
export function answerTokens(json: unknown, depth = 0): string[] {
  if (typeof json !== 'object' || json === null || depth > 4) return [];
  const found: string[] = [];
  for (const [key, value] of Object.entries(json)) {
    if (typeof value === 'string' && TOKEN_FIELD.test(key) && value.length > 0) found.push(value);
    else found.push(...answerTokens(value, depth + 1));
  }
  return found;
}

/**
 * Every secret an error about `answer` must not show: the request's ({@link TokenEndpointResponse.secrets})
 * and the answer's own token fields.
 */
export function answerSecrets(answer: TokenEndpointResponse): string[] {
  return [...(answer.secrets ?? []), ...answerTokens(answer.json)];
}

/**
 * The body as kept on an error (`TokenError.body`): size-limited text or the parsed JSON, with every secret of
 * the request and every token the answer carries replaced by `[redacted]` — the body is not enumerable, but
 * `util.inspect(error, { showHidden: true })` shows it.
 */
export function keptBody(answer: TokenEndpointResponse): unknown {
  const secrets = answerSecrets(answer);
  if (answer.text !== undefined) {
    const text = redactSecrets(answer.text.slice(0, KEPT_BODY_CHARS), secrets);
    return text.replace(TOKEN_FIELD_IN_TEXT, (_, field: string, colon: string) => `${field}${colon}[redacted]`);
  }
  return redactDeep(redactTokenFields(answer.json, 0), secrets);
}

function redactTokenFields(json: unknown, depth: number): unknown {
  if (typeof json !== 'object' || json === null || depth > 4) return json;
  if (Array.isArray(json)) return json.map((item) => redactTokenFields(item, depth + 1));
  return Object.fromEntries(
    Object.entries(json).map(([key, value]) => [
      key,
      typeof value === 'string' && TOKEN_FIELD.test(key) ? '[redacted]' : redactTokenFields(value, depth + 1),
    ]),
  );
}
