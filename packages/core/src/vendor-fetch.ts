import { asUtf8 } from './charset.js';
import { limitResponseBody } from './limited-body.js';
import { warnIfPlainHttp } from './plain-http-warning.js';
import { isRedirect, refusedRedirect } from './refused-redirect.js';

/** The largest response body read; anything larger is an `invalid_response`. A token response is ~1 kB. */
export const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * The `fetch` every vendor client gives to openapi-fetch's `createClient`: it warns once per process about
 * credentials sent over plain http to another machine, never follows a redirect (it asks `fetch` not to, and
 * refuses one that a custom `fetch` followed or returned anyway), and never buffers more than
 * {@link MAX_RESPONSE_BYTES} of a decoded response body; a body in another charset than UTF-8 (`charset=GBK`) is
 * re-encoded as UTF-8, which is how openapi-fetch reads it.
 */
export function vendorFetch(fetchImpl: typeof fetch = globalThis.fetch): (request: Request) => Promise<Response> {
  return async (request) => {
    warnIfPlainHttp(request.url);
    // `manual`, not `error`: the status is then seen, and the message can say what happened.
    const response = await fetchImpl(new Request(request, { redirect: 'manual' }));
    if (isRedirect(response)) {
      void response.body?.cancel().catch(() => {});
      throw refusedRedirect(response, request.url);
    }
    // The limit counts the bytes as they came (decompressed); the charset is converted after it.
    return asUtf8(limitResponseBody(response, MAX_RESPONSE_BYTES));
  };
}
