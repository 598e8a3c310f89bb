import { limitResponseBody } from './limited-body.js';
import { warnIfPlainHttp } from './plain-http-warning.js';

/** The largest response body read; anything larger is an `invalid_response`. A token response is ~1 kB. */
export const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * The `fetch` every vendor client gives to openapi-fetch's `createClient`: it warns once per process about
 * credentials sent over plain http to another machine, and never buffers more than
 * {@link MAX_RESPONSE_BYTES} of a response body.
 */
export function vendorFetch(fetchImpl: typeof fetch = globalThis.fetch): (request: Request) => Promise<Response> {
  return async (request) => {
    warnIfPlainHttp(request.url);
    return limitResponseBody(await fetchImpl(request), MAX_RESPONSE_BYTES);
  };
}
