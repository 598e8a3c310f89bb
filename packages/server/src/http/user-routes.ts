import type { FastifyInstance } from 'fastify';
import type { TokenApp } from '../token-apps.js';
import { admit } from './access.js';
import { problemOf, serviceProblem } from './problem.js';
import { lastIfClosing } from './closing-connection.js';
import { sendProblem } from './send-problem.js';
import type { RouteContext } from './token-routes.js';
import { TOKEN_RESPONSE_SCHEMA, tokenResponse } from './token-response.js';

/** A subject is part of a store key: a plain identifier, no separators that could reach another user's key. */
const USER_PARAMS = {
  type: 'object',
  required: ['app', 'subject'],
  properties: { app: { type: 'string', maxLength: 64 }, subject: { type: 'string', pattern: '^[A-Za-z0-9._@+-]{1,128}$' } },
} as const;
const AUTHORIZATION_BODY = {
  type: 'object',
  required: ['code'],
  properties: { code: { type: 'string', minLength: 1, maxLength: 4096 }, redirect_uri: { type: 'string', minLength: 1, maxLength: 2048 } },
} as const;

/**
 * The user tokens of authorization-code vendors (wps, fantem): `POST …/users/{subject}/authorization`
 * exchanges a code, `GET …/users/{subject}/token` serves that user's access token.
 */
export function registerUserRoutes(server: FastifyInstance, context: RouteContext): void {
  const { apps, callers, metrics, now, shutdown } = context;

  server.post<{ Params: { app: string; subject: string }; Body: { code: string; redirect_uri?: string } }>(
    '/v1/apps/:app/users/:subject/authorization',
    { schema: { params: USER_PARAMS, body: AUTHORIZATION_BODY, response: { 200: TOKEN_RESPONSE_SCHEMA } } },
    async (request, reply) => {
      request.route = '/v1/apps/:app/users/:subject/authorization';
      const admitted = admit(request, reply, callers, apps, request.params.app);
      if (!admitted) return reply;
      const { app, caller } = admitted;
      if (!app.entry.userTokens) return sendProblem(reply, noUserTokens(app));
      const { code, redirect_uri: redirectUri } = request.body;
      if (app.entry.requiresRedirectUri && redirectUri === undefined) {
        return sendProblem(reply, serviceProblem(400, 'invalid_request', `${app.vendor} checks the redirect URI: send "redirect_uri", the one the code was issued for`));
      }
      try {
        const token = await app.authorize(request.params.subject, code, redirectUri);
        metrics.served(app.name, caller.name, 'user');
        return lastIfClosing(reply, shutdown).header('cache-control', 'no-store').send(tokenResponse(token, now()));
      } catch (error) {
        request.log.warn({ app: app.name, err: error }, 'code exchange failed');
        return sendProblem(lastIfClosing(reply, shutdown), problemOf(error));
      }
    },
  );

  server.get<{ Params: { app: string; subject: string } }>(
    '/v1/apps/:app/users/:subject/token',
    { schema: { params: USER_PARAMS, response: { 200: TOKEN_RESPONSE_SCHEMA } } },
    async (request, reply) => {
      request.route = '/v1/apps/:app/users/:subject/token';
      const admitted = admit(request, reply, callers, apps, request.params.app);
      if (!admitted) return reply;
      const { app, caller } = admitted;
      if (!app.entry.userTokens) return sendProblem(reply, noUserTokens(app));
      try {
        const token = await app.userProvider(request.params.subject).getToken();
        metrics.served(app.name, caller.name, 'user');
        return lastIfClosing(reply, shutdown).header('cache-control', 'no-store').send(tokenResponse(token, now()));
      } catch (error) {
        request.log.warn({ app: app.name, err: error }, 'no user token could be had');
        return sendProblem(lastIfClosing(reply, shutdown), problemOf(error));
      }
    },
  );
}

function noUserTokens(app: TokenApp) {
  return serviceProblem(404, 'no_user_tokens', `app "${app.name}" (${app.vendor}) has no user tokens: use /v1/apps/${app.name}/token`);
}
