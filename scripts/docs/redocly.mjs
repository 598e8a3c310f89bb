// Runs the Redocly CLI installed at the root, offline: no usage telemetry, no update check. (The CLI sends
// telemetry on every run unless REDOCLY_TELEMETRY=off, and the same switch sets Redoc's own
// `disableTelemetry` in the pages it renders.)
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** The CLI's entry script, run with this Node rather than through pnpm (saves ~2 s per call). */
function cliPath() {
  try {
    return join(dirname(require.resolve('@redocly/cli/package.json')), 'bin', 'cli.js');
  } catch {
    throw new Error('@redocly/cli is not installed: run `pnpm install` at the repository root');
  }
}

/** The CLI's boxed banners (Node deprecation, "now renders with Redoc 3"): noise in our output. */
const BANNER_LINE = /^\s*[╔║╚]/;

/**
 * Runs `redocly <args>` and resolves with its output; rejects with the CLI's own error text when it fails.
 *
 * @param {string[]} args
 * @param {{ cwd: string }} options
 * @returns {Promise<{ stdout: string, stderr: string }>}
 */
export function redocly(args, { cwd }) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [cliPath(), ...args], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        REDOCLY_TELEMETRY: 'off',
        REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
        REDOCLY_SUPPRESS_NOTIFICATIONS: 'true',
        NO_COLOR: '1',
        FORCE_COLOR: '0',
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) return resolvePromise({ stdout, stderr });
      const said = `${stderr}\n${stdout}`
        .split('\n')
        .filter((line) => line.trim() && !BANNER_LINE.test(line))
        .join('\n')
        .trim();
      reject(new Error(`redocly ${args[0]} failed (${signal ?? `exit ${code}`}): ${said || 'no output'}`));
    });
  });
}
