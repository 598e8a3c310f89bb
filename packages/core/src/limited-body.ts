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
 * The decoded bytes are counted: with a `Content-Encoding`, `Content-Length` is the compressed size, and a
 * 500-byte `gzip, gzip` answer can decode to hundreds of megabytes. An unencoded body whose declared
 * `Content-Length` is within the limit needs no guard (fetch never reads past it), and that is the common case:
 * the response is returned as it is, with no stream in between.
 */
export function limitResponseBody(response: Response, limitBytes: number): Response {
  const body = response.body;
  if (!body) return response;
  const encoding = response.headers.get('content-encoding');
  const encoded = encoding !== null && encoding.trim().toLowerCase() !== 'identity';
  const declared = encoded ? Number.NaN : Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared <= limitBytes) return response;
  let limited: ReadableStream<Uint8Array>;
  if (Number.isFinite(declared)) {
    void body.cancel().catch(() => {});
    limited = new ReadableStream({ start: (controller) => controller.error(new ResponseTooLargeError(limitBytes)) });
  } else {
    // A pull-based stream rather than pipeThrough(TransformStream): the same guard with far less machinery
    // per request (measured by bench/: the pipe cost more than the rest of a token request's overhead).
    const reader = body.getReader();
    let seen = 0;
    limited = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) return controller.close();
        seen += value.byteLength;
        if (seen <= limitBytes) return controller.enqueue(value);
        controller.error(new ResponseTooLargeError(limitBytes));
        await reader.cancel().catch(() => {});
      },
      cancel: (reason) => reader.cancel(reason),
    });
  }
  return new Response(limited, { status: response.status, statusText: response.statusText, headers: response.headers });
}
