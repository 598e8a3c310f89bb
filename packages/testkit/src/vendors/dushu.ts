import { randomBytes, randomUUID } from 'node:crypto';
import { startFakeServer, type FakeResponse, type FakeServer } from '../fake-server.js';
import { loadSpecValidator } from '../spec-validator.js';
import { clientCredentialsSession, conformanceSecret, type ConformanceCase } from '../conformance-case.js';

/** Options of {@link startDushuFake}. */
export interface DushuFakeOptions {
  clientId?: string;
  clientSecret?: string;
  /** The `expiresIn` of issued tokens, seconds. Default 7199, as in the document. */
  expiresIn?: number;
  /** The fake's clock (drives `expiration` and the `Date` header). */
  now?: () => number;
}

/** A fake dushu open platform: `POST /oauth/token` with query-string credentials, Spring OAuth2 answers. */
export interface DushuFake extends FakeServer {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Access tokens issued, in order. */
  readonly issued: string[];
}

const oauthError = (status: number, error: string, description: string): FakeResponse => ({
  status,
  json: { error, error_description: description },
});

/** Starts a fake dushu server on 127.0.0.1 that follows the vendor document and its rulings. */
export async function startDushuFake(options: DushuFakeOptions = {}): Promise<DushuFake> {
  const clientId = options.clientId ?? 'fd01111cd6726d2222';
  const clientSecret = options.clientSecret ?? 'ca70d1f641c7fc2b3b9fd1fb3287e646b83014a0';
  const now = options.now ?? Date.now;
  const issued: string[] = [];
  const server = await startFakeServer({
    validator: loadSpecValidator('dushu'),
    now,
    handle(request) {
      if (request.path !== '/oauth/token') return { status: 404, json: { error: 'not_found' }, outsideSpec: true };
      if (request.method !== 'POST') {
        return { ...oauthError(405, 'method_not_allowed', `Request method '${request.method}' not supported`), outsideSpec: true };
      }
      // Spring Security reads the parameters from the query string; a body is ignored.
      const query = request.query;
      if (query.get('client_id') !== clientId || query.get('client_secret') !== clientSecret) {
        return oauthError(401, 'invalid_client', 'Bad client credentials');
      }
      const grantType = query.get('grant_type');
      if (!grantType) return oauthError(400, 'invalid_request', 'Missing grant type');
      if (grantType !== 'client_credentials') return oauthError(400, 'unsupported_grant_type', `Unsupported grant type: ${grantType}`);
      const expiresIn = options.expiresIn ?? 7199;
      // Real tokens are JWTs that need 512+ characters of storage: issue long ones so truncation would show.
      const value = `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.${randomBytes(420).toString('base64url')}.${randomBytes(32).toString('base64url')}`;
      issued.push(value);
      return {
        status: 200,
        json: {
          additionalInformation: { jti: randomUUID() },
          expiration: now() + expiresIn * 1000,
          expired: false,
          expiresIn,
          scope: ['ALL'],
          tokenType: 'bearer',
          value,
        },
      };
    },
  });
  return Object.assign(server, { clientId, clientSecret, issued });
}

/** How the conformance suites drive dushu (see `ConformanceCase`). */
export const conformanceCase: ConformanceCase = {
  vendor: 'dushu',
  async start(now, vendorModule) {
    const fake = await startDushuFake({ now, clientSecret: conformanceSecret('dushu') });
    return clientCredentialsSession('dushu', fake, vendorModule['createDushuClient'], now);
  },
  breakage: {
    wrongTypes: (json) => ({ ...json, value: ['not', 'a', 'string'], expiresIn: { seconds: 7199 } }),
    missingToken: ({ value, ...rest }) => rest,
    lifetime: (json, seconds) => ({ ...json, expiresIn: seconds }),
    token: (json, value) => ({ ...json, value }),
    failure: { change: () => ({ error: 'invalid_client', error_description: 'Bad client credentials' }), code: 'invalid_client' },
  },
};
