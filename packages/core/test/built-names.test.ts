/**
 * Class names survive the build (tsup `keepNames`): without it esbuild renamed `TokenError` to `_TokenError` in
 * the bundle, which `TokenError.name` and uncaught errors' stack traces then showed. Runs against the built
 * package (`pnpm build` first), both builds.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
// Paths in variables, typed by the source: type-checking runs before the build, when dist/ does not exist yet.
const ESM_BUILD = '../dist/index.js';
const CJS_BUILD = '../dist/index.cjs';
type Core = typeof import('../src/index.js');

describe.each([
  ['ESM', async () => (await import(/* @vite-ignore */ ESM_BUILD)) as Core],
  ['CommonJS', async () => require(CJS_BUILD) as Core],
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
