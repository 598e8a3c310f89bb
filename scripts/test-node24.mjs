#!/usr/bin/env node
// Runs the packages' test suites on Node 24 (the repository's own Node stays 20, the oldest supported).
//
//   node scripts/test-node24.mjs [package-dir …] [--concurrency N]     (default: every package with a test script)
//
// Gets a Node 24 binary with `npx -y node@24` (npm's `node` package) and runs each package's vitest with it, the
// way `vitest run` runs in that package, so vitest's workers (and any process a test starts with
// process.execPath) are Node 24 too. Run after `pnpm build`: vendor tests import core's build. The Redis store's
// tests need redis-server, as under `pnpm test` (scripts/ensure-test-prerequisites.sh installs it).
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot, workspacePackages } from './lib/workspace-packages.mjs';

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
const vitest = join(repoRoot, 'node_modules/vitest/vitest.mjs');
const started = Date.now();
const results = [];
const queue = [...packages];
await Promise.all(Array.from({ length: Math.max(1, concurrency) }, async () => {
  for (let pkg = queue.shift(); pkg; pkg = queue.shift()) results.push(await test(pkg));
}));

let failed = 0;
for (const result of results.sort((a, b) => a.pkg.dir.localeCompare(b.pkg.dir))) {
  if (!result.ok) {
    failed += 1;
    console.log(`\n--- ${result.pkg.name} FAILED on Node ${version}:\n${result.output.trimEnd()}`);
  }
}
console.log(`\nNode ${version}:`);
for (const { pkg, ok, summary, seconds } of results) console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${pkg.name.padEnd(28)} ${summary} (${seconds} s)`);
console.log(`${results.length - failed} of ${results.length} packages pass on Node ${version}, in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exitCode = failed ? 1 : 0;

/** Runs one package's vitest on Node 24; resolves with its outcome and output. */
function test(pkg) {
  return new Promise((resolve) => {
    const begin = Date.now();
    const child = spawn(node24, [vitest, 'run', '--passWithNoTests'], {
      cwd: pkg.path,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => {
      const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
      const summary = [...plain.matchAll(/^\s*Tests\s+(\d.*?)\s*$/gm)].at(-1)?.[1] ?? (code === 0 ? 'no tests' : 'no test summary');
      resolve({ pkg, ok: code === 0, summary, output: plain, seconds: ((Date.now() - begin) / 1000).toFixed(1) });
    });
  });
}
