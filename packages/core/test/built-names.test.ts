/**
 * Class names survive the build (tsup `keepNames`): without it esbuild renamed `TokenError` to `_TokenError` in
 * the bundle, which `TokenError.name` and uncaught errors' stack traces then showed. Runs against the built
 * package (`pnpm build` first), both builds.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);

describe.each([
  ['ESM', () => import('../dist/index.js')],
  ['CommonJS', async () => require('../dist/index.cjs') as typeof import('../dist/index.js')],
])('%s build', (_, load) => {
  it('keeps the names of its classes', async () => {
    const core = await load();
    expect(core.TokenError.name).toBe('TokenError');
    expect(core.MemoryStore.name).toBe('MemoryStore');
    const error = new core.TokenError({ code: 'timeout', vendor: 'test', message: 'slow' });
    expect(error.name).toBe('TokenError');
    expect(error.stack?.split('\n')[0]).toBe('TokenError: slow');
    expect(error.constructor.name).toBe('TokenError');
  });
});
