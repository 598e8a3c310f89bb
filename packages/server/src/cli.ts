#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { TokenError } from '@token-clients/core';

const USAGE = `usage:
  token-clients serve --config <file>    run the token service
  token-clients token <app> --config <file>
                                         print one app's access token (for scripts and operators)
  token-clients check --config <file>    validate a config and say exactly what is wrong

--config may be left out when TOKEN_CLIENTS_CONFIG names the file.`;

/** Exit codes: 0 done, 1 the work failed (a vendor, the network), 2 a usage or configuration mistake. */
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { config: { type: 'string', short: 'c' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    process.stderr.write(`token-clients: ${(error as Error).message}\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  const [command, ...rest] = parsed.positionals;
  if (parsed.values.help || command === undefined) {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined && !parsed.values.help ? EXIT_USAGE : 0;
  }
  const file = parsed.values.config ?? process.env.TOKEN_CLIENTS_CONFIG;
  if (!['serve', 'token', 'check'].includes(command)) return usage(`unknown command "${command}"`);
  if (file === undefined) return usage('--config <file> is required (or set TOKEN_CLIENTS_CONFIG)');
  if (command === 'token' ? rest.length !== 1 : rest.length !== 0) {
    return usage(command === 'token' ? 'name one app: token-clients token <app>' : `unexpected argument "${rest[0]}"`);
  }

  // Loaded only now: a usage mistake is answered without loading five vendors, fastify and a Redis client.
  const { loadConfig } = await import('./config/load-config.js');
  const config = await loadConfig(file);
  if (command === 'check') {
    const apps = Object.entries(config.apps).map(([name, app]) => `${name} (${app.vendor})`);
    process.stdout.write(
      `${file}: valid. ${apps.length} app(s): ${apps.join(', ')}; ${config.callers.length} caller(s); store: ${config.store.type}; listen: ${config.listen.host}:${config.listen.port}\n`,
    );
    return 0;
  }
  if (command === 'token') {
    const { printAppToken } = await import('./print-app-token.js');
    process.stdout.write(`${await printAppToken(config, rest[0]!)}\n`);
    return 0;
  }
  const { startTokenService } = await import('./token-service.js');
  const service = await startTokenService(config);
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      service.http.log.info({ signal }, 'shutting down: finishing in-flight requests');
      void service.close().then(resolve, resolve);
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  return 0;
}

function usage(problem: string): number {
  process.stderr.write(`token-clients: ${problem}\n${USAGE}\n`);
  return EXIT_USAGE;
}

/**
 * Exits once stdout and stderr have flushed (writes to a pipe are asynchronous, and a printed token must not
 * be cut off). Exiting explicitly, rather than waiting for an empty event loop, keeps an idle keep-alive
 * connection to a vendor (undici holds one for 4 s) from delaying the end of `serve` and `token`.
 */
function exit(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

main(process.argv.slice(2)).then(
  (code) => exit(code),
  (error: unknown) => {
    // TokenError messages are written never to hold a secret; anything else is reported by its kind only.
    if (error instanceof TokenError) {
      process.stderr.write(`token-clients: ${error.message}${error.requestId ? ` (vendor request id ${error.requestId})` : ''}\n`);
      exit(error.code === 'invalid_configuration' ? EXIT_USAGE : EXIT_FAILED);
    } else {
      const code = (error as NodeJS.ErrnoException | undefined)?.code;
      process.stderr.write(`token-clients: failed${code ? ` (${code})` : ''}: ${error instanceof Error ? error.message : 'unknown error'}\n`);
      exit(EXIT_FAILED);
    }
  },
);
