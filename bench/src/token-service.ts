/**
 * Token service: cached token answers per second and p99 latency of `token-clients serve` (its own process,
 * memory store, a warm token) against the floor — the same framework serving a constant JSON body of the same
 * size — side by side in one run, with autocannon as the load generator. Goal: at least 0.8× the floor.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import autocannon from 'autocannon';
import { forkTs, nextMessage, startFakeProcess, stopChild } from './fakes.js';
import { interleave, median } from './stats.js';
import { ratio, yesNo, type BenchOptions, type BenchResult } from './table.js';

const CALLER_KEY = 'bench-caller-key-0123456789abcdefghijklmnopqrstuvwxyz';
const CONNECTIONS = 32;

interface Load {
  requestsPerSecond: number;
  p99Ms: number;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function load(url: string, seconds: number): Promise<Load> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: seconds, headers: { authorization: `Bearer ${CALLER_KEY}` } });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return { requestsPerSecond: result.requests.average, p99Ms: result.latency.p99 };
}

async function startService(fakeUrl: string, clientId: string, clientSecret: string): Promise<{ child: ChildProcess; url: string; dir: string }> {
  const bin = join(dirname(createRequire(import.meta.url).resolve('@token-clients/server/package.json')), 'dist', 'cli.js');
  const dir = await mkdtemp(join(tmpdir(), 'bench-token-service-'));
  const port = await freePort();
  const config = {
    listen: { host: '127.0.0.1', port },
    apps: { reading: { vendor: 'dushu', clientId, clientSecret: '${DUSHU_SECRET}', baseUrl: fakeUrl } },
    callers: { bench: { key: '${CALLER_KEY}', apps: ['reading'] } },
    // Per-request log lines are at info; an operator who wants the throughput runs at warn, as here.
    log: { level: 'warn' },
  };
  const file = join(dir, 'config.json');
  await writeFile(file, JSON.stringify(config));
  await chmod(file, 0o600);
  const child = spawn(process.execPath, [bin, 'serve', '--config', file], {
    env: { PATH: process.env.PATH, DUSHU_SECRET: clientSecret, CALLER_KEY },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`token-clients serve exited (${child.exitCode})`);
    const ready = await fetch(`${url}/healthz`).then((response) => response.ok, () => false);
    if (ready) break;
    if (attempt > 200) throw new Error('token-clients serve did not start within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { child, url, dir };
}

export async function tokenService({ quick }: BenchOptions): Promise<BenchResult> {
  const seconds = quick ? 1 : 5;
  const rounds = quick ? 1 : 5;
  const fake = await startFakeProcess({ vendor: 'dushu' });
  const service = await startService(fake.url, fake.clientId, fake.clientSecret);
  let floor: ChildProcess | undefined;
  try {
    const tokenUrl = `${service.url}/v1/apps/reading/token`;
    const warm = await fetch(tokenUrl, { headers: { authorization: `Bearer ${CALLER_KEY}` } });
    if (warm.status !== 200) throw new Error(`the service answered ${warm.status}: ${await warm.text()}`);
    const body = await warm.json();
    floor = forkTs('./service-floor.ts', [JSON.stringify(body)]);
    const floorUrl = `${(await nextMessage<{ url: string }>(floor)).url}/v1/apps/reading/token`;
    const before = await fake.requestCount();
    const samples = await interleave(
      { service: () => load(tokenUrl, seconds), floor: () => load(floorUrl, seconds) },
      { rounds, warmupRounds: 1 },
    );
    if ((await fake.requestCount()) !== before) throw new Error('a request reached the vendor during the measurement: not a cache hit');
    const rps = (name: 'service' | 'floor') => median(samples[name].map((sample) => sample.requestsPerSecond));
    const p99 = (name: 'service' | 'floor') => median(samples[name].map((sample) => sample.p99Ms));
    return {
      rows: [
        {
          benchmark: 'Token service: cached token answers/s',
          ours: `${Math.round(rps('service')).toLocaleString('en')} req/s`,
          baseline: `${Math.round(rps('floor')).toLocaleString('en')} req/s (fastify, constant JSON)`,
          ratio: ratio(rps('service'), rps('floor')),
          goal: '≥ 0.8×',
          met: yesNo(rps('service') >= 0.8 * rps('floor')),
        },
        {
          benchmark: 'Token service: p99 latency',
          ours: `${p99('service').toFixed(1)} ms`,
          baseline: `${p99('floor').toFixed(1)} ms (fastify, constant JSON)`,
          ratio: ratio(p99('service'), p99('floor')),
          goal: '—',
          met: '—',
        },
      ],
      notes: [
        `Token service: \`token-clients serve\` in its own process (memory store, log level warn, /metrics on), its ` +
          `dushu token warm, against fastify 5 in another process answering a constant body of the same size with the ` +
          `same response schema (the floor). autocannon in the bench process, ${CONNECTIONS} connections, ` +
          `${seconds}-second runs, ${rounds} interleaved rounds after one warm-up, medians of req/s and of p99. ` +
          `Every answer was 2xx and no request reached the vendor while measuring (checked).`,
      ],
    };
  } finally {
    if (floor) await stopChild(floor);
    service.child.kill('SIGTERM');
    await once(service.child, 'exit');
    await rm(service.dir, { recursive: true, force: true });
    await fake.close();
  }
}
