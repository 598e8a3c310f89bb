import { randomBytes, randomUUID } from 'node:crypto';
import {
  clientCredentialsSession,
  conformanceSecret,
  type ClientCredentialsFake,
  type ConformanceCase,
  type CreateClientCredentialsClient,
  type VendorSession,
} from '../conformance-case.js';
import { startFakeServer, type FakeResponse, type RecordedRequest } from '../fake-server.js';
import { loadSpecValidator } from '../spec-validator.js';

/** Options of {@link startWechatFake}. */
export interface WechatFakeOptions {
  /** The account's AppID. */
  clientId?: string;
  /** The account's AppSecret. */
  clientSecret?: string;
  /** The lifetime of issued tokens, seconds. Default 7200, as documented. */
  expiresIn?: number;
  /** Classic-endpoint calls a day before `45009`. Default 2000. */
  classicDailyLimit?: number;
  /** The fake's clock: drives renewal, expiry, the daily limits and the `Date` header. */
  now?: () => number;
}

/**
 * A fake WeChat server following specs/wechat.yaml: `POST /cgi-bin/stable_token` (JSON, the same token until its
 * last 5 minutes, `force_refresh` limits), `GET /cgi-bin/token` (a new token per call, a daily limit) and one API,
 * `GET /cgi-bin/get_api_domain_ip`, that answers a dead token with `{errcode: 40001 | 42001}` in an HTTP 200.
 */
export interface WechatFake extends ClientCredentialsFake {
  /** Every access token issued, by either endpoint, in order. */
  readonly issued: string[];
  /** Requests that reached the stable endpoint / the classic endpoint (faults included). */
  stableCalls(): number;
  classicCalls(): number;
  /** Someone else forced a refresh (a leaked token): the current stable token dies now and a new one is current. */
  forceRefreshElsewhere(): void;
  /** Answers every call with `40164` (the caller's IP is not on the allow-list) while `true`. */
  blockCallerIp(blocked: boolean): void;
}

/** The renewal window of the stable endpoint: a new token only in the last 5 minutes, both valid meanwhile. */
const RENEWAL_MS = 5 * 60_000;
/** Forced refreshes: 20 a day, at least 30 s apart (ruling 2). */
const FORCED_PER_DAY = 20;
const FORCED_INTERVAL_MS = 30_000;
/** WeChat's quota day is China's (UTC+08:00). */
const dayOf = (time: number) => new Date(time + 8 * 3_600_000).toISOString().slice(0, 10);

interface IssuedToken {
  value: string;
  /** Until then the platform accepts it. */
  validUntil: number;
}

/** Starts a fake WeChat server on 127.0.0.1. */
export async function startWechatFake(options: WechatFakeOptions = {}): Promise<WechatFake> {
  const clientId = options.clientId ?? 'wx6f8b2b4d3c1a9e07';
  const clientSecret = options.clientSecret ?? randomBytes(16).toString('hex');
  const now = options.now ?? Date.now;
  const lifetimeMs = (options.expiresIn ?? 7200) * 1000;
  const classicDailyLimit = options.classicDailyLimit ?? 2000;
  const issued: string[] = [];
  /** Every token ever issued, with the time it stops being accepted (earlier when ended). */
  const tokens = new Map<string, IssuedToken>();
  let stable: IssuedToken | undefined;
  let classic: IssuedToken | undefined;
  let forced = { day: '', count: 0, last: Number.NEGATIVE_INFINITY };
  let classicUse = { day: '', count: 0 };
  const calls = { stable: 0, classic: 0 };
  let blocked = false;

  const envelope = (errcode: number, errmsg: string): FakeResponse => ({
    status: 200,
    json: { errcode, errmsg: `${errmsg} rid: ${randomUUID().slice(0, 8)}-${randomUUID().slice(0, 8)}` },
  });
  const issue = (): IssuedToken => {
    // Real tokens are long and opaque (512 characters of room are asked for): long ones show a truncation.
    const token = { value: `84_${randomBytes(96).toString('base64url')}`, validUntil: now() + lifetimeMs };
    issued.push(token.value);
    tokens.set(token.value, token);
    return token;
  };
  const answer = (token: IssuedToken): FakeResponse => ({
    status: 200,
    json: { access_token: token.value, expires_in: Math.floor((token.validUntil - now()) / 1000) },
  });
  /** Ends `token` at `at` (now, or when the 5-minute overlap runs out), never later than it would have. */
  const end = (token: IssuedToken | undefined, at: number) => {
    if (token) token.validUntil = Math.min(token.validUntil, at);
  };
  const credentialsProblem = (appid: unknown, secret: unknown, wrongSecret: number): FakeResponse | undefined => {
    if (blocked) return envelope(40164, 'invalid ip 203.0.113.7 ipv6 ::ffff:203.0.113.7, not in whitelist');
    if (typeof appid !== 'string' || appid === '') return envelope(41002, 'appid missing');
    if (typeof secret !== 'string' || secret === '') return envelope(41004, 'appsecret missing');
    if (appid !== clientId) return envelope(40013, 'invalid appid');
    if (secret !== clientSecret) return envelope(wrongSecret, wrongSecret === 40125 ? 'invalid appsecret' : 'invalid credential, access_token is invalid or not latest');
    return undefined;
  };

  function stableToken(request: RecordedRequest): FakeResponse {
    calls.stable += 1;
    if (request.method !== 'POST') return { ...envelope(43002, 'require POST method'), outsideSpec: true };
    let body: Record<string, unknown>;
    try {
      if (request.mediaType !== 'application/json') throw new Error('not JSON');
      body = JSON.parse(request.rawBody.toString('utf8')) as Record<string, unknown>;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('not an object');
    } catch {
      // "该接口仅支持 POST JSON 形式的调用": a form or a query string is not read.
      return envelope(47001, 'data format error');
    }
    if (body['grant_type'] !== 'client_credential') return envelope(40002, 'invalid grant_type');
    const problem = credentialsProblem(body['appid'], body['secret'], 40125);
    if (problem) return problem;
    const force = body['force_refresh'];
    if (force !== undefined && typeof force !== 'boolean') return envelope(47001, 'data format error');
    const time = now();
    if (force === true) {
      if (forced.day !== dayOf(time)) forced = { day: dayOf(time), count: 0, last: Number.NEGATIVE_INFINITY };
      if (forced.count >= FORCED_PER_DAY) return envelope(45009, 'reach max api daily quota limit');
      forced.count += 1;
      // "连续使用该模式时，请保证调用时间隔至少为30s，否则不会刷新": within 30 s, the current token is kept.
      if (stable && stable.validUntil > time && time - forced.last < FORCED_INTERVAL_MS) return answer(stable);
      forced.last = time;
      // Every token but the one being replaced dies at once; that one keeps the usual 5 minutes — so a second
      // forced call 30 s later ends a leaked token for good, as the leak procedure says.
      for (const token of tokens.values()) if (token !== stable && token !== classic) end(token, time);
      end(stable, time + RENEWAL_MS);
      stable = issue();
      return answer(stable);
    }
    if (stable === undefined || stable.validUntil <= time) stable = issue();
    else if (stable.validUntil - time <= RENEWAL_MS) stable = issue(); // the old one lives out its last minutes
    return answer(stable);
  }

  function classicToken(request: RecordedRequest): FakeResponse {
    calls.classic += 1;
    if (request.method !== 'GET') return { ...envelope(43001, 'require GET method'), outsideSpec: true };
    const { query } = request;
    if (query.get('grant_type') !== 'client_credential') return envelope(40002, 'invalid grant_type');
    const problem = credentialsProblem(query.get('appid') ?? undefined, query.get('secret') ?? undefined, 40001);
    if (problem) return problem;
    const time = now();
    if (classicUse.day !== dayOf(time)) classicUse = { day: dayOf(time), count: 0 };
    if (classicUse.count >= classicDailyLimit) return envelope(45009, 'reach max api daily quota limit');
    classicUse.count += 1;
    // "重复获取将导致上次获取的access_token失效" — after the 5 minutes in which both are valid.
    end(classic, time + RENEWAL_MS);
    classic = issue();
    return answer(classic);
  }

  function api(request: RecordedRequest): FakeResponse {
    const value = request.query.get('access_token');
    if (!value) return envelope(41001, 'access_token missing');
    const token = tokens.get(value);
    if (token === undefined) return envelope(40001, 'invalid credential, access_token is invalid or not latest');
    if (token.validUntil <= now()) return envelope(42001, 'access_token expired');
    return { status: 200, json: { dns: ['101.226.103.0/25', '101.226.233.128/25'] } };
  }

  const server = await startFakeServer({
    validator: loadSpecValidator('wechat'),
    now,
    handle(request) {
      if (request.path === '/cgi-bin/stable_token') return stableToken(request);
      if (request.path === '/cgi-bin/token') return classicToken(request);
      if (request.path === '/cgi-bin/get_api_domain_ip' && request.method === 'GET') return api(request);
      return { status: 404, json: { errcode: 404, errmsg: 'not found' }, outsideSpec: true };
    },
  });
  return Object.assign(server, {
    clientId,
    clientSecret,
    issued,
    stableCalls: () => calls.stable,
    classicCalls: () => calls.classic,
    forceRefreshElsewhere() {
      end(stable, now());
      stable = issue();
    },
    blockCallerIp(value: boolean) {
      blocked = value;
    },
  });
}

/**
 * The session of the conformance suites: the stable endpoint, as for every client-credentials vendor, plus the
 * classic endpoint — as the grant `classic` for the error table's replays, and among the clients that must not
 * show a secret.
 */
function wechatSession(fake: WechatFake, createClient: CreateClientCredentialsClient, now: () => number): VendorSession {
  const session = clientCredentialsSession('wechat', fake, createClient, now);
  const classic = (options: object = {}) =>
    createClient({ clientId: fake.clientId, clientSecret: fake.clientSecret, baseUrl: fake.url, clock: { now }, ...options, endpoint: 'classic' });
  return {
    ...session,
    clients: (options) => [...session.clients(options), classic(options)],
    prepare: async (grant) => (grant === 'classic' ? () => classic().requestToken() : session.prepare(grant)),
  };
}

/** How the conformance suites (fault matrix, secrets, transport, error table) drive WeChat. */
export const conformanceCase: ConformanceCase = {
  vendor: 'wechat',
  async start(now, vendorModule) {
    const fake = await startWechatFake({ now, clientSecret: conformanceSecret('wechat') });
    return wechatSession(fake, vendorModule['createWechatClient'], now);
  },
  breakage: {
    wrongTypes: (json) => ({ ...json, access_token: 42, expires_in: 'two hours' }),
    missingToken: ({ access_token, ...rest }) => rest,
    lifetime: (json, seconds) => ({ ...json, expires_in: seconds }),
    token: (json, value) => ({ ...json, access_token: value }),
    failure: { change: () => ({ errcode: 40125, errmsg: 'invalid appsecret rid: 6746b9a3-5e4c1f2a' }), code: 'invalid_client' },
  },
};
