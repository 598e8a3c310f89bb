const warned = new Set<string>();

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** True for `localhost`, `*.localhost`, the 127.0.0.0/8 range and `::1`. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || hostname.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * Emits a process warning, once per origin and process, when a request carrying credentials goes over plain
 * http to another machine (the Fantem gateway's documented server is `http://`). Loopback is exempt: that is
 * a local proxy or a test server.
 */
export function warnIfPlainHttp(url: string): void {
  // Every token request passes here: https, the common case, costs a prefix check, not a URL parse.
  if (!url.startsWith('http:')) return;
  const { protocol, hostname, origin } = new URL(url);
  if (protocol !== 'http:' || isLoopbackHost(hostname) || warned.has(origin)) return;
  warned.add(origin);
  const message = `token-clients: credentials are being sent over plain http to ${origin}; anyone on the network path can read them. Use an https baseUrl if the vendor offers one.`;
  // A process warning where there is a process that emits them (Node, Bun, Deno); a console warning on a worker.
  const runtime = (globalThis as { process?: { emitWarning?: (message: string, options: { code: string }) => void } }).process;
  if (typeof runtime?.emitWarning === 'function') runtime.emitWarning(message, { code: 'TOKEN_CLIENTS_PLAIN_HTTP' });
  else console.warn(message);
}
