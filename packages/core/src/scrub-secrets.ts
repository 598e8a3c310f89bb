/**
 * Hiding secrets, in one place: the request's secrets (client secret, code, refresh token) and the answer's
 * tokens, in every encoding they can take, out of whatever an error carries — its message, the vendor's text,
 * the body kept on it, a foreign `cause`.
 */
import { inspect } from './runtime-builtins.js';
import type { TokenEndpointResponse } from './token-answer.js';

/** What stands where a secret was removed. */
const REDACTED = '[redacted]';

/** How deep a cause chain or a thrown object is copied; deeper levels are dropped, not shown. */
const MAX_DEPTH = 6;

/**
 * Every form in which `secret` can show up in text an error carries: as it is, percent-encoded (a URL's query
 * string: `+/=` become `%2B%2F%3D`), form-encoded (a body: a space becomes `+`), and base64 / base64url (a
 * header, a JWT-like wrapper, a log of raw bytes).
 */
function encodings(secret: string): string[] {
  const base64 = base64Of(secret);
  const forms = [
    secret,
    encodeURIComponent(secret),
    encodeURI(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    base64,
    base64.replace(/=+$/, ''),
    base64.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'),
  ];
  // Lower-case percent escapes are as valid as upper-case ones.
  for (const form of [...forms]) if (form.includes('%')) forms.push(form.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()));
  return forms;
}

/** The base64 of `text`'s UTF-8 bytes, with what every runtime has (`btoa`, not Node's `Buffer`). */
function base64Of(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Every encoding of every non-empty secret, longest first (so that a secret containing another goes whole). */
function patterns(secrets: readonly string[]): string[] {
  const all = new Set<string>();
  for (const secret of secrets) if (secret.length > 0) for (const form of encodings(secret)) if (form.length > 0) all.add(form);
  return [...all].sort((a, b) => b.length - a.length);
}

function redactWith(text: string, forms: readonly string[]): string {
  let out = text;
  for (const form of forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
  return out;
}

/**
 * Returns `text` with every occurrence of every non-empty secret — verbatim, percent-, form-, base64- or
 * base64url-encoded — replaced by `[redacted]`; `undefined` stays `undefined`.
 *
 * For text a vendor sends back (an error message or code that echoes the client secret, the code or the
 * refresh token of the request) before it is shown in an error. Longer forms are replaced first, so a
 * secret that contains another is removed whole rather than in part.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string;
/** `text` with every non-empty secret replaced by `[redacted]`; `undefined` when `text` is (an absent vendor field). */
export function redactSecrets(text: string | undefined, secrets: readonly string[]): string | undefined;
export function redactSecrets(text: string | undefined, secrets: readonly string[]): string | undefined {
  if (text === undefined) return undefined;
  return redactWith(text, patterns(secrets));
}

/**
 * `value` (a JSON body, a thrown object) with every string in it redacted as {@link redactSecrets} does, copied
 * only where something had to change.
 */
export function redactDeep(value: unknown, secrets: readonly string[]): unknown {
  const forms = patterns(secrets);
  return forms.length === 0 ? value : copyRedacted(value, forms, 0, new WeakSet());
}

/**
 * Returns `error` unchanged when no secret shows in any rendering of it — message, stack, its own properties
 * (hidden ones included, such as a custom fetch's `.url`), its `cause` chain — else a plain copy that keeps its
 * shape (name, message, code, own properties, causes) with every secret, in any encoding, replaced by
 * `[redacted]`. Thrown strings and plain objects are redacted the same way.
 *
 * A custom `fetch` (or a URL parser) may put the request URL — which carries the client secret for vendors
 * that take it in the query string — or the request body into its error; that error becomes our `cause`.
 */
export function scrubSecrets(error: unknown, secrets: readonly string[]): unknown {
  const forms = patterns(secrets);
  if (forms.length === 0 || !leaks(error, forms)) return error;
  const copy = copyRedacted(error, forms, 0, new WeakSet());
  // The copy holds only strings, numbers and plain objects; should anything still show, show nothing.
  return leaks(copy, forms) ? new Error(`${REDACTED} (an error that quoted a secret)`) : copy;
}

function leaks(value: unknown, forms: readonly string[]): boolean {
  if (value === undefined || value === null) return false;
  const text = typeof value === 'string' ? value : render(value);
  const stack = value instanceof Error ? (value.stack ?? '') : '';
  return forms.some((form) => text.includes(form) || stack.includes(form));
}

/**
 * Everything `value` shows, hidden properties included: `util.inspect` where the runtime has it, else every string
 * reachable through own properties (enumerable or not) — what a worker without `nodejs_compat` can look at.
 */
function render(value: unknown): string {
  if (inspect !== undefined) return inspect(value, { showHidden: true, depth: MAX_DEPTH + 2, maxStringLength: null, maxArrayLength: null });
  const strings: string[] = [];
  const visit = (item: unknown, depth: number, seen: WeakSet<object>): void => {
    if (typeof item === 'string') strings.push(item);
    else if (typeof item === 'number' || typeof item === 'bigint' || typeof item === 'boolean') strings.push(String(item));
    if (typeof item !== 'object' || item === null || seen.has(item) || depth > MAX_DEPTH + 2) return;
    seen.add(item);
    const entries = item instanceof Map ? [...item.keys(), ...item.values()] : item instanceof Set ? [...item] : [];
    for (const entry of entries) visit(entry, depth + 1, seen);
    for (const name of Object.getOwnPropertyNames(item)) {
      const descriptor = Object.getOwnPropertyDescriptor(item, name);
      if (descriptor && 'value' in descriptor) visit(descriptor.value, depth + 1, seen);
    }
  };
  visit(value, 0, new WeakSet());
  return strings.join('\n');
}

function copyRedacted(value: unknown, forms: readonly string[], depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactWith(value, forms);
  if (typeof value !== 'object' || value === null) return typeof value === 'function' || typeof value === 'symbol' ? undefined : value;
  if (seen.has(value) || depth > MAX_DEPTH) return undefined;
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => copyRedacted(item, forms, depth + 1, seen));
  if (value instanceof Error) {
    const copy = new Error(redactWith(value.message, forms));
    copy.name = value.name;
    copy.stack = redactWith(value.stack ?? `${value.name}: ${value.message}`, forms);
    for (const key of Object.getOwnPropertyNames(value)) {
      if (key === 'message' || key === 'stack') continue;
      const field = copyRedacted((value as unknown as Record<string, unknown>)[key], forms, depth + 1, seen);
      if (field === undefined) continue;
      // `cause` stays hidden as on a real error; other properties are shown, as they were by inspect.
      Object.defineProperty(copy, key, { value: field, enumerable: key !== 'cause', writable: true, configurable: true });
    }
    return copy;
  }
  const copy: Record<string, unknown> = {};
  // Class instances (a Request, a Headers) keep their state out of reach of a copy: only own fields are kept.
  for (const [key, field] of Object.entries(value)) {
    const redacted = copyRedacted(field, forms, depth + 1, seen);
    if (redacted !== undefined) copy[redactWith(key, forms)] = redacted;
  }
  return copy;
}

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
