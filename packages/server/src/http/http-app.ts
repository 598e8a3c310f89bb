// The named export: fastify's CommonJS module is not ESM-shaped, so a default import breaks the CommonJS build.
import { fastify as Fastify, LogController, type FastifyError, type FastifyInstance } from 'fastify';
import type { LimitsConfig } from '../config/service-config.js';
import { loggerOptions } from '../logging.js';
import type { ServiceStore } from '../token-store.js';
import { answerObserver } from './answer-observer.js';
import { registerHealthRoutes } from './health-routes.js';
import { serviceProblem } from './problem.js';
import { sendProblem } from './send-problem.js';
import { registerTokenRoutes, type RouteContext } from './token-routes.js';
import { registerUserRoutes } from './user-routes.js';

/** What the HTTP app is built from. */
export interface HttpAppOptions extends Omit<RouteContext, 'observe'> {
  store: ServiceStore;
  limits: LimitsConfig;
  logLevel: string;
  /** Every configured secret, scrubbed from each log line. */
  secrets: readonly string[];
  /** Where log lines go; default stdout. */
  logStream?: NodeJS.WritableStream;
}

/**
 * The service's fastify app. Fastify because it is well kept (the OpenJS Foundation's, v5 on Node 20+), fast
 * (schema-compiled serialisation), and has what a token service must have built in: body limits, request and
 * keep-alive timeouts, graceful `close()` that lets in-flight requests finish, and pino's structured logs.
 */
export function createHttpApp(appOptions: HttpAppOptions): FastifyInstance {
  // The level is fixed at start: whether per-request lines are written at all.
  const logsRequests = ['info', 'debug', 'trace'].includes(appOptions.logLevel);
  const options = { ...appOptions, observe: answerObserver(appOptions.metrics, logsRequests) };
  const { limits, metrics } = options;
  const logger = loggerOptions(options.logLevel, options.secrets) as Record<string, unknown>;
  if (options.logStream) logger.stream = options.logStream;
  const server = Fastify({
    logger,
    bodyLimit: limits.bodyLimitBytes,
    // A slow client (slowloris) must not hold a connection: the whole request must arrive within requestTimeout.
    requestTimeout: limits.requestTimeoutMs,
    connectionTimeout: limits.requestTimeoutMs * 2,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // close(): idle keep-alive connections go at once; busy ones when their answer is sent.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    // Fastify's own per-request lines are replaced by one "answered" line with caller and app (onResponse).
    logController: new LogController({ disableRequestLogging: true }),
    // A child logger per request costs a bindings serialisation; when its lines would be dropped anyway (level
    // above info, the usual setting for throughput), requests log through the root logger.
    childLoggerFactory: (parent, bindings, childOptions) => (logsRequests ? parent.child(bindings, childOptions) : parent),
    // A caller-chosen id would let a client forge log correlation; ours are sequential.
    requestIdHeader: false,
    http: {
      // Headers within the same time (Node's default, 60 s, would let a slow client sit on a socket), and
      // both checked often: Node looks for overdue requests only every 30 s unless told otherwise.
      headersTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: Math.max(100, Math.min(1_000, Math.floor(limits.requestTimeoutMs / 4))),
    },
  });

  // While closing, answers in flight end their connection (see `answerHeaders`): a keep-alive socket left
  // idle would hold close() until the client's own keep-alive timeout.
  server.addHook('preClose', (done) => {
    options.shutdown.closing = true;
    done();
  });
  // Each answer is counted and logged once. Every route gets this as a route-level onResponse hook, except
  // the hot token route, which observes its own answers inline: a hook there cost a measurable share of the
  // cached-token throughput (bench/). Its duration then stops when the answer is handed to the socket.
  server.addHook('onRoute', (route) => {
    if ((route.config as { observesItself?: boolean } | undefined)?.observesItself) return;
    const existing = route.onResponse === undefined ? [] : [route.onResponse].flat();
    route.onResponse = [
      ...existing,
      (request, reply, done) => {
        options.observe(request, reply);
        done();
      },
    ];
  });

  server.decorateRequest('route', undefined);
  server.setNotFoundHandler((request, reply) => {
    request.route = 'unmatched';
    sendProblem(reply, serviceProblem(404, 'not_found', `no ${request.method} ${request.url.split('?')[0]} here; the API is under /v1 (see specs/token-service.yaml)`));
    options.observe(request, reply);
  });

  server.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500;
    if (error.validation) return sendProblem(reply, serviceProblem(400, 'invalid_request', `the request ${error.message}`));
    if (status >= 500) {
      request.log.error({ err: error }, 'unexpected failure');
      return sendProblem(reply, serviceProblem(500, 'internal_error', 'the service failed unexpectedly; the log has the details'));
    }
    // The parsers' own messages can quote the body (which may hold a token or a code): say what, not where.
    return sendProblem(reply, serviceProblem(status, frameworkCode(status), FRAMEWORK_DETAILS[status] ?? 'the request was refused'));
  });

  registerHealthRoutes(server, options.store, metrics);
  registerTokenRoutes(server, options);
  registerUserRoutes(server, options);
  return server;
}

const FRAMEWORK_DETAILS: Record<number, string> = {
  400: 'the body is not valid JSON',
  413: 'the body is larger than the service accepts (limits.bodyLimitBytes)',
  415: 'send the body as application/json',
};

function frameworkCode(status: number): string {
  if (status === 413) return 'body_too_large';
  if (status === 415) return 'unsupported_media_type';
  return 'invalid_request';
}
