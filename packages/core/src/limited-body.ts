/** Thrown inside a response body stream when it grows past the limit. */
export class ResponseTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`response body is larger than ${limitBytes} bytes`);
    this.name = 'ResponseTooLargeError';
  }
}

/**
 * Returns a copy of `response` whose body fails once more than `limitBytes` have been read, and cancels the
 * rest of the download. A token response is a few hundred bytes; a vendor that sends 10 MB (a mis-routed
 * file, an endless error page) must not make us buffer it whole.
 *
 * The copy has no `url`: token URLs of some vendors carry the client secret in the query string, and
 * the response is kept on errors.
 */
export function limitResponseBody(response: Response, limitBytes: number): Response {
  const declared = Number(response.headers.get('content-length'));
  let body: ReadableStream<Uint8Array> | null = response.body;
  if (body && Number.isFinite(declared) && declared > limitBytes) {
    void body.cancel().catch(() => {});
    body = new ReadableStream({ start: (controller) => controller.error(new ResponseTooLargeError(limitBytes)) });
  } else if (body) {
    let seen = 0;
    body = body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          seen += chunk.byteLength;
          if (seen > limitBytes) controller.error(new ResponseTooLargeError(limitBytes));
          else controller.enqueue(chunk);
        },
      }),
    );
  }
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}
