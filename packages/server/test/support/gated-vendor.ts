import { startFakeServer, type FakeServer } from '@token-clients/testkit';

/**
 * A vendor in front of a real fake that holds each answer until the test opens the gate: a refresh that is
 * "in flight" for as long as the test needs (to kill its replica, or to gather concurrent callers).
 */
export interface GatedVendor extends FakeServer {
  /** Lets every held and future answer through. */
  open(): void;
  /** Holds the answers to come, until the next `open()`. */
  hold(): void;
  /** Resolves once `count` requests have arrived. */
  received(count: number): Promise<void>;
}

/** Forwards each request to `upstream` (query string and body included), after the gate opens. */
export async function startGatedVendor(upstream: string): Promise<GatedVendor> {
  let release!: () => void;
  let gate = new Promise<void>((resolve) => (release = resolve));
  const waiters: { count: number; resolve: () => void }[] = [];
  const server = await startFakeServer({
    async handle(request) {
      for (const waiter of waiters.splice(0)) {
        if (server.requests.length >= waiter.count) waiter.resolve();
        else waiters.push(waiter);
      }
      await gate;
      const query = request.query.toString();
      const answer = await fetch(`${upstream}${request.path}${query ? `?${query}` : ''}`, {
        method: request.method,
        headers: request.mediaType ? { 'content-type': request.headers['content-type'] as string } : {},
        ...(request.rawBody.length > 0 ? { body: new Uint8Array(request.rawBody) } : {}),
      });
      return { status: answer.status, body: await answer.text(), headers: { 'content-type': answer.headers.get('content-type') ?? 'text/plain' } };
    },
  });
  const closeServer = server.close.bind(server);
  return Object.assign(server, {
    open: () => release(),
    close: async () => {
      release();
      await closeServer();
    },
    received: (count: number) =>
      server.requests.length >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve })),
    hold() {
      gate = new Promise<void>((resolve) => (release = resolve));
    },
  });
}
