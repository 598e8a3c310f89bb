// Runs packages' vitest suites outside turbo, each the way `vitest run` runs in that package, under a given
// Node binary and environment, and reports one line a package. Shared by the Node 24 run and the clock runs.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
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
 * @param {(pkg: import('./workspace-packages.mjs').WorkspacePackage, failedTests: string[]) => string | undefined} [run.judgeFailures]
 *   when given, a package whose tests fail is judged by the names of the failed tests
 *   (`test/file.test.ts > describe > test`): `undefined` accepts them (they are known differences of this run),
 *   a string is the reason they are not. It is also asked when every test passes (with `[]`), so it can report
 *   a known difference that has gone away.
 * @returns {Promise<boolean>} whether every package passed
 */
export async function runPackageTests({ label, packages, command = [process.execPath], env = {}, concurrency = 2, judgeFailures }) {
  const started = Date.now();
  const results = [];
  const queue = [...packages];
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, async () => {
    for (let pkg = queue.shift(); pkg; pkg = queue.shift()) results.push(await testPackage(pkg, command, env, judgeFailures));
  }));
  results.sort((a, b) => a.pkg.dir.localeCompare(b.pkg.dir));
  const failed = results.filter((result) => !result.ok);
  for (const result of failed) console.log(`\n--- ${result.pkg.name} FAILED (${label}):\n${result.output.trimEnd()}`);
  console.log(`\n${label}:`);
  for (const { pkg, ok, summary, seconds, note } of results) {
    console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${pkg.name.padEnd(28)} ${summary} (${seconds} s)${note ? `\n       ${note}` : ''}`);
  }
  console.log(`${results.length - failed.length} of ${results.length} packages pass (${label}), in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return failed.length === 0;
}

/** Runs one package's vitest; resolves with its outcome and output. */
function testPackage(pkg, [program, ...leading], env, judgeFailures) {
  // With a judge, vitest also writes its JSON report, whose failed tests the judge reads.
  const reportDir = judgeFailures ? mkdtempSync(join(tmpdir(), 'token-clients-tests-')) : undefined;
  const reportFile = reportDir && join(reportDir, 'report.json');
  const reporters = reportFile ? ['--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`] : [];
  return new Promise((resolve) => {
    const begin = Date.now();
    const child = spawn(program, [...leading, vitest, 'run', '--passWithNoTests', ...reporters], {
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
      let ok = code === 0;
      let note;
      if (judgeFailures) {
        const failed = failedTests(pkg, reportFile);
        rmSync(reportDir, { recursive: true, force: true });
        if (failed === undefined) note = 'vitest wrote no JSON report';
        else {
          note = judgeFailures(pkg, failed);
          ok = note === undefined && (code === 0 || failed.length > 0);
          if (ok && failed.length > 0) note = `known difference(s), as expected: ${failed.join('; ')}`;
        }
      }
      resolve({ pkg, ok, summary, note, output: plain, seconds: ((Date.now() - begin) / 1000).toFixed(1) });
    });
  });
}

/** The failed tests of a vitest JSON report, as `test/file.test.ts > describe > test`; undefined without a report. */
function failedTests(pkg, reportFile) {
  let report;
  try {
    report = JSON.parse(readFileSync(reportFile, 'utf8'));
  } catch {
    return undefined;
  }
  return report.testResults.flatMap((file) =>
    file.assertionResults
      .filter((test) => test.status === 'failed')
      .map((test) => [relative(pkg.path, file.name), ...test.ancestorTitles, test.title].join(' > ')),
  );
}
