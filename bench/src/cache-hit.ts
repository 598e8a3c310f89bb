/**
 * Cache hit: `getAccessToken()` on a warm provider, against the floor (a bare async getter with an expiry
 * check: the least any cache can cost) and the peers in their cached state. Goal: ≤ 1.2× the floor, faster
 * than both peers.
 */
import { OAuth2Client as BadgatewayClient, OAuth2Fetch } from '@badgateway/oauth2-client';
import { createDushuClient } from '@token-clients/dushu';
import { OAuth2Client as GoogleClient } from 'google-auth-library';
import { startFakeProcess } from './fakes.js';
import { BADGATEWAY, GOOGLE } from './peers.js';
import { interleave, medians, nsPerOp } from './stats.js';
import { ns, ratio, yesNo, type BenchOptions, type BenchResult } from './table.js';

export async function cacheHit({ quick }: BenchOptions): Promise<BenchResult> {
  const dushuFake = await startFakeProcess({ vendor: 'dushu' });
  const oauth2Fake = await startFakeProcess({ vendor: 'oauth2' });
  try {
    // Ours: the dushu client's provider on the default memory store, warmed by one real request.
    const provider = createDushuClient({ clientId: dushuFake.clientId, clientSecret: dushuFake.clientSecret, baseUrl: dushuFake.url }).tokenProvider();
    const accessToken = await provider.getAccessToken();

    // The floor.
    const cached = { accessToken, expiresAt: Date.now() + 3_600_000 };
    const floor = async (): Promise<string> => {
      if (Date.now() < cached.expiresAt) return cached.accessToken;
      throw new Error('expired');
    };

    // google-auth-library: an access token with a future expiry_date, so getAccessToken() is a cache hit.
    const google = new GoogleClient({ clientId: 'bench-client', clientSecret: 'bench-secret' });
    google.setCredentials({ access_token: accessToken, expiry_date: Date.now() + 3_600_000 });

    // @badgateway: a client-credentials token fetched once from the loopback fake, then cached by OAuth2Fetch.
    const client = new BadgatewayClient({ server: oauth2Fake.url, tokenEndpoint: '/token', clientId: oauth2Fake.clientId, clientSecret: oauth2Fake.clientSecret });
    const badgateway = new OAuth2Fetch({ client, getNewToken: () => client.clientCredentials() });
    await badgateway.getAccessToken();

    const before = (await dushuFake.requestCount()) + (await oauth2Fake.requestCount());
    const iterations = quick ? 2_000 : 200_000;
    const hit = medians(
      await interleave(
        {
          ours: () => nsPerOp(() => provider.getAccessToken(), iterations),
          floor: () => nsPerOp(floor, iterations),
          google: () => nsPerOp(() => google.getAccessToken(), iterations),
          badgateway: () => nsPerOp(() => badgateway.getAccessToken(), iterations),
        },
        { rounds: quick ? 3 : 31, warmupRounds: quick ? 1 : 3 },
      ),
    );
    // Every measured call must have been a hit: no request may have reached either fake.
    const after = (await dushuFake.requestCount()) + (await oauth2Fake.requestCount());
    if (after !== before) throw new Error(`${after - before} requests reached a fake during the cache-hit benchmark`);
    await provider.close();

    const vsPeer = (peer: number, name: string) => ({
      benchmark: `Cache hit vs ${name}`,
      ours: ns(hit.ours),
      baseline: ns(peer),
      ratio: ratio(hit.ours, peer),
      goal: '< 1× (faster)',
      met: yesNo(hit.ours < peer),
    });
    return {
      rows: [
        {
          benchmark: 'Cache hit vs floor (async getter + expiry check)',
          ours: ns(hit.ours),
          baseline: ns(hit.floor),
          ratio: ratio(hit.ours, hit.floor),
          goal: '≤ 1.2×',
          met: yesNo(hit.ours <= 1.2 * hit.floor),
        },
        vsPeer(hit.google, GOOGLE),
        vsPeer(hit.badgateway, BADGATEWAY),
      ],
      notes: [
        `Cache hit: \`await getAccessToken()\` in a loop of ${iterations.toLocaleString('en')} calls per sample; ` +
          `${quick ? 3 : 31} interleaved rounds after warm-up, median ns per call. Ours is the dushu client's ` +
          `\`tokenProvider()\` on the default MemoryStore; google-auth-library's OAuth2Client has credentials with a ` +
          `future expiry_date; @badgateway's OAuth2Fetch holds a client-credentials token from a loopback fake. ` +
          `No request reached a fake while measuring (checked).`,
      ],
    };
  } finally {
    await Promise.all([dushuFake.close(), oauth2Fake.close()]);
  }
}
