// An API client that carries the vendor's token: openapi-fetch, typed by the API's OpenAPI paths, with
// core's bearerAuth middleware — `Authorization: Bearer …` on every request to that API (and nowhere else), and
// on a 401 one retry with a fresh token.
//
//   API_BASE_URL=https://api.example DUSHU_APP_ID=… DUSHU_APP_SECRET=… npx tsx api-client.ts
//
// `paths` below is what `npx openapi-typescript your-api.yaml -o your-api.ts` generates for an API with one
// operation; import the generated file instead. DUSHU_BASE_URL is optional (the test points it, and API_BASE_URL,
// at loopback servers).
import { bearerAuth } from '@token-clients/core';
import { createDushuClient, TokenError } from '@token-clients/dushu';
import createClient from 'openapi-fetch';

/** The API's paths, as openapi-typescript writes them. */
interface paths {
  '/v1/books/{bookId}': {
    get: {
      parameters: { path: { bookId: string } };
      responses: {
        200: { content: { 'application/json': { id: string; title: string } } };
        401: { content: { 'application/json': { message: string } } };
      };
    };
  };
}

const tokens = createDushuClient({
  clientId: fromEnv('DUSHU_APP_ID'),
  clientSecret: fromEnv('DUSHU_APP_SECRET'),
  baseUrl: process.env.DUSHU_BASE_URL,
}).tokenProvider();

const apiBaseUrl = fromEnv('API_BASE_URL');
const api = createClient<paths>({ baseUrl: apiBaseUrl });
// The token goes to this base URL only: the provider's own baseUrl is the token endpoint, not the API.
api.use(bearerAuth(tokens, { baseUrl: apiBaseUrl }));

try {
  const { data, error, response } = await api.GET('/v1/books/{bookId}', { params: { path: { bookId: '42' } } });
  if (error) {
    console.error(`the API answered ${response.status}: ${error.message}`);
    process.exitCode = 1;
  } else {
    console.log(`book ${data.id}: ${data.title}`);
  }
} catch (error) {
  if (!(error instanceof TokenError)) throw error;
  console.error(`no token for the API (${error.code}): ${error.message}`);
  process.exitCode = 1;
} finally {
  await tokens.close();
}

function fromEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name} (see the comment at the top of this file)`);
  return value;
}
