import type { FastifyServerOptions } from 'fastify';

/** What stands in for a secret in a log line. */
export const REDACTED = '[redacted]';

/**
 * The pino options of the service's structured (JSON) logs. Secrets are kept out three ways: the request
 * serializer logs the path without its query string and no headers; `redact` drops the fields that could
 * carry one; and every line is scrubbed of the configured secrets (client secrets, caller keys, the Redis
 * password) before it is written, so that no code path — ours, fastify's or a library's — can leak them.
 */
export function loggerOptions(level: string, secrets: readonly string[]): NonNullable<FastifyServerOptions['logger']> {
  // Longest first, so a secret that contains another is replaced whole.
  // Each secret as written and as JSON escapes it (a log line is JSON), longest first, so that a secret
  // containing another is replaced whole.
  const forms = secrets.filter((secret) => secret.length >= 4).flatMap((secret) => [secret, JSON.stringify(secret).slice(1, -1)]);
  const known = [...new Set(forms)].sort((a, b) => b.length - a.length);
  return {
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', '*.access_token', '*.refresh_token', '*.code', '*.clientSecret'],
      censor: REDACTED,
    },
    serializers: {
      req: (request: { method: string; url: string; ip?: string }) => ({ method: request.method, path: request.url.split('?')[0], remoteAddress: request.ip }),
    },
    hooks: {
      streamWrite: (line: string) => {
        let scrubbed = line;
        for (const secret of known) if (scrubbed.includes(secret)) scrubbed = scrubbed.split(secret).join(REDACTED);
        return scrubbed;
      },
    },
  } as NonNullable<FastifyServerOptions['logger']>;
}
