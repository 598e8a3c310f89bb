/**
 * A fake token server in a process of its own. A real vendor is remote: its work must not run on the event
 * loop being measured, or the server's cost would hide the client's. Started by `startFakeProcess`.
 *
 * - vendor "dushu": the testkit's dushu fake (spec-validated answers).
 * - vendor "oauth2": a plain RFC 6749 token endpoint at POST /token for the peers, which speak standard
 *   OAuth2 (client credentials for @badgateway, refresh token for google-auth-library) and accept any client.
 * - latencyMs > 0: a front server that waits that long before forwarding each request, like a distant vendor.
 */
import { randomBytes } from 'node:crypto';
import { startDushuFake, startFakeServer, type FakeServer } from '@token-clients/testkit';
import { sleep } from './stats.js';

export interface FakeProcessOptions {
  vendor: 'dushu' | 'oauth2';
  latencyMs?: number;
  /** Lifetime of issued tokens, seconds. */
  expiresIn?: number;
}

export interface FakeProcessReady {
  url: string;
  clientId: string;
  clientSecret: string;
}

function startOAuth2Fake(expiresIn: number): Promise<FakeServer> {
  return startFakeServer({
    handle(request) {
      if (request.path !== '/token' || request.method !== 'POST') return { status: 404, json: { error: 'not_found' } };
      const grantType = request.form.get('grant_type');
      if (grantType !== 'client_credentials' && grantType !== 'refresh_token') {
        return { status: 400, json: { error: 'unsupported_grant_type' } };
      }
      return { status: 200, json: { access_token: randomBytes(32).toString('base64url'), token_type: 'Bearer', expires_in: expiresIn } };
    },
  });
}

/** A front server that sleeps `latencyMs`, then forwards the request to `inner` and relays its answer. */
function withLatency(inner: FakeServer, latencyMs: number): Promise<FakeServer> {
  return startFakeServer({
    async handle(request) {
      await sleep(latencyMs);
      const query = request.query.toString();
      const headers: Record<string, string> = {};
      for (const name of ['content-type', 'authorization', 'accept']) {
        const value = request.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      const answer = await fetch(`${inner.url}${request.path}${query ? `?${query}` : ''}`, {
        method: request.method,
        headers,
        body: request.rawBody.length > 0 ? new Uint8Array(request.rawBody) : undefined,
      });
      return {
        status: answer.status,
        headers: { 'content-type': answer.headers.get('content-type') ?? 'application/json' },
        body: await answer.text(),
        outsideSpec: true, // the inner fake has validated it already
      };
    },
  });
}

const options = JSON.parse(process.argv[2] ?? '{}') as FakeProcessOptions;
const expiresIn = options.expiresIn ?? 7199;
const dushu = options.vendor === 'dushu' ? await startDushuFake({ expiresIn }) : undefined;
const inner = dushu ?? (await startOAuth2Fake(expiresIn));
const front = options.latencyMs ? await withLatency(inner, options.latencyMs) : inner;

const ready: FakeProcessReady = { url: front.url, clientId: dushu?.clientId ?? 'bench-client', clientSecret: dushu?.clientSecret ?? 'bench-secret' };
process.send!(ready);
// The parent asks how many requests reached the (front) server: that is what the vendor would have seen.
process.on('message', (message) => {
  if (message === 'count') process.send!({ count: front.requests.length, specViolations: dushu?.specViolations.length ?? 0 });
});
process.on('disconnect', () => process.exit(0));
