/**
 * Attribute names. Where an OpenTelemetry semantic convention applies it is used as written in the
 * (stable) HTTP and error conventions — spelled out here rather than imported, so the package needs no
 * dependency beyond `@opentelemetry/api`. The rest are token-clients' own, under `token_clients.`.
 */
export const ATTR = {
  httpRequestMethod: 'http.request.method',
  httpResponseStatusCode: 'http.response.status_code',
  serverAddress: 'server.address',
  serverPort: 'server.port',
  urlFull: 'url.full',
  errorType: 'error.type',
  vendor: 'token_clients.vendor',
  grant: 'token_clients.grant',
  requestId: 'token_clients.request_id',
  background: 'token_clients.refresh.background',
  source: 'token_clients.refresh.source',
  cacheHit: 'token_clients.cache.hit',
  leaseOutcome: 'token_clients.lease.outcome',
  storeState: 'token_clients.store.state',
  quotaState: 'token_clients.quota.state',
  retryable: 'token_clients.error.retryable',
} as const;

/** `server.address` and `server.port` of a URL (the token endpoint's, which core publishes without its query). */
export function serverAttributes(url: string): Record<string, string | number> {
  try {
    const parsed = new URL(url);
    const port = parsed.port ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80;
    return { [ATTR.serverAddress]: parsed.hostname, [ATTR.serverPort]: port };
  } catch {
    return {};
  }
}
