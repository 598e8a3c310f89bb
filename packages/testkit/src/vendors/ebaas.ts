import { randomBytes, randomUUID } from 'node:crypto';
import { startFakeServer, type FakeResponse, type FakeServer } from '../fake-server.js';
import { loadSpecValidator } from '../spec-validator.js';
import { clientCredentialsSession, conformanceSecret, type ConformanceCase } from '../conformance-case.js';

/** Options of {@link startEbaasFake}. */
export interface EbaasFakeOptions {
  /** The client id the fake accepts. */
  clientId?: string;
  /** The client secret the fake accepts. */
  clientSecret?: string;
  /**
   * Seconds from a token's `iat` to its `expired`. Default 7201, as in the document's example (2 hours + 1 s).
   * The ebaas client caps expiries at 7201 s after the answer arrived, so longer lifetimes change nothing.
   */
  lifetimeSeconds?: number;
  /** The fake's clock, epoch ms: drives the token's `iat`, `expired` and the `Date` header. */
  now?: () => number;
}

/** A fake ebaas ETC platform: `GET /oauth/getAccessToken` with query-string credentials, enveloped answers. */
export interface EbaasFake extends FakeServer {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Access tokens issued, in order. */
  readonly issued: string[];
  /** The `request_id` of every envelope sent (tokens and errors alike), in order. */
  readonly requestIds: string[];
}

const PATH = '/oauth/getAccessToken';
const UTC_PLUS_8_MS = 8 * 3_600_000;
/** jjwt's compact header for HS256, exactly as in the document's example token. */
const JWT_HEADER = 'eyJhbGciOiJIUzI1NiJ9';

/** `YYYY-MM-DD HH:mm:ss` in UTC+08:00, the form of the document's `expired`. */
function formatEbaasTime(epochMs: number): string {
  return new Date(epochMs + UTC_PLUS_8_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** Spring Boot's default error body, for what fails before the vendor's controller runs. */
function springError(now: number, status: number, error: string, headers?: Record<string, string>): FakeResponse {
  return {
    status,
    ...(headers ? { headers } : {}),
    json: { timestamp: new Date(now).toISOString().replace('Z', '+00:00'), status, error, path: PATH },
  };
}

/** Starts a fake ebaas server on 127.0.0.1 that follows the vendor document and its rulings. */
export async function startEbaasFake(options: EbaasFakeOptions = {}): Promise<EbaasFake> {
  // Distinctive defaults (the document's own are "aaa"/"bbb"), so a leak test cannot pass by accident.
  const clientId = options.clientId ?? 'etc-client-aaa';
  const clientSecret = options.clientSecret ?? 'etc-secret-bbb-5f0c1e9a7d';
  const lifetimeSeconds = options.lifetimeSeconds ?? 7201;
  const now = options.now ?? Date.now;
  const issued: string[] = [];
  const requestIds: string[] = [];

  const envelope = (code: string, msg: string, data: unknown): FakeResponse => {
    const requestId = randomUUID();
    requestIds.push(requestId);
    // Ruling 4: the error envelopes come with HTTP 200, like the token.
    return { status: 200, json: { request_id: requestId, code, msg, data } };
  };

  const server = await startFakeServer({
    validator: loadSpecValidator('ebaas'),
    now,
    handle(request) {
      if (request.path !== PATH) return { ...springError(now(), 404, 'Not Found'), outsideSpec: true };
      // Spring MVC rejects a method the mapping does not allow before reading any parameter.
      if (request.method !== 'GET') {
        return { ...springError(now(), 405, 'Method Not Allowed', { allow: 'GET' }), outsideSpec: true };
      }
      // `@RequestParam` of a GET reads the query string only: parameters in a body are missing.
      const id = request.query.get('client_id');
      const secret = request.query.get('client_secret');
      if (id === null || secret === null) return springError(now(), 400, 'Bad Request');
      if (id !== clientId) return envelope('403006', 'client_id不正确', null);
      if (secret !== clientSecret) return envelope('403007', 'client_secret不正确', null);

      const iat = Math.floor(now() / 1000);
      const payload = Buffer.from(JSON.stringify({ jti: 'account', iat, iss: 'oauth_access_token' })).toString('base64url');
      // A random signature keeps tokens issued within one second distinct (a real one is an HMAC).
      const accessToken = `${JWT_HEADER}.${payload}.${randomBytes(32).toString('base64url')}`;
      issued.push(accessToken);
      return envelope('000', '成功', { access_token: accessToken, expired: formatEbaasTime((iat + lifetimeSeconds) * 1000) });
    },
  });
  return Object.assign(server, { clientId, clientSecret, issued, requestIds });
}

/** How the conformance suites drive ebaas (see `ConformanceCase`). */
export const conformanceCase: ConformanceCase = {
  vendor: 'ebaas',
  async start(now, vendorModule) {
    const fake = await startEbaasFake({ now, clientSecret: conformanceSecret('ebaas') });
    return clientCredentialsSession('ebaas', fake, vendorModule['createEbaasClient'], now);
  },
  breakage: {
    wrongTypes: (json) => ({ ...json, data: { access_token: 12345, expired: 1623998606 } }),
    missingToken: (json) => ({ ...json, data: { expired: json.data.expired } }),
    // `expired` is absolute: a lifetime of n seconds is the receive time plus n, in UTC+08:00.
    lifetime: (json, seconds) => ({ ...json, data: { ...json.data, expired: shiftEbaasTime(json.data.expired, seconds - 7201) } }),
    token: (json, value) => ({ ...json, data: { ...json.data, access_token: value } }),
    failure: { change: (json) => ({ ...json, code: '403007', msg: 'client_secret不正确', data: null }), code: 'invalid_client' },
  },
};

/** Moves an ebaas `YYYY-MM-DD HH:mm:ss` (UTC+08:00) time by `seconds`. */
function shiftEbaasTime(value: string, seconds: number): string {
  const utc8 = Date.parse(`${value.replace(' ', 'T')}+08:00`) + seconds * 1000;
  return new Date(utc8 + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}
