/**
 * Every vendor package (discovered, a scaffolded one included) exports at run time only its factory, `TokenError`
 * and documented constants (UPPER_CASE); its readers and helpers stay internal. Types (client and option types,
 * `paths`, `components`) are checked by each package's declaration build.
 */
import { describe, expect, it } from 'vitest';
import { VENDOR_NAMES } from './vendors.js';

describe.each(VENDOR_NAMES)('@token-clients/%s', (vendor) => {
  it('exports its factory, TokenError and documented constants only', async () => {
    const module = (await import(new URL(`../../${vendor}/src/index.ts`, import.meta.url).href)) as Record<string, unknown>;
    const names = Object.keys(module);
    const factory = names.filter((name) => /^create[A-Z][A-Za-z0-9]*Client$/.test(name));
    expect(factory).toHaveLength(1);
    expect(names).toContain('TokenError');
    expect(names.filter((name) => !factory.includes(name) && name !== 'TokenError' && !/^[A-Z][A-Z0-9_]*$/.test(name))).toEqual([]);
  });
});

describe('refresh with an empty refresh token', () => {
  it.each(['akubela', 'fantem', 'wps'])('is invalid_request in %s, before anything is sent', async (vendor) => {
    const module = (await import(new URL(`../../${vendor}/src/index.ts`, import.meta.url).href)) as Record<string, (options: object) => any>;
    const create = Object.entries(module).find(([name]) => /^create\w+Client$/.test(name))![1];
    let sent = 0;
    const client = create({ clientId: 'id', clientSecret: 'secret', baseUrl: 'https://vendor.example', fetch: async () => (sent++, new Response('{}')) });
    for (const empty of ['', undefined, ' rt ']) {
      const error = await client.refresh(empty).then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect((error as { code?: string }).code).toBe('invalid_request');
    }
    expect(sent).toBe(0);
  });
});
