#!/usr/bin/env node
// Runs the packages' own test suites on Bun and on Deno: the runtimes the packages declare in `engines` beside
// Node (the README's "Runtimes" says which package runs where, and why).
//
//   node scripts/test-runtimes.mjs [bun|deno …] [package-dir …] [--concurrency N]
//       default: both runtimes, each on the packages whose `engines` declare it
//
// Gets each runtime from npm at the version the `engines` floor names (`npx -y bun@… / deno@…`) and runs each
// package's vitest with it, the way `vitest run` runs in that package: vitest's workers, the client and the
// testkit fake the tests start all run on that runtime. Run after `pnpm build`: vendor tests import core's build.
import { execFileSync } from 'node:child_process';
import { runPackageTests } from './lib/package-tests.mjs';
import { workspacePackages } from './lib/workspace-packages.mjs';

/** The versions CI tests: the floors of the `engines` ranges the packages declare. */
export const RUNTIMES = {
  bun: { npm: 'bun@1.4.5', execPath: ['-e', 'console.log(process.execPath)'], command: (path) => [path, '--bun'] },
  deno: { npm: 'deno@2.9.6', execPath: ['eval', 'console.log(Deno.execPath())'], command: (path) => [path, 'run', '--allow-all'] },
};

/**
 * Tests that fail on a runtime because the runtime behaves differently, not the package: the run passes only if
 * exactly these fail there, so a new failure fails CI, and so does a difference that has gone away (then remove
 * it here and from the README's "Runtimes"). Each one is in the README, with what a user does about it.
 */
export const KNOWN_DIFFERENCES = [
  {
    runtime: 'deno',
    package: 'akubela',
    test: 'test/refresh.test.ts > refresh > shows that a lost answer may have spent the refresh token (spec ruling 13)',
    why:
      "Deno's fetch sends a request again, unasked, when a reused keep-alive connection closes before any answer " +
      '(hyper retries it as "canceled"): the lost refresh is resent with the spent refresh token, so the caller sees ' +
      'invalid_grant at once instead of network_error. The token is spent either way (ruling 13).',
  },
  {
    runtime: 'bun',
    package: 'fantem',
    test: 'test/plain-http.test.ts > warns once per process when codes and tokens go over plain http to the documented server (ruling 7)',
    why:
      "Bun drops a Request's Content-Type header once its FormData body has been read (`await request.formData()`), " +
      'and the test reads the body before the header; what the client sends carries the multipart header (the other ' +
      'fantem tests, against the fake over loopback, check that). Reading the header first would make it pass.',
  },
];

const args = process.argv.slice(2);
const concurrencyAt = args.indexOf('--concurrency');
const concurrency = concurrencyAt >= 0 ? Number(args[concurrencyAt + 1]) : 2;
const named = args.filter((arg, index) => !arg.startsWith('--') && (concurrencyAt < 0 || index !== concurrencyAt + 1));
const runtimes = named.filter((arg) => arg in RUNTIMES);
const only = named.filter((arg) => !(arg in RUNTIMES));

/** The packages tested on a runtime: those named, or else those whose `engines` declare it. */
const packagesFor = (runtime) =>
  workspacePackages().filter((pkg) => pkg.manifest.scripts?.test && (only.length > 0 ? only.includes(pkg.dir) : pkg.manifest.engines?.[runtime]));

let ok = true;
for (const name of runtimes.length > 0 ? runtimes : Object.keys(RUNTIMES)) {
  const runtime = RUNTIMES[name];
  const packages = packagesFor(name);
  if (packages.length === 0) {
    console.error(`no package with a test script matches ${only.join(', ') || `engines.${name}`}`);
    process.exit(1);
  }
  const path = execFileSync('npx', ['-y', runtime.npm, ...runtime.execPath], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  const version = execFileSync(path, ['--version'], { encoding: 'utf8' }).trim().split('\n')[0];
  console.log(`\n${name}: ${version} (${path})`);
  const judgeFailures = (pkg, failed) => {
    const expected = KNOWN_DIFFERENCES.filter((known) => known.runtime === name && known.package === pkg.dir).map((known) => known.test);
    const unexpected = failed.filter((test) => !expected.includes(test));
    const gone = expected.filter((test) => !failed.includes(test));
    if (unexpected.length > 0) return `failed on ${name} only, or everywhere: ${unexpected.join('; ')}`;
    if (gone.length > 0) return `a known difference of ${name} has gone away (remove it from KNOWN_DIFFERENCES and the README): ${gone.join('; ')}`;
    return undefined;
  };
  ok = (await runPackageTests({ label: `${name} ${version}`, packages, command: runtime.command(path), concurrency, judgeFailures })) && ok;
}
process.exitCode = ok ? 0 : 1;
