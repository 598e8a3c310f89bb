import { randomBytes } from 'node:crypto';
import { startFakeServer, type FakeResponse, type FakeServer, type RecordedRequest } from '../fake-server.js';
import { loadSpecValidator } from '../spec-validator.js';
import type { TokenSet } from '@token-clients/core';
import { conformanceSecret, type CommonOptions, type ConformanceCase } from '../conformance-case.js';

/** Options of {@link startWpsFake}. */
export interface WpsFakeOptions {
  /** The APPID the fake accepts. */
  clientId?: string;
  /** The APPKEY the fake accepts. */
  clientSecret?: string;
  /** The `expires_in` of issued access tokens, seconds. Default 7200 (2 hours), as in the document. */
  expiresIn?: number;
  /** The `refresh_expires_in` of issued refresh tokens, seconds. Default 2592000 (30 days), as in the document. */
  refreshExpiresIn?: number;
  /** How long an authorization code can be exchanged, seconds. Default 600. */
  codeExpiresIn?: number;
  /**
   * Whether every refresh issues a new refresh token and spends the old one. Default `true`. When `false`,
   * refresh answers carry no refresh fields and the refresh token stays valid (ruling 4).
   */
  rotateRefreshTokens?: boolean;
  /** The fake's clock (drives code and refresh-token expiry and the `Date` header). */
  now?: () => number;
}

/**
 * A fake WPS 365 open platform: `POST /oauth2/token` with an `application/x-www-form-urlencoded` body and
 * the authorization-code, refresh-token and client-credentials grants; failures are `{code, msg}`.
 */
export interface WpsFake extends FakeServer {
  readonly clientId: string;
  readonly clientSecret: string;
  /**
   * Issues an authorization code, as the authorization redirect would carry it: single use, bound to
   * `redirectUri`, valid for `codeExpiresIn` seconds.
   */
  issueCode(options: { redirectUri: string }): string;
  /** Makes a refresh token unusable, as a user revoking the app's access would. */
  revokeRefreshToken(refreshToken: string): void;
  /** Access tokens issued (every grant), in order. */
  readonly issued: string[];
  /** Refresh tokens issued, in order. */
  readonly issuedRefreshTokens: string[];
  /**
   * Refresh requests that presented a refresh token already spent by rotation, or never issued. A client
   * that commits rotated refresh tokens correctly keeps this at 0.
   */
  readonly spentRefreshTokenUses: number;
  /** Code exchanges that presented a code already exchanged. */
  readonly spentCodeUses: number;
}

/**
 * The fake's error codes. WPS's own status-code list is not available, so these are the fake's inventions;
 * clients must not depend on them (the spec's ruling 5 classifies by status and grant only).
 */
const ERRORS = {
  invalidRequest: 40000,
  invalidClient: 40001,
  invalidCode: 40002,
  invalidRefreshToken: 40003,
  unsupportedGrantType: 40004,
} as const;

const failure = (status: number, code: number, msg: string): FakeResponse => ({ status, json: { code, msg } });

const REQUIRED: Record<string, readonly string[]> = {
  authorization_code: ['client_id', 'client_secret', 'code', 'redirect_uri'],
  refresh_token: ['client_id', 'client_secret', 'refresh_token'],
  client_credentials: ['client_id', 'client_secret'],
};

interface CodeGrant {
  redirectUri: string;
  expiresAt: number;
  spent: boolean;
}

interface RefreshGrant {
  expiresAt: number;
  spent: boolean;
  revoked: boolean;
}

/** A JWT-shaped opaque token, long enough that truncation by a client would show. */
const jwtLike = () => `eyJhbGciOiJFUzI1NiJ9.${randomBytes(180).toString('base64url')}.${randomBytes(64).toString('base64url')}`;

/** Starts a fake WPS 365 server on 127.0.0.1 that follows the vendor document and the spec's rulings. */
export async function startWpsFake(options: WpsFakeOptions = {}): Promise<WpsFake> {
  const clientId = options.clientId ?? 'AK20241122WPSFAKE';
  const clientSecret = options.clientSecret ?? '6f0c1d9b8e7a4c3b2a1f0e9d8c7b6a5f';
  const expiresIn = options.expiresIn ?? 7200;
  const refreshExpiresIn = options.refreshExpiresIn ?? 2_592_000;
  const codeExpiresIn = options.codeExpiresIn ?? 600;
  const rotate = options.rotateRefreshTokens ?? true;
  const now = options.now ?? Date.now;
  const codes = new Map<string, CodeGrant>();
  const refreshTokens = new Map<string, RefreshGrant>();
  const issued: string[] = [];
  const issuedRefreshTokens: string[] = [];
  let spentRefreshTokenUses = 0;
  let spentCodeUses = 0;

  function accessToken(): string {
    const token = jwtLike();
    issued.push(token);
    return token;
  }

  function userToken(): FakeResponse {
    const refreshToken = jwtLike();
    refreshTokens.set(refreshToken, { expiresAt: now() + refreshExpiresIn * 1000, spent: false, revoked: false });
    issuedRefreshTokens.push(refreshToken);
    return {
      status: 200,
      json: {
        access_token: accessToken(),
        expires_in: expiresIn,
        refresh_token: refreshToken,
        refresh_expires_in: refreshExpiresIn,
        token_type: 'bearer',
      },
    };
  }

  function exchange(form: Map<string, string>): FakeResponse {
    const grant = codes.get(form.get('code')!);
    if (!grant) return failure(400, ERRORS.invalidCode, 'invalid code');
    if (grant.spent) {
      spentCodeUses += 1;
      return failure(400, ERRORS.invalidCode, 'code has been used');
    }
    if (now() >= grant.expiresAt) return failure(400, ERRORS.invalidCode, 'code expired');
    // The code stays usable after a mismatch: the check protects it from being redeemed elsewhere.
    if (grant.redirectUri !== form.get('redirect_uri')) return failure(400, ERRORS.invalidCode, 'redirect_uri mismatch');
    grant.spent = true;
    return userToken();
  }

  function refresh(form: Map<string, string>): FakeResponse {
    const presented = form.get('refresh_token')!;
    const grant = refreshTokens.get(presented);
    if (!grant || grant.spent) {
      spentRefreshTokenUses += 1;
      return failure(400, ERRORS.invalidRefreshToken, 'invalid refresh_token');
    }
    if (grant.revoked) return failure(400, ERRORS.invalidRefreshToken, 'refresh_token revoked');
    if (now() >= grant.expiresAt) return failure(400, ERRORS.invalidRefreshToken, 'refresh_token expired');
    if (!rotate) return { status: 200, json: { access_token: accessToken(), expires_in: expiresIn, token_type: 'bearer' } };
    grant.spent = true;
    return userToken();
  }

  function handle(request: RecordedRequest): FakeResponse {
    if (request.path !== '/oauth2/token') return { ...failure(404, 404, 'not found'), outsideSpec: true };
    if (request.method !== 'POST') return { ...failure(405, 405, 'method not allowed'), outsideSpec: true };
    if (request.mediaType !== 'application/x-www-form-urlencoded') {
      return failure(400, ERRORS.invalidRequest, 'Content-Type must be application/x-www-form-urlencoded');
    }
    // Parameters are read from the body only: a query string is ignored, as the document puts them in the body.
    const form = request.form;
    const grantType = form.get('grant_type');
    if (!grantType) return failure(400, ERRORS.invalidRequest, 'missing parameter: grant_type');
    const required = REQUIRED[grantType];
    if (!required) return failure(400, ERRORS.unsupportedGrantType, 'unsupported grant_type');
    const missing = required.find((name) => !form.get(name));
    if (missing) return failure(400, ERRORS.invalidRequest, `missing parameter: ${missing}`);
    if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret) {
      return failure(401, ERRORS.invalidClient, 'invalid client');
    }
    if (grantType === 'authorization_code') return exchange(form);
    if (grantType === 'refresh_token') return refresh(form);
    return { status: 200, json: { access_token: accessToken(), expires_in: expiresIn, token_type: 'bearer' } };
  }

  const server = await startFakeServer({ validator: loadSpecValidator('wps'), now, handle });
  return Object.defineProperties(server, {
    clientId: { value: clientId, enumerable: true },
    clientSecret: { value: clientSecret, enumerable: true },
    issued: { value: issued, enumerable: true },
    issuedRefreshTokens: { value: issuedRefreshTokens, enumerable: true },
    spentRefreshTokenUses: { get: () => spentRefreshTokenUses, enumerable: true },
    spentCodeUses: { get: () => spentCodeUses, enumerable: true },
    issueCode: {
      value({ redirectUri }: { redirectUri: string }): string {
        const code = `ga${randomBytes(16).toString('hex')}`;
        codes.set(code, { redirectUri, expiresAt: now() + codeExpiresIn * 1000, spent: false });
        return code;
      },
    },
    revokeRefreshToken: {
      value(refreshToken: string): void {
        const grant = refreshTokens.get(refreshToken);
        if (grant) grant.revoked = true;
      },
    },
  }) as WpsFake;
}

/** How the conformance suites drive wps (see `ConformanceCase`). */
export const conformanceCase: ConformanceCase = {
  vendor: 'wps',
  async start(now, vendorModule) {
    const createWpsClient = vendorModule['createWpsClient'] as (options: object) => any;
    const fake = await startWpsFake({ now, clientSecret: conformanceSecret('wps') });
    const make = (o: CommonOptions = {}) => createWpsClient({ clientId: fake.clientId, clientSecret: fake.clientSecret, baseUrl: fake.url, clock: { now }, ...o });
    let userTokens: TokenSet | undefined;
    const codes: string[] = [];
    const issueCode = () => {
      codes.push(fake.issueCode({ redirectUri: 'https://app.example/cb' }));
      return codes.at(-1)!;
    };
    return {
      fake,
      secrets: () => [fake.clientSecret, ...codes, ...fake.issued, ...fake.issuedRefreshTokens],
      call: (o) => make(o).requestToken(),
      async provider(o, settings) {
        const client = make(o);
        userTokens ??= await client.exchangeCode({ code: issueCode(), redirectUri: 'https://app.example/cb' });
        return client.userTokenProvider({ ...settings, subject: 'user-1', initial: userTokens });
      },
      clients: (o) => [make(o)],
      async prepare(grant = 'client_credentials') {
        const client = make();
        if (grant === 'client_credentials') return () => client.requestToken();
        const redirectUri = 'https://app.example/cb';
        if (grant === 'authorization_code') {
          const code = issueCode();
          return () => client.exchangeCode({ code, redirectUri });
        }
        const user: TokenSet = await client.exchangeCode({ code: issueCode(), redirectUri });
        if (grant === 'refresh_token') return () => client.refresh(user.refreshToken);
        if (grant !== 'user-provider') throw new Error(`wps has no grant ${grant}`);
        // An expired access token: the first getToken() refreshes, and meets the replayed answer.
        const initial = { ...user, expiresAt: now() - 1 };
        return async () => {
          const provider = client.userTokenProvider({ subject: 'user-replay', initial });
          try {
            return await provider.getToken();
          } finally {
            await provider.close();
          }
        };
      },
    };
  },
  breakage: {
    wrongTypes: (json) => ({ ...json, access_token: true, expires_in: '2 hours' }),
    missingToken: ({ access_token, ...rest }) => rest,
    lifetime: (json, seconds) => ({ ...json, expires_in: seconds }),
    token: (json, value) => ({ ...json, access_token: value }),
    failure: { change: () => ({ code: 40001, msg: 'invalid client' }), code: 'invalid_client' },
  },
};
