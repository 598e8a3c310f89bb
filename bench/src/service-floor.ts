/**
 * The floor of the token-service benchmark: the same framework (fastify 5) in a process of its own, serving a
 * constant JSON body of the same shape and size as a token answer, with the same response schema — so the
 * difference is what the service does per request (caller-key check, cache hit, metrics), not the framework.
 */
import Fastify from 'fastify';

const token = JSON.parse(process.argv[2]!) as { access_token: string; token_type: string; expires_at: string; expires_in: number };
const server = Fastify({ logger: false });
server.get(
  '/v1/apps/:app/token',
  {
    schema: {
      response: {
        200: {
          type: 'object',
          properties: { access_token: { type: 'string' }, token_type: { type: 'string' }, expires_at: { type: 'string' }, expires_in: { type: 'integer' } },
        },
      },
    },
  },
  async (_request, reply) => reply.header('cache-control', 'no-store').send(token),
);
await server.listen({ host: '127.0.0.1', port: 0 });
const address = server.server.address();
process.send!({ url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` });
process.on('disconnect', () => void server.close().then(() => process.exit(0)));
