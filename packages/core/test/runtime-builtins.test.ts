/**
 * Core imports no Node module: it takes `diagnostics_channel` and `util` from the runtime when it has them.
 * Where it does not (a worker without nodejs_compat), the channels are silent and secrets are still redacted.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

const getBuiltinModule = process.getBuiltinModule;
afterEach(() => {
  process.getBuiltinModule = getBuiltinModule;
  vi.resetModules();
});

async function withoutBuiltins() {
  (process as { getBuiltinModule?: unknown }).getBuiltinModule = undefined;
  vi.resetModules();
  return {
    builtins: await import('../src/runtime-builtins.js'),
    scrub: await import('../src/scrub-secrets.js'),
  };
}

describe('a runtime without Node built-ins', () => {
  it('gets silent channels that still run what they trace', async () => {
    const { builtins } = await withoutBuiltins();
    expect(builtins.channel('token-clients:cache').hasSubscribers).toBe(false);
    const trace = builtins.tracingChannel<number, object>('token-clients:refresh');
    expect(trace.hasSubscribers).toBe(false);
    expect(await trace.tracePromise(async () => 42, {})).toBe(42);
    expect(builtins.inspect).toBeUndefined();
  });

  it('still redacts a secret a foreign error carries in a property', async () => {
    const { scrub } = await withoutBuiltins();
    const secret = 's3cr3t-Value+/=';
    const leaky = Object.assign(new Error('request failed'), { url: `https://vendor.example/token?secret=${encodeURIComponent(secret)}` });
    const scrubbed = scrub.scrubSecrets(leaky, [secret]);
    const shown = `${String(scrubbed)} ${JSON.stringify(scrubbed)} ${(scrubbed as { url?: string }).url}`;
    expect(shown).not.toContain(secret);
    expect(shown).not.toContain(encodeURIComponent(secret));
    // Redacted, not thrown away: what the error says apart from the secret is still there to read.
    expect(String(scrubbed)).toContain('request failed');
    expect((scrubbed as { url?: string }).url).toContain('https://vendor.example/token?secret=');
  });
});

describe('a runtime with them (Node)', () => {
  it('uses the real channels', async () => {
    vi.resetModules();
    const builtins = await import('../src/runtime-builtins.js');
    const { channel } = await import('node:diagnostics_channel');
    expect(builtins.channel('token-clients:cache')).toBe(channel('token-clients:cache'));
    expect(builtins.inspect).toBeTypeOf('function');
  });

  it('knows a tracing channel has subscribers from its event channels (Bun has no hasSubscribers on it)', async () => {
    vi.resetModules();
    const builtins = await import('../src/runtime-builtins.js');
    const { tracingChannel } = await import('node:diagnostics_channel');
    const traced = builtins.tracingChannel<number, { result?: number }>('token-clients:test-trace');
    expect(traced.hasSubscribers).toBe(false);
    const ended: unknown[] = [];
    const handlers = { asyncEnd: (context: { result?: number }) => ended.push(context.result) };
    tracingChannel('token-clients:test-trace').subscribe(handlers as never);
    try {
      expect(traced.hasSubscribers).toBe(true);
      expect(await traced.tracePromise(async () => 7, {})).toBe(7);
      expect(ended).toEqual([7]);
    } finally {
      tracingChannel('token-clients:test-trace').unsubscribe(handlers as never);
    }
  });
});
