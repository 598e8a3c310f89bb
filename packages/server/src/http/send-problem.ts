import type { FastifyReply } from 'fastify';
import type { Problem } from './problem.js';

/** Sends `problem` as `application/problem+json`, with `Retry-After` and `WWW-Authenticate` where they apply. */
export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  reply.code(problem.status).header('content-type', 'application/problem+json; charset=utf-8').header('cache-control', 'no-store');
  if (problem.retry_after !== undefined) reply.header('retry-after', String(problem.retry_after));
  if (problem.status === 401) reply.header('www-authenticate', 'Bearer realm="token-clients"');
  return reply.send(JSON.stringify(problem));
}
