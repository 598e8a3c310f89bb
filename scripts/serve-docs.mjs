// `pnpm docs:serve`: serves docs/ on localhost (PORT, default 8080; HOST, default 127.0.0.1), building it
// first when docs/index.html is missing. Stop it with Ctrl+C. Rebuild with `pnpm docs` while it runs.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildDocs, REPO_ROOT } from './docs/build.mjs';
import { startStaticServer } from './docs/static-server.mjs';

const root = join(REPO_ROOT, 'docs');
const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? '127.0.0.1';
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a port number, got "${process.env.PORT}"`);
  process.exit(1);
}

if (!existsSync(join(root, 'index.html'))) {
  console.log('docs/ has not been built yet: building it first');
  const result = await buildDocs({ log: (line) => console.log(line) });
  if (result.problems.length > 0) {
    console.error(`built with ${result.problems.length} problem(s) (see the index):\n${result.problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

try {
  const server = await startStaticServer({ root, host, port });
  console.log(`Serving docs/ at ${server.url}  (Ctrl+C to stop)`);
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  const code = /** @type {NodeJS.ErrnoException} */ (error).code;
  if (code === 'EADDRINUSE') console.error(`Port ${port} on ${host} is in use: set PORT to another one, e.g. PORT=8081 pnpm docs:serve`);
  else console.error(`Cannot serve docs/: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
