#!/usr/bin/env node
// Proves that no test depends on today's date or the wall clock: runs the core, vendor and conformance suites
// again with the clock moved more than a year ahead (Debian's `faketime`, which moves Node's clock through
// LD_PRELOAD). The time zone is proven by `pnpm test:node24`, which runs every suite under TZ=America/New_York.
//
//   node scripts/test-clock.mjs            (after `pnpm build`: vendor tests import core's build)
//
// A test that needs "now" takes it from an injected clock; one that reads the real clock, or formats a date in
// local time, fails here on any day, not only on the day real time passes its hard-coded date.
import { execFileSync } from 'node:child_process';
import { runPackageTests } from './lib/package-tests.mjs';
import { workspacePackages } from './lib/workspace-packages.mjs';

/**
 * Core, the vendors, their fakes and the conformance suites: everything that computes expiries. Not the Redis
 * store's suite: libfaketime, inherited by the redis-server it starts, makes that server hang at start, and its
 * expiry arithmetic is core's, proven here.
 */
const packages = workspacePackages().filter(
  (pkg) =>
    pkg.manifest.scripts?.test &&
    pkg.dir !== 'redis-store' &&
    (pkg.dir === 'core' || pkg.dir === 'conformance' || pkg.manifest.dependencies?.['@token-clients/core']),
);

try {
  execFileSync('faketime', ['--version'], { stdio: 'ignore' });
} catch {
  console.error('faketime is missing: install Debian\'s faketime (scripts/ensure-test-prerequisites.sh does).');
  process.exit(1);
}
// 400 days from now, whatever today is: past any date a test could have hard-coded today.
const ahead = new Date(Date.now() + 400 * 86_400_000).toISOString().slice(0, 19).replace('T', ' ');
const moved = await runPackageTests({ label: `clock moved to ${ahead} UTC (faketime)`, packages, command: ['faketime', ahead, process.execPath] });
process.exitCode = moved ? 0 : 1;
