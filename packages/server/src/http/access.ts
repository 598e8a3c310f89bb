import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TokenApp, TokenApps } from '../token-apps.js';
import { bearerKey, type Caller, type CallerKeys } from './caller-keys.js';
import { serviceProblem } from './problem.js';
import { sendProblem } from './send-problem.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller, once `admit` let the request through (for logs and metrics). */
    caller?: Caller;
    /** The app the request is for, once known. */
    tokenApp?: TokenApp;
    /** The route's pattern, for metrics and logs; set by each handler (cheaper than `routeOptions`, built per call). */
    route?: string;
  }
}

/**
 * Lets a request for `appName` through, or answers it: 401 without a valid caller key, 404 for an app not in
 * the config, 403 for an app the caller may not read. The key is checked first, so an unauthenticated
 * client learns nothing about which apps exist.
 */
export function admit(
  request: FastifyRequest,
  reply: FastifyReply,
  callers: CallerKeys,
  apps: TokenApps,
  appName: string,
): { caller: Caller; app: TokenApp } | undefined {
  const key = bearerKey(request.headers.authorization);
  const caller = key === undefined ? undefined : callers.find(key);
  if (caller === undefined) {
    const detail =
      key === undefined
        ? 'send the caller key from the service config as "Authorization: Bearer <key>"'
        : 'the caller key is not one of the configured callers\' keys; check the key you were given';
    sendProblem(reply, serviceProblem(401, key === undefined ? 'missing_caller_key' : 'invalid_caller_key', detail));
    return undefined;
  }
  request.caller = caller;
  const app = apps.get(appName);
  if (app === undefined) {
    sendProblem(reply, serviceProblem(404, 'unknown_app', `no app "${appName}" in the service config; the app names are the keys under "apps"`));
    return undefined;
  }
  if (!caller.apps.has(appName)) {
    sendProblem(reply, serviceProblem(403, 'app_not_allowed', `caller "${caller.name}" may not read app "${appName}"; add it to the caller's "apps" in the config`));
    return undefined;
  }
  request.tokenApp = app;
  return { caller, app };
}
