/** Starts and talks to the fake token servers of `fake-process.ts`. */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FakeProcessOptions, FakeProcessReady } from './fake-process.js';

export interface FakeProcess extends FakeProcessReady {
  /** Requests the fake has received so far: what the vendor would have counted against the quota. */
  requestCount(): Promise<number>;
  /** Answers of the dushu fake that did not match the spec (should stay 0). */
  specViolations(): Promise<number>;
  close(): Promise<void>;
}

/** Forks a TypeScript module of this directory under tsx, with an IPC channel. */
export function forkTs(module: string, args: string[]): ChildProcess {
  return fork(fileURLToPath(new URL(module, import.meta.url)), args, {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** Resolves with the next IPC message of `child`, or rejects if it exits first. */
export function nextMessage<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`child process exited (${code}) before answering`));
    child.once('exit', onExit);
    child.once('message', (message) => {
      child.off('exit', onExit);
      resolve(message as T);
    });
  });
}

/** Closes a child's IPC channel (it exits on disconnect) and waits for it to be gone. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.connected) child.disconnect();
  else child.kill();
  await exited;
}

export async function startFakeProcess(options: FakeProcessOptions): Promise<FakeProcess> {
  const child = forkTs('./fake-process.ts', [JSON.stringify(options)]);
  const ready = await nextMessage<FakeProcessReady>(child);
  const status = async () => {
    const answer = nextMessage<{ count: number; specViolations: number }>(child);
    child.send('count');
    return answer;
  };
  return {
    ...ready,
    requestCount: async () => (await status()).count,
    specViolations: async () => (await status()).specViolations,
    close: () => stopChild(child),
  };
}
