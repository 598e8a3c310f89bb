// Reaching a vendor through an HTTP(S) proxy. Node's built-in fetch ignores HTTPS_PROXY; undici's
// EnvHttpProxyAgent reads HTTP_PROXY, HTTPS_PROXY and NO_PROXY (upper or lower case) the way curl does, and
// every client takes a `fetch` option — so the proxy is one agent handed to the client's fetch.
//
//   npm i undici
//   HTTPS_PROXY=http://proxy.corp.example:3128 NO_PROXY=localhost,.internal DUSHU_APP_ID=… DUSHU_APP_SECRET=… npx tsx proxy.ts
//
// https:// vendors are reached through a CONNECT tunnel (the proxy never sees the secret or the token); http://
// ones through HTTP_PROXY. A host NO_PROXY names is reached directly. DUSHU_BASE_URL is optional (the test
// points it at the testkit fake, behind a real proxy server on loopback).
import { createDushuClient, TokenError } from '@token-clients/dushu';
import { EnvHttpProxyAgent } from 'undici';

// One agent for the process: it keeps the connections to the proxy open between token requests.
const proxyAgent = new EnvHttpProxyAgent();
/** The global fetch, through the proxy the environment names. */
const proxiedFetch: typeof fetch = (input, init) => fetch(input, { ...init, dispatcher: proxyAgent } as RequestInit);

const tokens = createDushuClient({
  clientId: fromEnv('DUSHU_APP_ID'),
  clientSecret: fromEnv('DUSHU_APP_SECRET'),
  baseUrl: process.env.DUSHU_BASE_URL,
  fetch: proxiedFetch,
}).tokenProvider();

try {
  const token = await tokens.getToken();
  console.log(`dushu: a ${token.tokenType} token, proxy from the environment: ${proxyHost() ?? 'none'}`);
} catch (error) {
  if (!(error instanceof TokenError)) throw error;
  // A proxy that refuses the tunnel, or cannot be reached, is a network_error (retryable).
  console.error(`dushu: no token (${error.code}): ${error.message}`);
  process.exitCode = 1;
} finally {
  await tokens.close();
  await proxyAgent.close();
}

/** The proxy's host, never its URL: a proxy URL can carry a user name and password. */
function proxyHost(): string | undefined {
  const url = process.env.HTTPS_PROXY || process.env.https_proxy || process.env.HTTP_PROXY || process.env.http_proxy;
  return url ? new URL(url).host : undefined;
}

function fromEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name} (see the comment at the top of this file)`);
  return value;
}
