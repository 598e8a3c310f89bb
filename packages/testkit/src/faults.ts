import type { ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import type { FakeResponse } from './fake-server.js';

/**
 * What can go wrong with a real vendor server, injectable into any fake.
 * Faults that need the normal answer (`truncated`, `mutate`) derive from it.
 */
export type Fault =
  /** A plain error status with an HTML page, as a proxy in front of the vendor sends it. */
  | { type: 'status'; status: number }
  /** 429 with a `Retry-After` header. */
  | { type: 'rate-limit'; retryAfterSeconds: number }
  /** The connection is reset before any response. */
  | { type: 'reset' }
  /** The request is read and never answered (until the server closes). */
  | { type: 'stall' }
  /** An HTML page with the given status (a captive portal, a WAF, a load balancer's error page). */
  | { type: 'html'; status: number }
  /** The normal body, cut off half-way. */
  | { type: 'truncated' }
  /** A 200 with no body at all. */
  | { type: 'empty' }
  /** A body of `bytes` bytes, streamed, with or without a `Content-Length`. */
  | { type: 'huge'; bytes: number; declareLength: boolean }
  /**
   * An RFC 6749 §5.2 error body (`{"error", "error_description"}`) instead of the vendor's documented error
   * shape, as a standard OAuth 2.0 server, a gateway in front of the vendor or its next API version answers.
   */
  | { type: 'oauth-error'; status: number; error: string; description?: string }
  /**
   * A redirect to the same path and query on the origin `to`. A token request must never follow one: the
   * credentials would go to another origin (https → http included).
   */
  | { type: 'redirect'; status: 301 | 302 | 303 | 307 | 308; to: string }
  /**
   * The normal JSON answer followed by `decodedBytes` spaces (still valid JSON), gzipped twice
   * (`Content-Encoding: gzip, gzip`): a few kilobytes on the wire (its `Content-Length`), `decodedBytes` once
   * fetch has decoded it. A client that counts only the wire bytes reads it whole and accepts it.
   */
  | { type: 'gzip-bomb'; decodedBytes: number }
  /** A given answer, whatever was asked: `json` is serialised, `body` sent as is (with `contentType`). */
  | { type: 'answer'; status: number; json?: unknown; body?: string; contentType?: string }
  /** The normal JSON answer changed by `change` (wrong types, a missing field, `success: false`, …). */
  | { type: 'mutate'; status?: number; change: (json: any) => unknown };

const HTML_PAGE = '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>';

/** Writes `fault` as the answer, given what the fake would normally have answered. */
export async function faultResponse(fault: Fault, normal: FakeResponse, res: ServerResponse, date: string, url = '/'): Promise<number> {
  const html = { date, 'content-type': 'text/html' };
  switch (fault.type) {
    case 'status':
    case 'html':
      res.writeHead(fault.status, html).end(HTML_PAGE);
      return 0;
    case 'rate-limit':
      res.writeHead(429, { date, 'content-type': 'application/json', 'retry-after': String(fault.retryAfterSeconds) })
        .end('{"message":"Too Many Requests"}');
      return 0;
    case 'reset':
      res.socket?.destroy();
      return 0;
    case 'stall':
      return 0;
    case 'truncated': {
      const text = JSON.stringify(normal.json ?? {});
      res.writeHead(200, { date, 'content-type': 'application/json' }).end(text.slice(0, Math.floor(text.length / 2)));
      return 0;
    }
    case 'empty':
      res.writeHead(200, { date, 'content-type': 'application/json', 'content-length': '0' }).end();
      return 0;
    case 'huge': {
      const headers: Record<string, string> = { date, 'content-type': 'application/json' };
      if (fault.declareLength) headers['content-length'] = String(fault.bytes);
      res.writeHead(200, headers);
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      // One close listener for the whole stream: the client is expected to hang up early.
      let wakeOnClose: () => void = () => {};
      res.once('close', () => wakeOnClose());
      while (sent < fault.bytes && !res.destroyed) {
        const size = Math.min(chunk.length, fault.bytes - sent);
        sent += size;
        if (!res.write(chunk.subarray(0, size))) {
          await new Promise<void>((resolve) => {
            wakeOnClose = resolve;
            res.once('drain', resolve);
          });
        }
      }
      res.end();
      return sent;
    }
    case 'oauth-error':
      res.writeHead(fault.status, { date, 'content-type': 'application/json;charset=UTF-8', 'cache-control': 'no-store' })
        .end(JSON.stringify({ error: fault.error, ...(fault.description === undefined ? {} : { error_description: fault.description }) }));
      return 0;
    case 'answer': {
      const json = fault.json !== undefined;
      res.writeHead(fault.status, { date, 'content-type': fault.contentType ?? (json ? 'application/json;charset=UTF-8' : 'text/plain') })
        .end(json ? JSON.stringify(fault.json) : (fault.body ?? ''));
      return 0;
    }
    case 'redirect':
      res.writeHead(fault.status, { date, location: new URL(url, fault.to).href, 'content-length': '0' }).end();
      return 0;
    case 'gzip-bomb': {
      const body = gzipSync(Buffer.concat([gzipSync(JSON.stringify(normal.json ?? {})), gzippedSpaces(fault.decodedBytes)]));
      res.writeHead(200, { date, 'content-type': 'application/json', 'content-encoding': 'gzip, gzip', 'content-length': String(body.length) });
      res.end(body);
      return 0;
    }
    case 'mutate':
      res.writeHead(fault.status ?? normal.status, { date, 'content-type': 'application/json' })
        .end(JSON.stringify(fault.change(structuredClone(normal.json))));
      return 0;
  }
}

const spaces = new Map<number, Buffer>();

/**
 * `bytes` spaces as one gzip member, built once per size (gzipping 10 MB takes tens of ms). Gzip members
 * concatenate: the answer's own member followed by this one decodes to the answer followed by the spaces.
 */
function gzippedSpaces(bytes: number): Buffer {
  let member = spaces.get(bytes);
  if (!member) {
    member = gzipSync(Buffer.alloc(bytes, 0x20), { level: 9 });
    spaces.set(bytes, member);
  }
  return member;
}
