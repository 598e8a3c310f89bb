// A user's token with WPS 365 (authorization-code grant): exchange the code your redirect URI received, then
// let a user provider keep that user's token fresh — it refreshes with the user's refresh token and stores
// each rotated one before handing out the new access token.
//
//   WPS_APP_ID=… WPS_APP_KEY=… WPS_REDIRECT_URI=https://app.example/wps/callback WPS_CODE=… npx tsx wps-user-token.ts
//
// In an app, WPS_CODE is the `code` query parameter of the request to your redirect URI (single use, minutes
// long). WPS_BASE_URL is optional (the production server by default; the test points it at the testkit fake).
import type { TokenProvider } from '@token-clients/core';
import { createWpsClient, TokenError } from '@token-clients/wps';

const wps = createWpsClient({
  clientId: fromEnv('WPS_APP_ID'),
  clientSecret: fromEnv('WPS_APP_KEY'),
  baseUrl: process.env.WPS_BASE_URL,
});

let user: TokenProvider | undefined;
try {
  // 1. Once, in the redirect handler: the code becomes the user's first tokens.
  const initial = await wps.exchangeCode({ code: fromEnv('WPS_CODE'), redirectUri: fromEnv('WPS_REDIRECT_URI') });

  // 2. Wherever the user's token is needed: one provider per user (`subject` names them in the store; pass a
  //    RedisStore as `store` to keep users' tokens across restarts and processes).
  user = wps.userTokenProvider({ subject: 'user-42', initial });
  const token = await user.getToken();
  const minutes = Math.round((token.expiresAt - Date.now()) / 60_000);
  console.log(`wps: user-42 has a ${token.tokenType} token, valid for ${minutes} more minutes, and a refresh token: ${token.refreshToken !== undefined}`);
  // Never call wps.refresh() yourself with a refresh token a provider holds: WPS may rotate it, and the
  // provider's copy would then be spent. The provider refreshes on its own, ahead of expiry.
} catch (error) {
  if (!(error instanceof TokenError)) throw error;
  // reauthorization_required: the user's refresh token is gone — send them through the authorization flow again.
  console.error(`wps: ${error.code}: ${error.message}`);
  process.exitCode = 1;
} finally {
  // Stops the provider's refresh timer, so the process exits by itself.
  await user?.close();
}

function fromEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name} (see the comment at the top of this file)`);
  return value;
}
