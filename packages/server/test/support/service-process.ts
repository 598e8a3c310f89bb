import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

/** The built bin, as `npx token-clients` would run it. */
export const BIN = join(dirname(fileURLToPath(import.meta.url)), '../../dist/cli.js');

/** Writes `config` as YAML (or JSON for a `.json` name) into a fresh directory, owner-only unless told otherwise. */
export async function writeConfig(config: unknown, options: { name?: string; mode?: number; raw?: string } = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'token-service-'));
  const file = join(dir, options.name ?? 'config.yaml');
  const text = options.raw ?? (file.endsWith('.json') ? JSON.stringify(config, null, 2) : stringify(config));
  await writeFile(file, text);
  await chmod(file, options.mode ?? 0o600);
  return file;
}

/** What a finished CLI run printed. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the bin to completion (`check`, `token`). */
export async function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

/** A `token-clients serve` child process. */
export interface ServiceProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Every line it wrote to stdout and stderr so far. */
  readonly lines: string[];
  /** Its log lines, parsed. */
  logs(): Record<string, unknown>[];
  /** Sends `signal` and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `token-clients serve --config <file>` and waits until it logs the address it listens on. */
export async function startService(configFile: string, env: NodeJS.ProcessEnv = {}): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--config', configFile], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let waiting: ((url: string) => void) | undefined;
  const collect = (stream: NodeJS.ReadableStream) => {
    let rest = '';
    stream.on('data', (chunk: Buffer) => {
      const parts = (rest + chunk.toString()).split('\n');
      rest = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        const url = /"url":"(http:[^"]+)"/.exec(line)?.[1];
        if (url && line.includes('token service listening')) waiting?.(url);
      }
    });
  };
  collect(child.stdout!);
  collect(child.stderr!);
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const started = new Promise<string>((resolve, reject) => {
    waiting = resolve;
    const timer = setTimeout(() => reject(new Error(`service did not start within 20 s:\n${lines.join('\n')}`)), 20_000);
    void exited.then(([code]) => {
      clearTimeout(timer);
      reject(new Error(`service exited at start (code ${code}):\n${lines.join('\n')}`));
    });
    // Settled one way or the other; the timer is not needed after a start.
    waiting = (found) => {
      clearTimeout(timer);
      resolve(found);
    };
  });
  let url: string;
  try {
    url = await started;
  } catch (error) {
    // A service that did not come up must not outlive the test run.
    child.kill('SIGKILL');
    throw error;
  }
  return {
    url,
    child,
    lines,
    logs: () => lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>),
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return { code: child.exitCode, signal: child.signalCode };
      child.kill(signal);
      const [code, gotSignal] = await exited;
      return { code, signal: gotSignal };
    },
  };
}
