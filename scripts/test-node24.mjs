#!/usr/bin/env node
// Runs the packages' test suites on Node 24 (the repository's own Node stays 20, the oldest supported), in the
// time zone America/New_York: far from UTC, with daylight saving, so this same pass proves that no test depends
// on the machine's time zone (`pnpm test:clock` proves the same of the date). One pass for both keeps CI under
// 15 minutes; a failure here names its test, and `TZ=America/New_York pnpm test` tells the two causes apart.
//
//   node scripts/test-node24.mjs [package-dir …] [--concurrency N]     (default: every package with a test script)
//
// Gets a Node 24 binary with `npx -y node@24` (npm's `node` package) and runs each package's vitest with it, the
// way `vitest run` runs in that package, so vitest's workers (and any process a test starts with
// process.execPath) are Node 24 too. Run after `pnpm build`: vendor tests import core's build. The Redis store's
// tests need redis-server, as under `pnpm test` (scripts/ensure-test-prerequisites.sh installs it).
import { execFileSync } from 'node:child_process';
import { runPackageTests } from './lib/package-tests.mjs';
import { workspacePackages } from './lib/workspace-packages.mjs';

const args = process.argv.slice(2);
const concurrencyAt = args.indexOf('--concurrency');
const concurrency = concurrencyAt >= 0 ? Number(args[concurrencyAt + 1]) : 2;
const only = args.filter((arg, index) => !arg.startsWith('--') && (concurrencyAt < 0 || index !== concurrencyAt + 1));

const node24 = execFileSync('npx', ['-y', 'node@24', '-p', 'process.execPath'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
const version = execFileSync(node24, ['--version'], { encoding: 'utf8' }).trim();
if (!version.startsWith('v24.')) {
  console.error(`npx -y node@24 gave ${node24} (${version}), not Node 24`);
  process.exit(1);
}
console.log(`Node ${version} (${node24})`);

const packages = workspacePackages().filter((pkg) => pkg.manifest.scripts?.test && (only.length === 0 || only.includes(pkg.dir)));
if (packages.length === 0) {
  console.error(`no package with a test script matches ${only.join(', ')}`);
  process.exit(1);
}
const zone = 'America/New_York';
const label = `Node ${version}, TZ=${zone}`;
process.exitCode = (await runPackageTests({ label, packages, command: [node24], env: { TZ: zone }, concurrency })) ? 0 : 1;
