// One vendor, one provider: the access token your calls need, cached and refreshed ahead of expiry.
//
//   DUSHU_APP_ID=… DUSHU_APP_SECRET=… npx tsx dushu-token.ts
//
// DUSHU_BASE_URL is optional (the production server by default; the test points it at the testkit fake).
import { createDushuClient, TokenError } from '@token-clients/dushu';

const dushu = createDushuClient({
  clientId: fromEnv('DUSHU_APP_ID'),
  clientSecret: fromEnv('DUSHU_APP_SECRET'),
  baseUrl: process.env.DUSHU_BASE_URL,
});
const tokens = dushu.tokenProvider();

try {
  const token = await tokens.getToken();
  // A second call is served from the cache: no second request to dushu.
  const again = await tokens.getAccessToken();
  const minutes = Math.round((token.expiresAt - Date.now()) / 60_000);
  console.log(`dushu: a ${token.tokenType} token, valid for ${minutes} more minutes; the second call came from the cache: ${again === token.accessToken}`);
} catch (error) {
  // Every failure is a TokenError: its code says what went wrong, its message what to do; neither shows a secret.
  if (!(error instanceof TokenError)) throw error;
  console.error(`dushu: no token (${error.code}${error.retryable ? ', worth retrying' : ''}): ${error.message}`);
  process.exitCode = 1;
} finally {
  // Stops the provider's refresh timer, so the process exits by itself.
  await tokens.close();
}

function fromEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name} (see the comment at the top of this file)`);
  return value;
}
