// Starts one vendor's fake from the testkit source (run with `node --import tsx`), prints
// `{"url","clientId","clientSecret"}` on one line, and serves until stdin closes or a signal arrives.
// Used by scripts/pack-test.mjs so that the installed packages get a real token over loopback.
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const vendor = process.argv[2];
if (!vendor || !/^[a-z][a-z0-9-]*$/.test(vendor)) throw new Error('usage: serve-fake.ts <vendor>');

const module = (await import(pathToFileURL(resolve(import.meta.dirname, `../../packages/testkit/src/vendors/${vendor}.ts`)).href)) as Record<string, unknown>;
const start = Object.entries(module).find(([name, value]) => /^start\w+Fake$/.test(name) && typeof value === 'function')?.[1] as
  | (() => Promise<{ url: string; clientId: string; clientSecret: string; close(): Promise<void> }>)
  | undefined;
if (!start) throw new Error(`packages/testkit/src/vendors/${vendor}.ts exports no start…Fake function`);

const fake = await start();
process.stdout.write(`${JSON.stringify({ url: fake.url, clientId: fake.clientId, clientSecret: fake.clientSecret })}\n`);

const stop = () => void fake.close().then(() => process.exit(0));
process.stdin.on('end', stop).on('close', stop).resume();
process.on('SIGTERM', stop).on('SIGINT', stop);
