import { once } from 'node:events';
import { connect } from 'node:net';
import { startDushuFake, type DushuFake } from '@token-clients/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, writeConfig, type ServiceProcess } from './support/service-process.js';

// Slow clients are cut off after limits.requestTimeoutMs; the body limit is in service.test.ts.

let dushu: DushuFake;
let service: ServiceProcess;

beforeAll(async () => {
  dushu = await startDushuFake();
  const config = await writeConfig({
    listen: { port: 0 },
    apps: { reading: { vendor: 'dushu', clientId: dushu.clientId, clientSecret: '${DUSHU_SECRET}', baseUrl: dushu.url } },
    callers: { all: { key: '${CALLER_KEY}', apps: ['reading'] } },
    limits: { requestTimeoutMs: 400 },
  });
  service = await startService(config, { DUSHU_SECRET: dushu.clientSecret, CALLER_KEY: 'c'.repeat(40) });
});

afterAll(async () => {
  await service?.stop();
  await dushu?.close();
});

/** Opens a raw connection, writes `text`, and returns what came back when the server ended it. */
async function slowClient(text: string): Promise<string> {
  const { port, hostname } = new URL(service.url);
  const socket = connect({ port: Number(port), host: hostname });
  await once(socket, 'connect');
  socket.write(text);
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  await once(socket, 'close');
  return received;
}

describe('slow clients', () => {
  it('are cut off when their headers never end', async () => {
    const answer = await slowClient('GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('are cut off when their body never ends', async () => {
    const answer = await slowClient(
      'POST /v1/apps/reading/token/invalidate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"access_',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });
});
