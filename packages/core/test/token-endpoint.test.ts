import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { fetchTokenAnswer as sendTokenRequest, type TokenEndpointContext } from '../src/transport.js';
import { vendorError } from '../src/vendor-kit.js';

const SECRET = 'abcdef0123456789';
const REFRESH_TOKEN = 'rt-567030884C7EA513';

const context: TokenEndpointContext = { vendor: 'test', timeoutMs: 1000, clock: { now: () => 1_000 }, secrets: [SECRET, REFRESH_TOKEN] };

/** What openapi-fetch resolves to for a body, with `parseAs: 'text'`. */
function fetched(status: number, body: string) {
  const response = new Response(null, { status, headers: { 'content-type': 'application/json' } });
  return async () => (response.ok ? { data: body, response } : { error: body, response });
}

describe('sendTokenRequest', () => {
  it("records the request's secrets on the answer", async () => {
    const answer = await sendTokenRequest(context, fetched(200, '{"access_token":"a"}'));
    expect(answer.secrets).toEqual([SECRET, REFRESH_TOKEN]);
    expect(Object.isFrozen(answer.secrets)).toBe(true);
    expect(answer.json).toEqual({ access_token: 'a' });
    expect(answer.receivedAt).toBe(1_000);
  });

  it('never shows the secrets in JSON, inspect or a copy of the answer, nor of what holds it', async () => {
    const answer = await sendTokenRequest(context, fetched(200, '{"access_token":"a"}'));
    const holder = { answer, note: 'kept for later' };
    for (const text of [
      JSON.stringify({ ...answer, response: undefined, headers: undefined }),
      JSON.stringify(holder, (key, value) => (key === 'response' || key === 'headers' ? undefined : value)),
      inspect(answer, { depth: 5 }),
      inspect(holder, { depth: 5 }),
      inspect(answer, { depth: 5, showHidden: true }),
    ]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(REFRESH_TOKEN);
    }
    expect(Object.keys(answer)).not.toContain('secrets');
    expect({ ...answer }.secrets).toBeUndefined();
  });

  it('does not share the context’s array: a later change to it is not seen', async () => {
    const secrets = [SECRET];
    const answer = await sendTokenRequest({ ...context, secrets }, fetched(200, '{}'));
    secrets.push('later');
    expect(answer.secrets).toEqual([SECRET]);
  });

  it('lets vendorError redact what the vendor echoes of an answer it sent', async () => {
    const answer = await sendTokenRequest(context, fetched(400, `{"msg":"refresh token ${REFRESH_TOKEN} is unknown"}`));
    const error = vendorError('test', answer, { code: 'invalid_grant', vendorMessage: (answer.json as { msg: string }).msg });
    expect(error.vendorMessage).toBe('refresh token [redacted] is unknown');
    expect(error.message).not.toContain(REFRESH_TOKEN);
  });
});
