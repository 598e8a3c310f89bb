import { randomBytes } from 'node:crypto';
import { clientCredentialsSession, conformanceSecret, type ClientCredentialsFake, type ConformanceCase } from '../conformance-case.js';
import { startFakeServer, type FakeResponse, type RecordedRequest } from '../fake-server.js';
import { loadSpecValidator } from '../spec-validator.js';

/** Options of {@link startWecomFake}. */
export interface WecomFakeOptions {
  /** The corp's id (企业ID). */
  clientId?: string;
  /** The first application's secret (the one `clientSecret` names). */
  clientSecret?: string;
  /** More applications of the corp: AgentId → secret. */
  otherApplications?: Record<string, string>;
  /** The lifetime of issued tokens, seconds. Default 7200. */
  expiresIn?: number;
  /** `gettoken` calls per secret within one minute before WeCom's throttle answers `45009`. Default 30. */
  callsPerMinute?: number;
  /** The fake's clock: drives expiry, the throttle and the `Date` header. */
  now?: () => number;
}

/**
 * A fake WeCom server following specs/wecom.yaml: `GET /cgi-bin/gettoken` hands out one token per (corpid, secret),
 * the same one while it is valid and a new one after it expires, throttles frequent calls, and can end a token
 * early; `GET /cgi-bin/get_api_domain_ip` answers a dead token with `{errcode: 40014 | 42001}` in an HTTP 200.
 */
export interface WecomFake extends ClientCredentialsFake {
  /** The AgentId of the application `clientSecret` belongs to. */
  readonly application: string;
  /** What a client needs beyond `clientId`, `clientSecret` and `baseUrl`: `{ application }` (scripts spread it in). */
  readonly clientOptions: { application: string };
  /** Every access token issued, to any application, in order. */
  readonly issued: string[];
  /** Calls that reached `gettoken` (faults included). */
  tokenCalls(): number;
  /** WeCom ends the current token of the application with `secret` (default `clientSecret`) before its expiry. */
  endEarly(secret?: string): void;
  /** Answers every call with `60020` (the caller's IP is not trusted) while `true`. */
  blockCallerIp(blocked: boolean): void;
}

const envelope = (errcode: number, errmsg: string): FakeResponse => ({ status: 200, json: { errcode, errmsg } });

/** Starts a fake WeCom server on 127.0.0.1. */
export async function startWecomFake(options: WecomFakeOptions = {}): Promise<WecomFake> {
  const clientId = options.clientId ?? 'ww5e0d8f4b3c2a1f07';
  const clientSecret = options.clientSecret ?? randomBytes(21).toString('base64url');
  const application = '1000002';
  const secrets = new Map<string, string>([[clientSecret, application], ...Object.entries(options.otherApplications ?? {}).map(([agent, secret]) => [secret, agent] as [string, string])]);
  const now = options.now ?? Date.now;
  const lifetimeMs = (options.expiresIn ?? 7200) * 1000;
  const callsPerMinute = options.callsPerMinute ?? 30;
  const issued: string[] = [];
  /** Every token ever issued: until when it is accepted. */
  const validUntil = new Map<string, number>();
  /** Per secret: the current token and the recent calls (for the throttle). */
  const current = new Map<string, string>();
  const recentCalls = new Map<string, number[]>();
  let calls = 0;
  let blocked = false;

  function getToken(request: RecordedRequest): FakeResponse {
    calls += 1;
    if (request.method !== 'GET') return { ...envelope(-1, 'system busy'), outsideSpec: true };
    const corpid = request.query.get('corpid');
    const secret = request.query.get('corpsecret');
    if (blocked) return envelope(60020, 'not allow to access from your ip, from ip: 203.0.113.7');
    if (!corpid) return envelope(41002, 'corpid missing');
    if (!secret) return envelope(41004, 'corpsecret missing');
    if (corpid !== clientId) return envelope(40013, 'invalid corpid');
    if (!secrets.has(secret)) return envelope(40001, 'invalid credential, hint: [1700000000_1_abc], from ip: 203.0.113.7');
    const time = now();
    // "不能频繁调用gettoken接口，否则会受到频率拦截": a sliding minute per secret.
    const recent = (recentCalls.get(secret) ?? []).filter((at) => time - at < 60_000);
    recent.push(time);
    recentCalls.set(secret, recent);
    if (recent.length > callsPerMinute) return envelope(45009, 'api freq out of limit');
    let token = current.get(secret);
    // "有效期内重复获取返回相同结果，过期后获取会返回新的access_token" (ruling 1).
    if (token === undefined || validUntil.get(token)! <= time) {
      token = randomBytes(48).toString('base64url');
      issued.push(token);
      validUntil.set(token, time + lifetimeMs);
      current.set(secret, token);
    }
    return { status: 200, json: { errcode: 0, errmsg: 'ok', access_token: token, expires_in: Math.floor((validUntil.get(token)! - time) / 1000) } };
  }

  function api(request: RecordedRequest): FakeResponse {
    const token = request.query.get('access_token');
    if (!token) return envelope(41001, 'access_token missing');
    const until = validUntil.get(token);
    if (until === undefined) return envelope(40014, 'invalid access_token');
    if (until <= now()) return envelope(42001, 'access_token expired');
    return { status: 200, json: { errcode: 0, errmsg: 'ok', ip_list: ['182.254.11.176', '182.254.78.66'] } };
  }

  const server = await startFakeServer({
    validator: loadSpecValidator('wecom'),
    now,
    handle(request) {
      if (request.path === '/cgi-bin/gettoken') return getToken(request);
      if (request.path === '/cgi-bin/get_api_domain_ip' && request.method === 'GET') return api(request);
      return { status: 404, json: { errcode: 404, errmsg: 'not found' }, outsideSpec: true };
    },
  });
  return Object.assign(server, {
    clientId,
    clientSecret,
    application,
    clientOptions: { application },
    issued,
    tokenCalls: () => calls,
    endEarly(secret = clientSecret) {
      const token = current.get(secret);
      if (token !== undefined) validUntil.set(token, Math.min(validUntil.get(token)!, now()));
    },
    blockCallerIp(value: boolean) {
      blocked = value;
    },
  });
}

/** How the conformance suites (fault matrix, secrets, transport, error table) drive WeCom. */
export const conformanceCase: ConformanceCase = {
  vendor: 'wecom',
  async start(now, vendorModule) {
    const fake = await startWecomFake({ now, clientSecret: conformanceSecret('wecom') });
    const create = vendorModule['createWecomClient'] as (options: object) => ReturnType<Parameters<typeof clientCredentialsSession>[2]>;
    // Every WeCom client names the application its secret belongs to (ruling 2).
    return clientCredentialsSession('wecom', fake, (options) => create({ ...fake.clientOptions, ...options }), now);
  },
  breakage: {
    wrongTypes: (json) => ({ ...json, access_token: 42, expires_in: 'two hours' }),
    missingToken: ({ access_token, ...rest }) => rest,
    lifetime: (json, seconds) => ({ ...json, expires_in: seconds }),
    token: (json, value) => ({ ...json, access_token: value }),
    failure: { change: () => ({ errcode: 40001, errmsg: 'invalid credential' }), code: 'invalid_client' },
  },
};
