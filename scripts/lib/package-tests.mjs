// Runs packages' vitest suites outside turbo, each the way `vitest run` runs in that package, under a given
// Node binary and environment, and reports one line a package. Shared by the Node 24 run and the clock runs.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './workspace-packages.mjs';

const vitest = join(repoRoot, 'node_modules/vitest/vitest.mjs');

/**
 * @param {object} run
 * @param {string} run.label what is different about this run, for the report ("Node v24.1.0", "TZ=…")
 * @param {import('./workspace-packages.mjs').WorkspacePackage[]} run.packages
 * @param {string[]} [run.command] the program (and its leading arguments) that runs `node`: e.g. a Node 24
 *   binary, or `faketime … node`. Default: this process's node.
 * @param {Record<string, string>} [run.env] added to the environment
 * @param {number} [run.concurrency]
 * @returns {Promise<boolean>} whether every package passed
 */
export async function runPackageTests({ label, packages, command = [process.execPath], env = {}, concurrency = 2 }) {
  const started = Date.now();
  const results = [];
  const queue = [...packages];
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, async () => {
    for (let pkg = queue.shift(); pkg; pkg = queue.shift()) results.push(await testPackage(pkg, command, env));
  }));
  results.sort((a, b) => a.pkg.dir.localeCompare(b.pkg.dir));
  const failed = results.filter((result) => !result.ok);
  for (const result of failed) console.log(`\n--- ${result.pkg.name} FAILED (${label}):\n${result.output.trimEnd()}`);
  console.log(`\n${label}:`);
  for (const { pkg, ok, summary, seconds } of results) console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${pkg.name.padEnd(28)} ${summary} (${seconds} s)`);
  console.log(`${results.length - failed.length} of ${results.length} packages pass (${label}), in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return failed.length === 0;
}

/** Runs one package's vitest; resolves with its outcome and output. */
function testPackage(pkg, [program, ...leading], env) {
  return new Promise((resolve) => {
    const begin = Date.now();
    const child = spawn(program, [...leading, vitest, 'run', '--passWithNoTests'], {
      cwd: pkg.path,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...env },
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
