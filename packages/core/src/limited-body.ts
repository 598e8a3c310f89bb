/** Thrown inside a response body stream when it grows past the limit. */
export class ResponseTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`response body is larger than ${limitBytes} bytes`);
    this.name = 'ResponseTooLargeError';
  }
}

/**
 * Returns `response` with a body that fails once more than `limitBytes` have been read, cancelling the rest
 * of the download. A token response is a few hundred bytes; a vendor that sends 10 MB (a mis-routed file, an
 * endless error page) must not make us buffer it whole.
 *
 * A declared `Content-Length` within the limit needs no guard (fetch never reads past it), and that is the
 * common case: the response is returned as it is, with no stream in between.
 */
export function limitResponseBody(response: Response, limitBytes: number): Response {
  const body = response.body;
  if (!body) return response;
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared <= limitBytes) return response;
  let limited: ReadableStream<Uint8Array>;
  if (Number.isFinite(declared)) {
    void body.cancel().catch(() => {});
    limited = new ReadableStream({ start: (controller) => controller.error(new ResponseTooLargeError(limitBytes)) });
  } else {
    let seen = 0;
    limited = body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          seen += chunk.byteLength;
          if (seen > limitBytes) controller.error(new ResponseTooLargeError(limitBytes));
          else controller.enqueue(chunk);
        },
      }),
    );
  }
  return new Response(limited, { status: response.status, statusText: response.statusText, headers: response.headers });
}
