/** Charsets `Response.text()` already decodes right (it always decodes UTF-8, and ASCII is a subset). */
const UTF8 = new Set(['utf-8', 'utf8', 'us-ascii', 'ascii']);

/**
 * `response` with its body re-encoded as UTF-8 when its `Content-Type` names another charset that the runtime
 * can decode (`GBK`, `GB18030`, `ISO-8859-1`, `UTF-16`, …). openapi-fetch reads token answers with
 * `Response.text()`, which always decodes UTF-8: a Chinese vendor's `charset=GBK` error message would come out
 * as mojibake in `vendorMessage` (and a secret it echoes would escape redaction). An unknown charset is left as
 * it is (read as UTF-8).
 */
export function asUtf8(response: Response): Response {
  const type = response.headers.get('content-type');
  const charset = type === null ? undefined : /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(type)?.[1]?.toLowerCase();
  if (charset === undefined || UTF8.has(charset) || response.body === null) return response;
  let decoder: TextDecoderStream;
  try {
    decoder = new TextDecoderStream(charset);
  } catch {
    return response;
  }
  const headers = new Headers(response.headers);
  headers.set('content-type', type!.replace(/;\s*charset\s*=\s*"?[^";\s]+"?/i, '; charset=utf-8'));
  headers.delete('content-length');
  const body = response.body.pipeThrough(decoder).pipeThrough(new TextEncoderStream());
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}
