import { randomBytes } from 'node:crypto';
import { startFakeServer, type FakeResponse, type FakeServer, type RecordedRequest } from '../fake-server.js';
import { loadSpecValidator } from '../spec-validator.js';
import type { TokenSet } from '@token-clients/core';
import { conformanceSecret, type CommonOptions, type ConformanceCase } from '../conformance-case.js';

/** Options of {@link startFantemFake}. */
export interface FantemFakeOptions {
  /** The client id the gateway knows. A request that names another one is refused. */
  clientId?: string;
  /** The `expires_in` of issued access tokens, seconds. Default 36000, as in the document's example. */
  expiresIn?: number;
  /**
   * How `expires_in` is sent: a number, as in the document's example (default), or a string of digits, as
   * its parameter table says (ruling 1).
   */
  expiresInAs?: 'number' | 'string';
  /**
   * The body of a 400: a short plain text naming the problem, after the document's list of errors
   * (`code不存在`; default), or nothing at all. No error body is documented.
   */
  errorBody?: 'text' | 'empty';
  /** The fake's clock (drives the `Date` header and `issued[].issuedAt`). */
  now?: () => number;
}

/** One token the fake issued. */
interface FantemIssuedToken {
  /** The grant that produced it. */
  grantType: 'authorization_code' | 'refresh_token';
  accessToken: string;
  /** The refresh token issued with it (authorization code) or used for it (refresh: it does not rotate). */
  refreshToken: string;
  /** Its lifetime, seconds. */
  expiresIn: number;
  /** When it was issued, epoch ms on the fake's clock. */
  issuedAt: number;
}

/**
 * A fake Fantem gateway: `POST /oauth/token` with the fields in a `multipart/form-data` or urlencoded body,
 * single-use codes, refresh tokens that do not rotate, and bare 400s for everything it refuses.
 */
export interface FantemFake extends FakeServer {
  readonly clientId: string;
  /** Tokens issued, in order. */
  readonly issued: FantemIssuedToken[];
  /**
   * Token requests by outcome: codes exchanged, refreshes granted, requests refused with a 400. A request
   * whose answer an injected fault replaced still counts (the server did the work; the answer was lost).
   * `requests.length` counts everything, faults and wrong paths included.
   */
  readonly counts: { authorizationCode: number; refreshToken: number; rejected: number };
  /**
   * Issues a single-use authorization code, as the gateway's authorization page would after the user's
   * consent. When `redirectUri` is given, the exchange must send the same `redirect_uri` (RFC 6749 §4.1.3).
   */
  issueCode(options?: { redirectUri?: string }): string;
  /** Makes a refresh token unknown, as when the user unlinks the account; `false` if it was not known. */
  revokeRefreshToken(refreshToken: string): boolean;
}

/** Uppercase hex, like the document's 32-character tokens (whatever its `String(16)` says — ruling 2). */
const token = () => randomBytes(16).toString('hex').toUpperCase();

/** Starts a fake Fantem gateway on 127.0.0.1 that follows the vendor document and its rulings. */
export async function startFantemFake(options: FantemFakeOptions = {}): Promise<FantemFake> {
  const clientId = options.clientId ?? 'fantem-alexa-skill';
  const expiresIn = options.expiresIn ?? 36000;
  const now = options.now ?? Date.now;
  const issued: FantemIssuedToken[] = [];
  const counts = { authorizationCode: 0, refreshToken: 0, rejected: 0 };
  /** Unspent codes and the redirect URI each was issued for. */
  const codes = new Map<string, { redirectUri?: string }>();
  const refreshTokens = new Set<string>();

  const refuse = (problem: string): FakeResponse => {
    counts.rejected += 1;
    return options.errorBody === 'empty'
      ? { status: 400, body: '' }
      : { status: 400, headers: { 'content-type': 'text/plain;charset=UTF-8' }, body: problem };
  };

  const grant = (grantType: FantemIssuedToken['grantType'], refreshToken: string): FakeResponse => {
    const accessToken = token();
    issued.push({ grantType, accessToken, refreshToken, expiresIn, issuedAt: now() });
    const lifetime = options.expiresInAs === 'string' ? String(expiresIn) : expiresIn;
    // The refresh answer carries no refresh token: the one sent stays valid (document; ruling 5).
    const json = grantType === 'authorization_code'
      ? { access_token: accessToken, refresh_token: refreshToken, expires_in: lifetime }
      : { access_token: accessToken, expires_in: lifetime };
    return { status: 200, json };
  };

  function exchangeCode(form: Map<string, string>): FakeResponse {
    const code = form.get('code');
    const issuedFor = code === undefined ? undefined : codes.get(code);
    if (!issuedFor) return refuse('code不存在');
    if (issuedFor.redirectUri !== undefined && form.get('redirect_uri') !== issuedFor.redirectUri) return refuse('redirect_uri错误');
    codes.delete(code!);
    counts.authorizationCode += 1;
    const refreshToken = token();
    refreshTokens.add(refreshToken);
    return grant('authorization_code', refreshToken);
  }

  function refresh(form: Map<string, string>): FakeResponse {
    const refreshToken = form.get('refresh_token');
    if (refreshToken === undefined || !refreshTokens.has(refreshToken)) return refuse('refreshToken不存在');
    counts.refreshToken += 1;
    return grant('refresh_token', refreshToken);
  }

  function handle(request: RecordedRequest): FakeResponse {
    if (request.path !== '/oauth/token') return { status: 404, body: 'Not Found', outsideSpec: true };
    if (request.method !== 'POST') return { status: 405, body: 'Method Not Allowed', outsideSpec: true };
    // The gateway reads its parameters from a form body only (multipart, as documented, or urlencoded, as
    // Alexa sends it — ruling 4); a JSON body or a query string leaves it without a grant_type.
    const { form } = request;
    const sentClientId = form.get('client_id');
    // client_id is optional (document), but a code or refresh token belongs to the client it was issued to.
    if (sentClientId !== undefined && sentClientId !== clientId) {
      return refuse(form.get('grant_type') === 'refresh_token' ? 'refreshToken不存在' : 'code不存在');
    }
    switch (form.get('grant_type')) {
      case 'authorization_code':
        return exchangeCode(form);
      case 'refresh_token':
        return refresh(form);
      default:
        return refuse('grant_type错误');
    }
  }

  const server = await startFakeServer({ validator: loadSpecValidator('fantem'), now, handle });
  return Object.assign(server, {
    clientId,
    issued,
    counts,
    issueCode({ redirectUri }: { redirectUri?: string } = {}) {
      // 16 lowercase hex digits, like the document's `bcb09cffbe2c4d31`.
      const code = randomBytes(8).toString('hex');
      codes.set(code, redirectUri === undefined ? {} : { redirectUri });
      return code;
    },
    revokeRefreshToken(refreshToken: string) {
      return refreshTokens.delete(refreshToken);
    },
  });
}

/** How the conformance suites drive fantem (see `ConformanceCase`). */
export const conformanceCase: ConformanceCase = {
  vendor: 'fantem',
  async start(now, vendorModule) {
    const createFantemClient = vendorModule['createFantemClient'] as (options: object) => any;
    const fake = await startFantemFake({ now });
    const clientSecret = conformanceSecret('fantem');
    const make = (o: CommonOptions = {}) => createFantemClient({ clientId: fake.clientId, clientSecret, baseUrl: fake.url, clock: { now }, ...o });
    let linked: TokenSet | undefined;
    const codes: string[] = [];
    const link = async (o?: CommonOptions) => {
      codes.push(fake.issueCode({ redirectUri: 'https://layla.example/cb' }));
      return (linked ??= await make({ ...o, timeoutMs: 5_000 }).exchangeCode({ code: codes.at(-1)!, redirectUri: 'https://layla.example/cb' }));
    };
    return {
      fake,
      secrets: () => [clientSecret, ...codes, ...fake.issued.flatMap((t) => [t.accessToken, t.refreshToken])],
      // Fantem has only user tokens: the raw call is a refresh with a linked account's refresh token.
      call: async (o) => make(o).refresh((await link()).refreshToken!),
      provider: async (o, settings) => make(o).userTokenProvider({ ...settings, subject: 'alexa-user', initial: await link() }),
      clients: (o) => [make(o)],
      async prepare(grant = 'refresh_token') {
        const client = make();
        if (grant === 'authorization_code') {
          codes.push(fake.issueCode({ redirectUri: 'https://layla.example/cb' }));
          const code = codes.at(-1)!;
          return () => client.exchangeCode({ code, redirectUri: 'https://layla.example/cb' });
        }
        const user = await link();
        if (grant === 'refresh_token') return () => client.refresh(user.refreshToken!);
        if (grant !== 'user-provider') throw new Error(`fantem has no grant ${grant}`);
        // An expired access token: the first getToken() refreshes, and meets the replayed answer.
        const initial = { ...user, expiresAt: now() - 1 };
        return async () => {
          const provider = client.userTokenProvider({ subject: 'alexa-replay', initial });
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
    wrongTypes: (json) => ({ ...json, access_token: null, expires_in: 'forever' }),
    missingToken: ({ access_token, ...rest }) => rest,
    lifetime: (json, seconds) => ({ ...json, expires_in: seconds }),
    token: (json, value) => ({ ...json, access_token: value }),
    // Fantem documents only a bare 400; with a refresh token sent it means that token is dead (ruling 6).
    failure: { change: () => 'refreshToken不存在', status: 400, code: 'invalid_grant' },
  },
};
