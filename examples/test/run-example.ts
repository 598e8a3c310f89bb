import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';

/** The examples directory (this file is examples/test/run-example.ts). */
export const examplesDir = join(dirname(new URL(import.meta.url).pathname), '..');

/** What an example printed, and how it ended. */
export interface ExampleRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * How long an example may run before the test calls it stuck. It needs a few hundred milliseconds; the rest is
 * tsx's start-up on a busy two-core machine. An example that does not exit by itself (an open connection, a
 * timer left behind) is killed here and fails, whatever it printed.
 */
const EXIT_WITHIN_MS = 45_000;

/**
 * Runs `examples/<file>` as a user would (`npx tsx <file>`: Node with tsx's loader) in its own process, with
 * `env` on top of a clean environment, and resolves once it has exited by itself.
 */
export async function runExample(file: string, env: Record<string, string>): Promise<ExampleRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(examplesDir, file)], {
    cwd: examplesDir,
    // Only what the example needs: no proxy variables or secrets of the machine running the tests leak in.
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const stuck = setTimeout(() => child.kill('SIGKILL'), EXIT_WITHIN_MS);
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  clearTimeout(stuck);
  if (signal === 'SIGKILL') throw new Error(`${file} did not exit by itself within ${EXIT_WITHIN_MS / 1000} s; it printed:\n${stdout}\n${stderr}`);
  return { code, stdout, stderr };
}
