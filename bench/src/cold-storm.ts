/**
 * Cold storm: 10,000 concurrent callers ask an empty cache for a token while the vendor takes 20 ms to answer.
 * Counts the requests that reach the vendor (goal: 1) and the callers' p99 latency (goal: at most the upstream
 * latency + 2 ms). The peers are driven the same way against a standard OAuth2 fake with the same latency.
 */
import { OAuth2Client as BadgatewayClient, OAuth2Fetch } from '@badgateway/oauth2-client';
import { createDushuClient } from '@token-clients/dushu';
import { OAuth2Client as GoogleClient } from 'google-auth-library';
import { startFakeProcess, type FakeProcess } from './fakes.js';
import { BADGATEWAY, GOOGLE } from './peers.js';
import { interleave, median, nowNs, percentile } from './stats.js';
import { ms, ratio, yesNo, type BenchOptions, type BenchResult, type Row } from './table.js';

const LATENCY_MS = 20;

interface StormResult {
  requests: number;
  p99Ms: number;
  /** How long the synchronous loop that starts the calls took: every caller's latency includes part of it. */
  dispatchMs: number;
}

/** Starts `callers` concurrent calls of `get` at once; measures each caller's latency and the upstream requests. */
async function storm(fake: FakeProcess, callers: number, get: () => Promise<unknown>): Promise<StormResult> {
  const before = await fake.requestCount();
  const latencies = new Float64Array(callers);
  const calls: Promise<void>[] = new Array(callers);
  const dispatchStart = nowNs();
  for (let i = 0; i < callers; i++) {
    const start = nowNs();
    calls[i] = get().then(() => {
      latencies[i] = Number(nowNs() - start) / 1e6;
    });
  }
  const dispatchMs = Number(nowNs() - dispatchStart) / 1e6;
  await Promise.all(calls);
  return { requests: (await fake.requestCount()) - before, p99Ms: percentile([...latencies], 99), dispatchMs };
}

export async function coldStorm({ quick }: BenchOptions): Promise<BenchResult> {
  const callers = quick ? 1_000 : 10_000;
  const rounds = quick ? 1 : 7;
  const dushuFake = await startFakeProcess({ vendor: 'dushu', latencyMs: LATENCY_MS });
  const oauth2Fake = await startFakeProcess({ vendor: 'oauth2', latencyMs: LATENCY_MS });
  try {
    const { clientId, clientSecret } = dushuFake;
    // Each round builds a new client for every subject: the storm needs an empty cache.
    const subjects = {
      ours: async () => {
        const provider = createDushuClient({ clientId, clientSecret, baseUrl: dushuFake.url }).tokenProvider();
        const result = await storm(dushuFake, callers, () => provider.getToken());
        await provider.close();
        return result;
      },
      // google-auth-library has no client-credentials grant: its cold path is a refresh-token grant.
      google: async () => {
        const google = new GoogleClient({ clientId: 'bench-client', clientSecret: 'bench-secret', endpoints: { oauth2TokenUrl: `${oauth2Fake.url}/token` } });
        google.setCredentials({ refresh_token: 'bench-refresh-token' });
        return storm(oauth2Fake, callers, () => google.getAccessToken());
      },
      badgateway: async () => {
        const client = new BadgatewayClient({ server: oauth2Fake.url, tokenEndpoint: '/token', clientId: 'bench-client', clientSecret: 'bench-secret' });
        const wrapper = new OAuth2Fetch({ client, getNewToken: () => client.clientCredentials() });
        return storm(oauth2Fake, callers, () => wrapper.getAccessToken());
      },
      // The upstream latency as one lone caller sees it: a hand-written fetch() of ours's request.
      upstream: async () => {
        const query = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
        const start = nowNs();
        const response = await fetch(`${dushuFake.url}/oauth/token?${query}`, { method: 'POST' });
        await response.json();
        return { requests: 1, p99Ms: Number(nowNs() - start) / 1e6, dispatchMs: 0 };
      },
    };
    // One untimed storm each warms the JIT and the connection pools.
    const samples = await interleave(subjects, { rounds, warmupRounds: 1 });
    if ((await dushuFake.specViolations()) > 0) throw new Error('the dushu fake answered outside its spec');

    const requests = (name: keyof typeof subjects) => median(samples[name].map((s) => s.requests));
    const maxRequests = (name: keyof typeof subjects) => Math.max(...samples[name].map((s) => s.requests));
    const p99 = (name: keyof typeof subjects) => median(samples[name].map((s) => s.p99Ms));
    const upstream = p99('upstream');
    const dispatch = (name: keyof typeof subjects) => ms(median(samples[name].map((s) => s.dispatchMs)));
    const label = `Cold storm (${callers.toLocaleString('en')} × getToken, ${LATENCY_MS} ms)`;
    const requestRow = (peer: 'google' | 'badgateway', name: string): Row => ({
      benchmark: `${label}: upstream requests vs ${name}`,
      ours: `${requests('ours')} (max ${maxRequests('ours')})`,
      baseline: `${requests(peer)} (max ${maxRequests(peer)})`,
      ratio: ratio(requests('ours'), requests(peer)),
      goal: '1 request',
      met: yesNo(maxRequests('ours') === 1),
    });
    const p99Row = (peer: 'google' | 'badgateway', name: string): Row => ({
      benchmark: `${label}: p99 latency vs ${name}`,
      ours: ms(p99('ours')),
      baseline: ms(p99(peer)),
      ratio: ratio(p99('ours'), p99(peer)),
      goal: '—',
      met: '—',
    });
    return {
      rows: [
        requestRow('google', GOOGLE),
        requestRow('badgateway', BADGATEWAY),
        {
          benchmark: `${label}: p99 latency vs upstream`,
          ours: ms(p99('ours')),
          baseline: `${ms(upstream)} (one lone fetch)`,
          ratio: ratio(p99('ours'), upstream),
          goal: '≤ upstream + 2 ms',
          met: yesNo(p99('ours') <= upstream + 2),
        },
        p99Row('google', GOOGLE),
        p99Row('badgateway', BADGATEWAY),
      ],
      notes: [
        `Cold storm: ${callers.toLocaleString('en')} calls started in one synchronous loop on a new client (empty ` +
          `cache); each caller's latency runs from its own call to its own resolution. Fakes run in their own process ` +
          `behind a front that waits ${LATENCY_MS} ms per request; requests are counted at that front. Ours: the dushu ` +
          `client's \`tokenProvider().getToken()\`; google-auth-library: \`OAuth2Client.getAccessToken()\` with only a ` +
          `refresh_token set (it has no client-credentials grant); @badgateway: \`OAuth2Fetch.getAccessToken()\` with ` +
          `a client-credentials \`getNewToken\`. Upstream latency: median of lone hand-written \`fetch()\`es of ours's ` +
          `request to the same fake. ${rounds} interleaved rounds after one warm-up storm each; medians ` +
          `(requests: median, and the maximum of any round). Starting the ${callers.toLocaleString('en')} calls took ` +
          `${dispatch('ours')} (ours), ${dispatch('google')} (google-auth-library), ${dispatch('badgateway')} ` +
          `(@badgateway); the earliest callers' latency includes that time.`,
      ],
    };
  } finally {
    await Promise.all([dushuFake.close(), oauth2Fake.close()]);
  }
}
