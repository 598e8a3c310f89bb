/**
 * Every fault a real vendor server (or the network in front of it) produces, against every vendor: each
 * must give the right TokenError code and retryable flag within the timeout, never a crash, never an
 * unhandled rejection — and a provider holding a still-valid token must keep serving it.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TokenError, type TokenProviderEvent } from '@token-clients/core';
import { refusedUrl, type Fault } from '@token-clients/testkit';
import { VENDORS, type Breakage } from './vendors.js';

const TIMEOUT_MS = 400;
const TEN_MB = 10 * 1024 * 1024;

interface FaultCase {
  name: string;
  fault: (breakage: Breakage) => Fault | 'refused';
  code: (breakage: Breakage) => string;
  retryable: boolean;
}

const FAULTS: FaultCase[] = [
  { name: '500', fault: () => ({ type: 'status', status: 500 }), code: () => 'server_error', retryable: true },
  { name: '502 HTML page', fault: () => ({ type: 'status', status: 502 }), code: () => 'server_error', retryable: true },
  { name: '503', fault: () => ({ type: 'status', status: 503 }), code: () => 'server_error', retryable: true },
  { name: '429 Retry-After', fault: () => ({ type: 'rate-limit', retryAfterSeconds: 7 }), code: () => 'rate_limited', retryable: true },
  { name: 'connection reset', fault: () => ({ type: 'reset' }), code: () => 'network_error', retryable: true },
  { name: 'connection refused', fault: () => 'refused', code: () => 'network_error', retryable: true },
  { name: 'slower than timeout', fault: () => ({ type: 'stall' }), code: () => 'timeout', retryable: true },
  { name: 'HTML with 200', fault: () => ({ type: 'html', status: 200 }), code: () => 'invalid_response', retryable: false },
  { name: 'truncated JSON', fault: () => ({ type: 'truncated' }), code: () => 'invalid_response', retryable: false },
  { name: 'empty body', fault: () => ({ type: 'empty' }), code: () => 'invalid_response', retryable: false },
  { name: 'wrong field types', fault: (b) => ({ type: 'mutate', change: b.wrongTypes }), code: () => 'invalid_response', retryable: false },
  { name: 'missing token field', fault: (b) => ({ type: 'mutate', change: b.missingToken }), code: () => 'invalid_response', retryable: false },
  { name: 'zero lifetime', fault: (b) => ({ type: 'mutate', change: (json) => b.lifetime(json, 0) }), code: () => 'invalid_response', retryable: false },
  { name: 'negative lifetime', fault: (b) => ({ type: 'mutate', change: (json) => b.lifetime(json, -60) }), code: () => 'invalid_response', retryable: false },
  { name: '10 MB body, streamed', fault: () => ({ type: 'huge', bytes: TEN_MB, declareLength: false }), code: () => 'invalid_response', retryable: false },
  { name: '10 MB body, declared', fault: () => ({ type: 'huge', bytes: TEN_MB, declareLength: true }), code: () => 'invalid_response', retryable: false },
  // Content-Length counts the compressed bytes; the limit must count what fetch decodes.
  { name: 'gzip, gzip bomb (10 MB decoded)', fault: () => ({ type: 'gzip-bomb', decodedBytes: TEN_MB }), code: () => 'invalid_response', retryable: false },
  // A redirect would carry the credentials to another origin (and the other origin's token back).
  { name: '307 redirect', fault: () => ({ type: 'redirect', status: 307, to: 'http://localhost:9' }), code: () => 'invalid_response', retryable: false },
  { name: '308 redirect', fault: () => ({ type: 'redirect', status: 308, to: 'http://localhost:9' }), code: () => 'invalid_response', retryable: false },
  // bearerAuth puts the token in a header: one that cannot travel there is unusable.
  { name: 'CR/LF in the access token', fault: (b) => ({ type: 'mutate', change: (json) => b.token(json, 'abc\r\nX-Injected: 1') }), code: () => 'invalid_response', retryable: false },
  { name: 'non-ASCII access token', fault: (b) => ({ type: 'mutate', change: (json) => b.token(json, 'jeton-été') }), code: () => 'invalid_response', retryable: false },
  {
    name: 'vendor failure (success:false / code)',
    fault: (b) => ({ type: 'mutate', change: b.failure.change, ...(b.failure.status ? { status: b.failure.status } : {}) }),
    code: (b) => b.failure.code,
    retryable: false,
  },
];

const results: string[][] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeEach(() => void process.on('unhandledRejection', onUnhandled));
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled).toEqual([]);
});
afterAll(() => {
  const header = ['fault', ...VENDORS.map((v) => v.vendor)];
  const rows = FAULTS.map((f) => [f.name, ...VENDORS.map((v) => results.find((r) => r[0] === f.name && r[1] === v.vendor)?.[2] ?? 'not run')]);
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ');
  console.log(`\nFault matrix: ${FAULTS.length} faults × ${VENDORS.length} vendors = ${FAULTS.length * VENDORS.length} cases\n${[header, ...rows].map(line).join('\n')}\n`);
});

describe.each(VENDORS)('$vendor', ({ vendor, start, breakage }) => {
  it.each(FAULTS)('$name', async ({ name, fault, code, retryable }) => {
    let now = Date.UTC(2026, 10, 22, 8, 0, 0);
    const clock = { now: () => now };
    const session = await start(() => now);
    try {
      await session.call({ clock }); // the normal path works (and links user-token vendors)
      const injected = fault(breakage);
      const baseUrl = injected === 'refused' ? await refusedUrl() : session.fake.url;
      if (injected !== 'refused') session.fake.inject(injected);

      const started = performance.now();
      const error = await session.call({ clock, baseUrl, timeoutMs: TIMEOUT_MS }).then(
        () => undefined,
        (reason: unknown) => reason,
      );
      const elapsed = performance.now() - started;

      expect(error, `${vendor} / ${name} must fail with a TokenError`).toBeInstanceOf(TokenError);
      const tokenError = error as TokenError;
      expect(tokenError.code).toBe(code(breakage));
      expect(tokenError.retryable).toBe(retryable);
      expect(tokenError.vendor).toBe(vendor);
      expect(elapsed).toBeLessThan(TIMEOUT_MS + 1_000);
      if (name === '429 Retry-After') expect(tokenError.retryAfterMs).toBe(7_000);
      for (const secret of session.secrets()) expect(tokenError.message).not.toContain(secret);
      if (name.startsWith('10 MB')) expect(session.fake.streamedFaultBytes()).toBeLessThan(TEN_MB / 2);
      results.push([name, vendor, `${tokenError.code}${tokenError.retryable ? ' (retry)' : ''} ${Math.round(elapsed)}ms`]);
    } finally {
      await session.fake.close();
    }
  });

  it('keeps serving a still-valid token while every fault hits its background refresh', async () => {
    let now = Date.UTC(2026, 10, 22, 8, 0, 0);
    const clock = { now: () => now };
    const session = await start(() => now);
    const failed: TokenError[] = [];
    let onFailure = () => {};
    const onEvent = (event: TokenProviderEvent) => {
      if (event.type !== 'refresh_failed') return;
      failed.push(event.error);
      onFailure();
    };
    try {
      // A vendor that renews only at expiry (WeCom, `renewalWindowMs: 0`) never refreshes ahead; here every vendor
      // does, so that each fault meets a background refresh.
      const settings = { onEvent, backoffInitialMs: 1, backoffMaxMs: 1, renewalWindowMs: Number.POSITIVE_INFINITY };
      const provider = await session.provider({ clock, timeoutMs: TIMEOUT_MS }, settings);
      const token = await provider.getToken();
      now = token.expiresAt - 2.5 * 60_000; // inside the 3-minute refresh-ahead window, still valid
      for (const { fault } of FAULTS) {
        const injected = fault(breakage);
        if (injected === 'refused') continue; // the provider's client points at the live fake
        session.fake.clearFaults();
        session.fake.inject(injected);
        const refreshFailed = new Promise<void>((resolve) => (onFailure = resolve));
        expect((await provider.getToken()).accessToken).toBe(token.accessToken);
        await refreshFailed;
        // Past this provider's 1 ms backoff (or the vendor's Retry-After), so the next fault gets its own attempt.
        now += (failed.at(-1)?.retryAfterMs ?? 0) + 2;
      }
      await provider.close();
    } finally {
      await session.fake.close();
    }
    expect(failed.length).toBe(FAULTS.length - 1);
  }, 30_000);
});
