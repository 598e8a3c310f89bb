/**
 * Request overhead: one uncached `requestToken()` through the generated client (openapi-fetch, timeout,
 * bounded body read, response validation, normalisation) against a hand-written `fetch()` of the same request
 * to the same fake, parsed just enough to be usable. Goal: ≤ 1.1×.
 */
import { createDushuClient } from '@token-clients/dushu';
import { startFakeProcess } from './fakes.js';
import { interleave, medians, nowNs } from './stats.js';
import { ratio, us, yesNo, type BenchOptions, type BenchResult } from './table.js';

export async function requestOverhead({ quick }: BenchOptions): Promise<BenchResult> {
  const fake = await startFakeProcess({ vendor: 'dushu' });
  try {
    const { clientId, clientSecret, url } = fake;
    const client = createDushuClient({ clientId, clientSecret, baseUrl: url });
    const handWritten = async () => {
      const query = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
      const response = await fetch(`${url}/oauth/token?${query}`, { method: 'POST' });
      if (!response.ok) throw new Error(`token request failed: ${response.status}`);
      const body = (await response.json()) as { value: string; expiresIn: number };
      return { accessToken: body.value, expiresAt: Date.now() + body.expiresIn * 1000 };
    };
    // Sequential requests: the per-request cost is what a caller pays, without pool contention muddying it.
    const batch = quick ? 20 : 200;
    const perRequest = (request: () => Promise<unknown>) => async () => {
      const start = nowNs();
      for (let i = 0; i < batch; i++) await request();
      return Number(nowNs() - start) / batch;
    };
    const rounds = quick ? 2 : 15;
    const perReq = medians(
      await interleave({ ours: perRequest(() => client.requestToken()), fetch: perRequest(handWritten) }, { rounds, warmupRounds: 1 }),
    );
    if ((await fake.specViolations()) > 0) throw new Error('the dushu fake answered outside its spec');
    return {
      rows: [
        {
          benchmark: 'Request overhead: requestToken() vs hand-written fetch()',
          ours: us(perReq.ours),
          baseline: us(perReq.fetch),
          ratio: ratio(perReq.ours, perReq.fetch),
          goal: '≤ 1.1×',
          met: yesNo(perReq.ours <= 1.1 * perReq.fetch),
        },
      ],
      notes: [
        `Request overhead: ${batch} sequential token requests per sample to the dushu fake (own process, no added ` +
          `latency, keep-alive), ${rounds} interleaved rounds after one warm-up, median µs per request. The ` +
          `hand-written version is \`fetch()\` + \`response.ok\` + \`json()\` + building { accessToken, expiresAt }.`,
      ],
    };
  } finally {
    await fake.close();
  }
}
