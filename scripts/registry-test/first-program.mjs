// A user's first program, run in the directory `npm install @token-clients/<vendor>` filled: it gets a token from
// the vendor (here its fake), through a provider where the vendor has client credentials, and shows a TokenError.
// Copied there by scripts/registry-test.ts, which sets the environment.
import { readFileSync } from 'node:fs';

const { VENDOR, FACTORY, FAKE_URL, FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, FAKE_CLIENT_OPTIONS, FAKE_CODE, FAKE_REDIRECT_URI } = process.env;
// Further options the vendor's client needs (WeCom's `application`).
const more = JSON.parse(FAKE_CLIENT_OPTIONS || '{}');
const vendor = await import(`@token-clients/${VENDOR}`);
const client = vendor[FACTORY]({ ...more, clientId: FAKE_CLIENT_ID, clientSecret: FAKE_CLIENT_SECRET || undefined, baseUrl: FAKE_URL });

let token;
let how;
if (FAKE_CODE) {
  token = await client.exchangeCode({ code: FAKE_CODE, redirectUri: FAKE_REDIRECT_URI });
  how = 'exchangeCode()';
} else {
  const provider = client.tokenProvider();
  try {
    token = await provider.getToken();
  } finally {
    await provider.close();
  }
  how = 'tokenProvider().getToken()';
}
if (!(token.accessToken.length > 0 && token.expiresAt > Date.now())) throw new Error(`${how} gave no usable token`);

// A spent (or made-up) code, or a wrong secret: the failure is a TokenError from the installed package.
const refused = await (FAKE_CODE
  ? client.exchangeCode({ code: FAKE_CODE, redirectUri: FAKE_REDIRECT_URI })
  : vendor[FACTORY]({ ...more, clientId: FAKE_CLIENT_ID, clientSecret: 'wrong', baseUrl: FAKE_URL }).requestToken()
).then(
  () => undefined,
  (error) => error,
);
if (!(refused instanceof vendor.TokenError)) throw new Error(`a refused request did not fail with a TokenError: ${refused}`);

const { version } = JSON.parse(readFileSync(new URL(`./node_modules/@token-clients/${VENDOR}/package.json`, import.meta.url), 'utf8'));
console.log(`@token-clients/${VENDOR}@${version}: ${how} → a ${token.tokenType} token of ${token.accessToken.length} characters; refused → TokenError ${refused.code}`);
