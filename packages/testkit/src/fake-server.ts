import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { faultResponse, type Fault } from './faults.js';
import type { SpecValidator } from './spec-validator.js';

/** A request as the fake server received it. */
export interface RecordedRequest {
  method: string;
  /** The path, without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** The media type of the body, lower-case, without parameters (`multipart/form-data`). */
  mediaType: string | undefined;
  /** Fields of a urlencoded or multipart body; empty for other bodies. */
  form: Map<string, string>;
  rawBody: Buffer;
}

/** What a fake answers. `json` is serialised; `body` is sent as is. */
export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  json?: unknown;
  body?: string | Buffer;
  /** The request itself is outside the spec (wrong path or method), so this answer is not checked against it. */
  outsideSpec?: boolean;
}

/** A fake vendor server on 127.0.0.1, on a random port. */
export interface FakeServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Responses (not injected faults) that do not match the vendor's spec; a test asserts this stays empty. */
  readonly specViolations: string[];
  /** Bytes of injected `huge` bodies actually written before the client hung up. */
  readonly streamedFaultBytes: () => number;
  /** Makes the next `times` requests (default: all until cleared) answer with `fault`. */
  inject(fault: Fault, times?: number): void;
  /** Removes injected faults. */
  clearFaults(): void;
  /** Stops the server and drops every open connection. */
  close(): Promise<void>;
}

/** Options of {@link startFakeServer}. */
export interface FakeServerOptions {
  /** Answers a well-formed request, following the vendor document. */
  handle(request: RecordedRequest): FakeResponse | Promise<FakeResponse>;
  /** Validates every non-fault response against the vendor's spec. */
  validator?: SpecValidator;
  /** Added to every response (`Date` comes from this clock when given). */
  now?: () => number;
}

/** Starts a fake vendor server. Real HTTP over loopback, so the clients' whole stack is exercised. */
export async function startFakeServer(options: FakeServerOptions): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const specViolations: string[] = [];
  const faults: { fault: Fault; remaining: number }[] = [];
  const sockets = new Set<Socket>();
  let streamedFaultBytes = 0;

  const server = createServer((req, res) => {
    void serve(req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        res.writeHead(599, { 'content-type': 'text/plain' });
        res.end(`fake server bug: ${String(error)}`);
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const recorded = record(req, Buffer.concat(chunks));
    requests.push(recorded);
    const date = new Date(options.now?.() ?? Date.now()).toUTCString();

    const pending = faults[0];
    if (pending) {
      pending.remaining -= 1;
      if (pending.remaining <= 0) faults.shift();
      const normal = await options.handle(recorded);
      streamedFaultBytes += await faultResponse(pending.fault, normal, res, date, req.url);
      return;
    }

    const answer = await options.handle(recorded);
    const body = answer.json !== undefined ? JSON.stringify(answer.json) : (answer.body ?? '');
    const headers: Record<string, string> = { date, ...answer.headers };
    if (answer.json !== undefined) headers['content-type'] ??= 'application/json;charset=UTF-8';
    if (options.validator && !answer.outsideSpec) {
      const problem = options.validator.checkResponse(recorded.method, recorded.path, answer.status, headers['content-type'], answer.json);
      if (problem) specViolations.push(problem);
    }
    res.writeHead(answer.status, headers);
    res.end(body);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    specViolations,
    streamedFaultBytes: () => streamedFaultBytes,
    inject(fault, times = Number.POSITIVE_INFINITY) {
      faults.push({ fault, remaining: times });
    },
    clearFaults() {
      faults.length = 0;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function record(req: IncomingMessage, rawBody: Buffer): RecordedRequest {
  const url = new URL(req.url ?? '/', 'http://fake');
  const contentType = req.headers['content-type'];
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  const form = new Map<string, string>();
  if (mediaType === 'application/x-www-form-urlencoded') {
    for (const [key, value] of new URLSearchParams(rawBody.toString('utf8'))) form.set(key, value);
  } else if (mediaType === 'multipart/form-data' && contentType) {
    for (const [key, value] of parseMultipart(contentType, rawBody)) form.set(key, value);
  }
  return { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, mediaType, form, rawBody };
}

/** Reads the text fields of a multipart/form-data body (token requests carry no files). */
function parseMultipart(contentType: string, body: Buffer): [string, string][] {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const marker = boundary?.[1] ?? boundary?.[2];
  if (!marker) return [];
  const fields: [string, string][] = [];
  for (const part of body.toString('utf8').split(`--${marker}`)) {
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const name = /name="([^"]*)"/i.exec(part.slice(0, split))?.[1];
    if (name !== undefined) fields.push([name, part.slice(split + 4).replace(/\r\n$/, '')]);
  }
  return fields;
}
