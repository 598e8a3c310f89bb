import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServiceMetrics } from '../metrics/service-metrics.js';

/** Counts one answer in the HTTP metrics and, when request lines are on, logs it. Call once per answer. */
export type AnswerObserver = (request: FastifyRequest, reply: FastifyReply) => void;

/**
 * The observer of every answer: `http_server_requests_total` and its duration by route pattern and status, and
 * one JSON log line with caller and app (never a header or the query string) when the level is info or lower.
 */
export function answerObserver(metrics: ServiceMetrics, logsRequests: boolean): AnswerObserver {
  return (request, reply) => {
    const route = request.route ?? request.routeOptions.url ?? 'unmatched';
    metrics.request(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    if (logsRequests) {
      request.log.info(
        { method: request.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10, caller: request.caller?.name, app: request.tokenApp?.name },
        'answered',
      );
    }
  };
}
