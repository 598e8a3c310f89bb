// Its own file: core warns once per origin and process, so this needs a module state no other test touched.
import { afterEach, beforeEach, expect, it, vi, type MockInstance } from 'vitest';
import { startFantemFake } from '@token-clients/testkit';
import { createFantemClient } from '../src/index.js';

let emitWarning: MockInstance<typeof process.emitWarning>;

beforeEach(() => {
  emitWarning = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
});
afterEach(() => {
  emitWarning.mockRestore();
});

/** A gateway that is never reached: answers like the document's example, and keeps what it was sent. */
function offlineGateway() {
  const received: { url: string; contentType: string | null; form: Record<string, FormDataEntryValue> }[] = [];
  const fetch = async (input: RequestInfo | URL): Promise<Response> => {
    const request = input as Request;
    const form: Record<string, FormDataEntryValue> = {};
    (await request.formData()).forEach((value, name) => (form[name] = value));
    received.push({ url: request.url, contentType: request.headers.get('content-type'), form });
    return Response.json({ access_token: '294D412BD5A20464043F2381EC3EB6C7', refresh_token: '567030884C7EA513FB843843859A58C3', expires_in: 36000 });
  };
  return { fetch, received };
}

it('does not warn about plain http to a loopback server', async () => {
  const fake = await startFantemFake();
  try {
    await createFantemClient({ clientId: fake.clientId, baseUrl: fake.url }).exchangeCode({ code: fake.issueCode() });
  } finally {
    await fake.close();
  }
  expect(emitWarning).not.toHaveBeenCalled();
});

it('warns once per process when codes and tokens go over plain http to the documented server (ruling 7)', async () => {
  const gateway = offlineGateway();
  const fantem = createFantemClient({ clientId: 'fantem-alexa-skill', clientSecret: 'alexa-linking-secret', fetch: gateway.fetch });

  const token = await fantem.exchangeCode({ code: 'bcb09cffbe2c4d31', redirectUri: 'https://layla.amazon.com/api/skill/link/M2AAAAAAAAAAAA' });
  await fantem.refresh(token.refreshToken!);
  await createFantemClient({ clientId: 'another-client', fetch: gateway.fetch }).refresh(token.refreshToken!);

  expect(gateway.received.map((request) => request.url)).toEqual([
    'http://openapi.fantem-gateway.com/oauth/token',
    'http://openapi.fantem-gateway.com/oauth/token',
    'http://openapi.fantem-gateway.com/oauth/token',
  ]);
  expect(gateway.received[0]!.contentType).toMatch(/^multipart\/form-data; boundary=/);
  expect(gateway.received[0]!.form).toEqual({
    grant_type: 'authorization_code',
    client_id: 'fantem-alexa-skill',
    code: 'bcb09cffbe2c4d31',
    redirect_uri: 'https://layla.amazon.com/api/skill/link/M2AAAAAAAAAAAA',
    client_secret: 'alexa-linking-secret',
  });

  expect(emitWarning).toHaveBeenCalledTimes(1);
  const [message, options] = emitWarning.mock.calls[0]!;
  expect(message).toContain('http://openapi.fantem-gateway.com');
  expect(options).toMatchObject({ code: 'TOKEN_CLIENTS_PLAIN_HTTP' });
  for (const secret of ['bcb09cffbe2c4d31', 'alexa-linking-secret', token.refreshToken!]) expect(String(message)).not.toContain(secret);
});
