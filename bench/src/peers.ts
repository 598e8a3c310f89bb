/** The peers, pinned in bench/package.json; their versions are read from what is actually installed. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function installedVersion(name: string): string {
  const manifest = require.resolve(`${name}/package.json`);
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

export const GOOGLE = `google-auth-library ${installedVersion('google-auth-library')}`;
export const BADGATEWAY = `@badgateway/oauth2-client ${installedVersion('@badgateway/oauth2-client')}`;
