import type { FastifyInstance } from 'fastify';
import type { ServiceMetrics } from '../metrics/service-metrics.js';
import type { ServiceStore } from '../token-store.js';

/** `GET /healthz`, `GET /readyz` and `GET /metrics`: for orchestrators and Prometheus. No secrets, no caller key. */
export function registerHealthRoutes(server: FastifyInstance, store: ServiceStore, metrics: ServiceMetrics): void {
  // Alive: the process answers. A restart would not mend a down Redis, so the store is not part of it.
  server.get('/healthz', async (_request, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok', service: 'token-clients' }));

  server.get('/readyz', async (_request, reply) => {
    const reachable = await store.reachable();
    reply.header('cache-control', 'no-store');
    if (reachable) return reply.send({ status: 'ready', store: store.type });
    return reply.code(503).send({
      status: 'degraded',
      store: store.type,
      detail: 'the token store (Redis) is unreachable: this replica serves the tokens it holds and refreshes on its own until it is back',
    });
  });

  server.get('/metrics', async (_request, reply) => {
    const text = await metrics.registry.metrics();
    return reply.header('content-type', metrics.registry.contentType).send(text);
  });
}
