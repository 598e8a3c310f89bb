import { randomBytes } from 'node:crypto';
import { startFakeServer, type FakeResponse, type FakeServer, type RecordedRequest } from '../fake-server.js';
import { loadSpecValidator } from '../spec-validator.js';
import { conformanceSecret, type CommonOptions, type ConformanceCase } from '../conformance-case.js';

/** Options of {@link startAkubelaFake}. */
export interface AkubelaFakeOptions {
  /** The client id the fake accepts. Default: the document's example id. */
  clientId?: string;
  /** The client secret the fake accepts. Default: the document's example secret. */
  clientSecret?: string;
  /** The `expires_in` of issued tokens when the request asks for none, seconds. Default 3600, as in the document. */
  expiresIn?: number;
  /** The longest lifetime granted, seconds; a longer `expires_in` request is shortened to it. Default 30 days. */
  maxExpiresIn?: number;
  /** The scopes this client may ask for. Default `['hotel']`. */
  scopes?: string[];
  /** How long a refresh token lives unspent, seconds. Default: until it is spent or revoked. */
  refreshTokenLifetime?: number;
  /** The fake's clock (drives `timestamp`, the `Date` header and refresh-token expiry). */
  now?: () => number;
}

/** How many token requests of each grant the fake answered with a token. */
export interface AkubelaGrantCounts {
  client_credentials: number;
  refresh_token: number;
}

/**
 * A fake Akubela cloud open ability: `POST /api/v1.0/invoke/open-ability/method/oauth2/token` with a form body,
 * answers in the `{ success, timestamp, result }` envelope, and **rotating** refresh tokens that die once spent.
 *
 * Refusals use the shape the spec assumes (ruling 6): `{ success: false, timestamp, error, error_description }`
 * with 400, 401 or 415. A refused refresh token is echoed in the message, as Spring Security OAuth2 does.
 *
 * An injected fault is answered instead of the normal answer, but the normal answer is still computed: a
 * refresh hit by a `reset` fault has spent its refresh token, as on a real server whose answer is lost.
 */
export interface AkubelaFake extends FakeServer {
  /** The client id the fake accepts. */
  readonly clientId: string;
  /** The client secret the fake accepts. */
  readonly clientSecret: string;
  /** Access tokens issued, in order. */
  readonly issued: string[];
  /** Refresh tokens issued, in order (each access token's companion, same index). */
  readonly issuedRefreshTokens: string[];
  /** Tokens issued per grant. */
  readonly grants: AkubelaGrantCounts;
  /**
   * Refresh requests that presented a refresh token that was already spent or was never issued. A correct
   * client of a rotating vendor keeps this at 0 (unless an answer was lost to a fault: ruling 13).
   */
  readonly spentRefreshTokenUses: number;
  /** Refresh requests that presented a refresh token that had outlived `refreshTokenLifetime`. */
  readonly expiredRefreshTokenUses: number;
  /** Refresh requests that presented a refresh token killed by {@link AkubelaFake.revokeRefreshTokens}. */
  readonly revokedRefreshTokenUses: number;
  /** Whether `refreshToken` would be accepted now (issued, unspent, unrevoked, unexpired). */
  isRefreshTokenLive(refreshToken: string): boolean;
  /** Kills every live refresh token, as when the vendor revokes a client's grants. */
  revokeRefreshTokens(): void;
}

/** The document's path of the token endpoint. */
const TOKEN_PATH = '/api/v1.0/invoke/open-ability/method/oauth2/token';

interface RefreshTokenState {
  scope: string;
  issuedAt: number;
  state: 'live' | 'spent' | 'revoked';
}

/** Starts a fake Akubela server on 127.0.0.1 that follows the vendor document and the spec's rulings. */
export async function startAkubelaFake(options: AkubelaFakeOptions = {}): Promise<AkubelaFake> {
  const clientId = options.clientId ?? 'caa0b4dffd57202a157bf46664f93c192';
  const clientSecret = options.clientSecret ?? 's75b058bfd9e4e0659d75b67a03334745';
  const defaultLifetime = options.expiresIn ?? 3600;
  const maxLifetime = options.maxExpiresIn ?? 30 * 86_400;
  const scopes = new Set(options.scopes ?? ['hotel']);
  const now = options.now ?? Date.now;
  const issued: string[] = [];
  const issuedRefreshTokens: string[] = [];
  const grants: AkubelaGrantCounts = { client_credentials: 0, refresh_token: 0 };
  const refreshTokens = new Map<string, RefreshTokenState>();
  const uses = { spent: 0, expired: 0, revoked: 0 };

  const refusal = (status: number, error: string, description: string, outsideSpec = false): FakeResponse => ({
    status,
    json: { success: false, timestamp: now(), error, error_description: description },
    ...(outsideSpec ? { outsideSpec } : {}),
  });

  const expired = (token: RefreshTokenState) =>
    options.refreshTokenLifetime !== undefined && now() >= token.issuedAt + options.refreshTokenLifetime * 1000;

  /** Issues a new pair; the refresh token lives until spent, revoked or expired. */
  function issue(scope: string, lifetime: number, grant: keyof AkubelaGrantCounts): FakeResponse {
    // The document's tokens are a letter and 32 hex digits: `a…` for access, `r…` for refresh tokens.
    const accessToken = `a${randomBytes(16).toString('hex')}`;
    const refreshToken = `r${randomBytes(16).toString('hex')}`;
    issued.push(accessToken);
    issuedRefreshTokens.push(refreshToken);
    refreshTokens.set(refreshToken, { scope, issuedAt: now(), state: 'live' });
    grants[grant] += 1;
    return {
      status: 200,
      json: {
        success: true,
        timestamp: now(),
        result: { access_token: accessToken, refresh_token: refreshToken, token_type: 'bearer', expires_in: lifetime },
      },
    };
  }

  /** Spends a refresh token: the old one dies before the new pair exists, so it can never be used twice. */
  function refresh(form: Map<string, string>, lifetime: number): FakeResponse {
    const presented = form.get('refresh_token');
    if (!presented) return refusal(400, 'invalid_request', 'Missing refresh token');
    const token = refreshTokens.get(presented);
    if (!token || token.state === 'spent') {
      uses.spent += 1;
      return refusal(400, 'invalid_grant', `Invalid refresh token: ${presented}`);
    }
    if (token.state === 'revoked') {
      uses.revoked += 1;
      return refusal(400, 'invalid_grant', `Invalid refresh token: ${presented}`);
    }
    if (expired(token)) {
      uses.expired += 1;
      return refusal(400, 'invalid_grant', `Invalid refresh token (expired): ${presented}`);
    }
    token.state = 'spent';
    return issue(token.scope, lifetime, 'refresh_token');
  }

  function handle(request: RecordedRequest): FakeResponse {
    if (request.path !== TOKEN_PATH) return refusal(404, 'not_found', 'No handler found', true);
    if (request.method !== 'POST') {
      return refusal(405, 'method_not_allowed', `Request method '${request.method}' not supported`, true);
    }
    // RFC 6749 §2.3.1: credentials must not travel in the URL. The server refuses rather than ignores them.
    if ([...request.query.keys()].length > 0) {
      return refusal(400, 'invalid_request', 'Parameters must be passed in the body of the request');
    }
    if (request.mediaType !== 'application/x-www-form-urlencoded') {
      return refusal(415, 'invalid_request', `Content type '${request.mediaType ?? ''}' not supported`);
    }
    const { form } = request;
    if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret) {
      return refusal(401, 'invalid_client', 'Bad client credentials');
    }
    const grantType = form.get('grant_type');
    if (!grantType) return refusal(400, 'invalid_request', 'Missing grant type');
    if (grantType !== 'client_credentials' && grantType !== 'refresh_token') {
      return refusal(400, 'unsupported_grant_type', `Unsupported grant type: ${grantType}`);
    }
    const asked = form.get('expires_in');
    if (asked !== undefined && !/^[1-9]\d{0,9}$/.test(asked)) {
      return refusal(400, 'invalid_request', 'expires_in must be a positive integer');
    }
    const lifetime = asked === undefined ? defaultLifetime : Math.min(Number(asked), maxLifetime);
    if (grantType === 'refresh_token') return refresh(form, lifetime);
    const scope = form.get('scope');
    if (!scope) return refusal(400, 'invalid_scope', 'Empty scope');
    const refused = scope.split(' ').find((item) => !scopes.has(item));
    if (refused !== undefined) return refusal(400, 'invalid_scope', `Invalid scope: ${refused}`);
    return issue(scope, lifetime, 'client_credentials');
  }

  const server = await startFakeServer({ validator: loadSpecValidator('akubela'), now, handle });
  return {
    ...server,
    clientId,
    clientSecret,
    issued,
    issuedRefreshTokens,
    grants,
    get spentRefreshTokenUses() {
      return uses.spent;
    },
    get expiredRefreshTokenUses() {
      return uses.expired;
    },
    get revokedRefreshTokenUses() {
      return uses.revoked;
    },
    isRefreshTokenLive(refreshToken) {
      const token = refreshTokens.get(refreshToken);
      return token !== undefined && token.state === 'live' && !expired(token);
    },
    revokeRefreshTokens() {
      for (const token of refreshTokens.values()) if (token.state === 'live') token.state = 'revoked';
    },
  };
}

/** How the conformance suites drive akubela (see `ConformanceCase`). */
export const conformanceCase: ConformanceCase = {
  vendor: 'akubela',
  async start(now, vendorModule) {
    const createAkubelaClient = vendorModule['createAkubelaClient'] as (options: object) => any;
    const fake = await startAkubelaFake({ now, clientSecret: conformanceSecret('akubela') });
    const make = (o: CommonOptions = {}) => createAkubelaClient({ clientId: fake.clientId, clientSecret: fake.clientSecret, baseUrl: fake.url, clock: { now }, ...o });
    return {
      fake,
      secrets: () => [fake.clientSecret, ...fake.issued, ...fake.issuedRefreshTokens],
      call: (o) => make(o).requestToken(),
      provider: async (o, settings) => make(o).tokenProvider(settings),
      clients: (o) => [make(o)],
      async prepare(grant = 'client_credentials') {
        const client = make();
        if (grant === 'client_credentials') return () => client.requestToken();
        if (grant !== 'refresh_token') throw new Error(`akubela has no grant ${grant}`);
        const { refreshToken } = await client.requestToken();
        return () => client.refresh(refreshToken);
      },
    };
  },
  breakage: {
    wrongTypes: (json) => ({ ...json, result: { ...json.result, access_token: 7, expires_in: [3600] } }),
    missingToken: (json) => ({ ...json, result: { ...json.result, access_token: undefined } }),
    lifetime: (json, seconds) => ({ ...json, result: { ...json.result, expires_in: seconds } }),
    token: (json, value) => ({ ...json, result: { ...json.result, access_token: value } }),
    failure: { change: (json) => ({ success: false, timestamp: json.timestamp, error: 'invalid_client', error_description: 'bad client' }), code: 'invalid_client' },
  },
};
