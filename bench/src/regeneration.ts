/**
 * Regeneration: the time from editing one spec to rebuilt packages, with `pnpm build` at the root (turbo:
 * generate → build). Cold bypasses turbo's cache (--force: every task runs); warm is the usual case, where
 * only the edited spec's chain should run and every other task comes from the cache.
 *
 * It edits specs/dushu.yaml (the operation's summary, which reaches the generated types' doc comments), so it
 * restores both afterwards — on error and on Ctrl-C too — without overwriting anyone else's edit (see undoEdit).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { median, nowNs } from './stats.js';
import { ratio, seconds, type BenchOptions, type BenchResult } from './table.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const SPEC = `${REPO}specs/dushu.yaml`;
const GENERATED = `${REPO}packages/dushu/src/generated/schema.ts`;

/**
 * Other people may edit the same files while this runs, so nothing is restored by blind overwrite: a file that
 * is still exactly as this benchmark left it gets its original bytes back; one that someone changed since only
 * loses this benchmark's marker text, and keeps their change.
 */
function undoEdit(path: string, original: Buffer, leftByUs: Buffer | undefined, marker: string): void {
  const current = readFileSync(path);
  if (current.equals(original)) return;
  if (leftByUs !== undefined && current.equals(leftByUs)) writeFileSync(path, original);
  else if (current.includes(marker)) writeFileSync(path, current.toString('utf8').replaceAll(marker, ''));
}

/** The spec with `marker` appended to the first operation's summary (the first `summary:` under `paths:`). */
function withMarker(spec: string, marker: string): string {
  const paths = spec.indexOf('\npaths:');
  const summary = paths < 0 ? -1 : spec.indexOf('summary: ', paths);
  if (summary < 0) throw new Error('specs/dushu.yaml has no operation summary under paths: to edit');
  const lineEnd = spec.indexOf('\n', summary);
  return `${spec.slice(0, lineEnd)}${marker}${spec.slice(lineEnd)}`;
}

interface BuildRun {
  ms: number;
  cached: number;
  total: number;
  /** The tasks that ran (turbo's "cache miss, executing" lines). */
  executed: string[];
}

/** `pnpm build` at the root, timed; reads turbo's "Cached: N cached, M total" line. */
function build(extraArgs: string[]): BuildRun {
  const start = nowNs();
  const result = spawnSync('pnpm', ['build', ...extraArgs], { cwd: REPO, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
  const ms = Number(nowNs() - start) / 1e6;
  const output = `${result.stdout}\n${result.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
  if (result.status !== 0) throw new Error(`pnpm build ${extraArgs.join(' ')} failed (${result.status}):\n${output.slice(-3000)}`);
  const summary = /Cached:\s+(\d+) cached, (\d+) total/.exec(output);
  if (!summary) throw new Error(`no "Cached: N cached, M total" line in turbo's output:\n${output.slice(-1000)}`);
  const executed = [...output.matchAll(/^(\S+): cache (?:miss|bypass), executing/gm)].map((match) => match[1]!);
  return { ms, cached: Number(summary[1]), total: Number(summary[2]), executed };
}

export async function regeneration({ quick }: BenchOptions): Promise<BenchResult> {
  const original = { spec: readFileSync(SPEC), generated: readFileSync(GENERATED) };
  let marker = '';
  let leftByUs: Buffer | undefined;
  const restore = () => {
    if (!marker) return;
    undoEdit(SPEC, original.spec, leftByUs, marker);
    // The generated schema carries the marker in a doc comment; the build wrote it, not a person.
    const generated = readFileSync(GENERATED);
    if (generated.includes(marker)) writeFileSync(GENERATED, generated.toString('utf8').replaceAll(marker, ''));
  };
  const onSignal = (signal: NodeJS.Signals) => {
    restore();
    process.kill(process.pid, signal); // the handler is gone (once): the signal now does what it would have
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('exit', restore);
  // Each edit is different, so each run sees a spec turbo has never hashed.
  const edit = (n: number) => {
    restore();
    const current = readFileSync(SPEC);
    if (!current.equals(original.spec)) throw new Error('specs/dushu.yaml was changed by someone else during the benchmark');
    marker = ` (bench edit ${n}, ${process.pid}-${Date.now()})`;
    leftByUs = Buffer.from(withMarker(current.toString('utf8'), marker));
    writeFileSync(SPEC, leftByUs);
  };

  // --quick (CI) stays well inside a minute: one warm build of dushu (and core, from the cache), no cold one.
  const scope = quick ? ['--filter=@token-clients/dushu'] : [];
  let cold: BuildRun | undefined;
  const warm: BuildRun[] = [];
  try {
    if (!quick) {
      edit(0);
      cold = build(['--force', ...scope]);
    }
    for (let n = 1; n <= (quick ? 1 : 3); n++) {
      edit(n);
      warm.push(build(scope));
    }
  } finally {
    restore();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('exit', restore);
    // Put the packages' dist/ back as they were built from the real spec (from turbo's cache when it can).
    build(scope);
  }
  if (!readFileSync(SPEC).equals(original.spec) || !readFileSync(GENERATED).equals(original.generated)) {
    throw new Error('specs/dushu.yaml or its generated schema differs from before the benchmark (someone else may have edited it)');
  }

  const warmMs = median(warm.map((run) => run.ms));
  const warmRun = warm.find((run) => run.ms === warmMs)!;
  const where = quick ? 'dushu and core' : 'whole repository';
  return {
    rows: [
      {
        benchmark: `Regeneration after a spec edit, cold (turbo --force, ${where})`,
        ours: cold ? `${seconds(cold.ms)} (${cold.cached}/${cold.total} tasks cached)` : '—',
        baseline: '—',
        ratio: '—',
        goal: '—',
        met: cold ? '—' : 'skipped: full run only',
      },
      {
        benchmark: `Regeneration after a spec edit, warm (${where})`,
        ours: `${seconds(warmMs)} (${warmRun.cached}/${warmRun.total} tasks cached)`,
        baseline: cold ? `${seconds(cold.ms)} (cold)` : '—',
        ratio: cold ? ratio(warmMs, cold.ms) : '—',
        goal: '—',
        met: '—',
      },
    ],
    notes: [
      `Regeneration: \`pnpm build\` at the root (turbo runs generate, then build, in dependency order) after editing ` +
        `the summary of the token operation in specs/dushu.yaml, which changes the generated schema's doc comments. ` +
        `Cold: \`pnpm build --force\` (turbo's cache bypassed, every task runs; full run only). Warm: plain ` +
        `\`pnpm build\` after a further edit; ${quick ? 'one run' : 'median of 3 runs, each after a different edit'}. Wall-clock time of the ` +
        `whole command, including pnpm and turbo start-up; the spec and the generated schema are restored byte for ` +
        `byte afterwards (checked). Scope: ${where}. Tasks run in the warm build shown: ` +
        `${warmRun.executed.join(', ') || 'none'} (other people's uncommitted edits, if any, also miss the cache).`,
    ],
  };
}
