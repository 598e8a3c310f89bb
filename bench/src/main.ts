/**
 * `pnpm bench [--quick]`: runs every benchmark, prints one table, and (full run only) writes bench/RESULTS.md.
 * A number never fails the run — goals are reported, not enforced; a benchmark that breaks does (exit 1), so
 * CI's `--quick` run keeps them all working.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheHit } from './cache-hit.js';
import { coldStorm } from './cold-storm.js';
import { fleet } from './fleet.js';
import { footprint } from './footprint.js';
import { instrumentationCost } from './instrumentation-cost.js';
import { BADGATEWAY, GOOGLE } from './peers.js';
import { regeneration } from './regeneration.js';
import { requestOverhead } from './request-overhead.js';
import { tokenService } from './token-service.js';
import { markdownTable, textTable, type BenchOptions, type BenchResult, type Row } from './table.js';

const quick = process.argv.includes('--quick');
const options: BenchOptions = { quick };

// Fleet last: it needs redis-store, the newest package. Regeneration rebuilds packages, so it runs after the
// benchmarks that use them.
const BENCHMARKS: [string, (options: BenchOptions) => Promise<BenchResult>][] = [
  ['cache hit', cacheHit],
  ['instrumentation cost', instrumentationCost],
  ['cold storm', coldStorm],
  ['request overhead', requestOverhead],
  ['footprint', footprint],
  ['regeneration', regeneration],
  ['fleet', fleet],
  ['token service', tokenService],
];

const machine = `${cpus()[0]?.model.trim() ?? 'unknown CPU'} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${platform()} ${release()}`;
const pnpmVersion = (() => {
  try {
    return execFileSync('pnpm', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
})();
const startLoad = loadavg()[0]!.toFixed(2);
console.log(`token-clients bench${quick ? ' --quick' : ''} — Node ${process.version}, ${machine}, load ${startLoad}`);
console.log(`peers: ${GOOGLE}, ${BADGATEWAY}\n`);

const rows: Row[] = [];
const notes: string[] = [];
let broken = 0;
for (const [name, run] of BENCHMARKS) {
  const started = Date.now();
  process.stderr.write(`${name}… `);
  try {
    const result = await run(options);
    rows.push(...result.rows);
    notes.push(...result.notes);
    process.stderr.write(`${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  } catch (error) {
    broken += 1;
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`FAILED\n${error instanceof Error ? error.stack : message}\n`);
    rows.push({ benchmark: name, ours: '—', baseline: '—', ratio: '—', goal: '—', met: `error: ${message.split('\n')[0]}` });
  }
}
const endLoad = loadavg()[0]!.toFixed(2);

console.log(`\n${textTable(rows)}\n`);

const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const results = `# Benchmark results

Written by \`pnpm bench\` (bench/run.mjs); do not edit by hand. Re-run it to refresh these numbers.

- Date: ${date}
- Machine: ${machine}
- Node ${process.version}, pnpm ${pnpmVersion}
- Load average (1 min) at start / end: ${startLoad} / ${endLoad}${Number(startLoad) > cpus().length / 2 ? ' — the machine was busy with other work; treat small differences with care' : ''}
- Peers (pinned in bench/package.json): ${GOOGLE}, ${BADGATEWAY}

Ratios compare numbers measured side by side in the same run; each benchmark interleaves its subjects round by
round and reports medians. A goal is reported, never enforced: no number fails CI (CI runs \`pnpm bench --quick\`
so that the benchmarks keep working).

${markdownTable(rows)}

## How each number was measured

${notes.map((note) => `- ${note}`).join('\n')}
`;
const resultsPath = quick ? join(tmpdir(), 'token-clients-bench-RESULTS.md') : fileURLToPath(new URL('../RESULTS.md', import.meta.url));
writeFileSync(resultsPath, results);
console.log(`results written to ${resultsPath}${quick ? ' (--quick: bench/RESULTS.md is left as it is)' : ''}`);
process.exit(broken > 0 ? 1 : 0);
