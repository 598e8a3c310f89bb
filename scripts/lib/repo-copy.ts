// A throw-away copy of the repository for tests that change it (the new-vendor scaffold, releases): the working
// tree without node_modules, build output, turbo's cache, rendered docs or git, installed from pnpm's store.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';

/** The repository root (this file is scripts/lib/repo-copy.ts). */
export const repoRoot = resolve(import.meta.dirname, '../..');

const SKIPPED_ANYWHERE = new Set(['node_modules', 'dist', '.turbo', 'coverage']);
const SKIPPED_AT_ROOT = new Set(['.git', 'docs', 'bench/.work']);

/** Copies the repository into a new temporary directory and returns its path. */
export function copyRepo(prefix: string): string {
  const copy = mkdtempSync(join(tmpdir(), prefix));
  cpSync(repoRoot, copy, {
    recursive: true,
    filter(source) {
      const path = relative(repoRoot, source).split(sep).join('/');
      if (path === '') return true;
      if (SKIPPED_AT_ROOT.has(path)) return false;
      const name = path.slice(path.lastIndexOf('/') + 1);
      return !SKIPPED_ANYWHERE.has(name) && !name.endsWith('.tgz');
    },
  });
  return copy;
}

/**
 * `pnpm install` in the copy: offline first (this machine's store holds every package), online if that fails.
 * Never frozen: a test may have added a package, and under CI=true pnpm would otherwise refuse to touch the lockfile.
 */
export function installCopy(copy: string): void {
  try {
    run(copy, 'pnpm', ['install', '--offline', '--no-frozen-lockfile']);
  } catch {
    run(copy, 'pnpm', ['install', '--no-frozen-lockfile']);
  }
}

/** Runs a command in `cwd`; on failure the error message carries its output. */
export function run(cwd: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  try {
    return execFileSync(command, args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', FORCE_COLOR: '0', NO_COLOR: '1', ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${failed.stdout ?? ''}\n${failed.stderr ?? ''}`.trim());
  }
}

/** Removes a copy unless KEEP_REPO_COPY is set (for looking at a failure). */
export function removeCopy(copy: string | undefined): void {
  if (!copy) return;
  if (process.env['KEEP_REPO_COPY']) console.log(`repository copy kept: ${copy}`);
  else rmSync(copy, { recursive: true, force: true });
}
