import type { FastifyInstance } from 'fastify';
import type { TokenApps } from '../token-apps.js';
import type { ServiceMetrics } from '../metrics/service-metrics.js';
import { admit } from './access.js';
import type { AnswerObserver } from './answer-observer.js';
import type { CallerKeys } from './caller-keys.js';
import { problemOf, serviceProblem } from './problem.js';
import { lastIfClosing } from './closing-connection.js';
import { sendProblem } from './send-problem.js';
import { TOKEN_RESPONSE_SCHEMA, tokenResponse } from './token-response.js';

/** Whether the service is shutting down; set when `close()` begins. */
export interface ShutdownState {
  closing: boolean;
}

/** What the routes need from the service. */
export interface RouteContext {
  apps: TokenApps;
  callers: CallerKeys;
  metrics: ServiceMetrics;
  now: () => number;
  shutdown: ShutdownState;
  /** Counts and logs an answer; routes marked `observesItself` call it themselves. */
  observe: AnswerObserver;
}

const APP_PARAMS = { type: 'object', required: ['app'], properties: { app: { type: 'string', maxLength: 64 } } } as const;
const INVALIDATE_BODY = {
  type: 'object',
  required: ['access_token'],
  properties: { access_token: { type: 'string', minLength: 1, maxLength: 8192 } },
} as const;

/** `GET /v1/apps/{app}/token` and `POST /v1/apps/{app}/token/invalidate`: an app's own token. */
export function registerTokenRoutes(server: FastifyInstance, context: RouteContext): void {
  const { apps, callers, metrics, now, shutdown } = context;

  // The hot path: no params schema (an app name that is not in the config is simply a 404), the route label
  // set here rather than derived per request, and the answer observed inline rather than by a hook.
  server.get<{ Params: { app: string } }>(
    '/v1/apps/:app/token',
    { schema: { response: { 200: TOKEN_RESPONSE_SCHEMA } }, config: { observesItself: true } },
    async (request, reply) => {
      request.route = '/v1/apps/:app/token';
      const admitted = admit(request, reply, callers, apps, request.params.app);
      if (admitted) {
        const { app, caller } = admitted;
        if (!app.provider) {
          sendProblem(reply, noAppToken(app.name, app.vendor));
        } else {
          try {
            const token = await app.provider.getToken();
            metrics.served(app.name, caller.name, 'app');
            lastIfClosing(reply, shutdown).header('cache-control', 'no-store').send(tokenResponse(token, now()));
          } catch (error) {
            request.log.warn({ app: app.name, err: error }, 'no token could be had');
            sendProblem(lastIfClosing(reply, shutdown), problemOf(error));
          }
        }
      }
      context.observe(request, reply);
      return reply;
    },
  );

  server.post<{ Params: { app: string }; Body: { access_token: string } }>(
    '/v1/apps/:app/token/invalidate',
    { schema: { params: APP_PARAMS, body: INVALIDATE_BODY } },
    async (request, reply) => {
      request.route = '/v1/apps/:app/token/invalidate';
      const admitted = admit(request, reply, callers, apps, request.params.app);
      if (!admitted) return reply;
      const { app } = admitted;
      if (!app.provider) return sendProblem(reply, noAppToken(app.name, app.vendor));
      try {
        // Core drops the token only if it is still the current one, and rate-limits forced refreshes.
        await app.provider.invalidate(request.body.access_token);
        return lastIfClosing(reply, shutdown).code(204).send();
      } catch (error) {
        return sendProblem(lastIfClosing(reply, shutdown), problemOf(error));
      }
    },
  );
}

function noAppToken(app: string, vendor: string) {
  return serviceProblem(404, 'no_app_token', `app "${app}" (${vendor}) has user tokens only: use /v1/apps/${app}/users/{subject}/token`);
}
