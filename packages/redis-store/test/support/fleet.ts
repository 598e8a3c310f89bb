import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { Library } from './clients.js';

/** The request header in which a fleet process names itself to the vendor fake. */
export const MEMBER_HEADER = 'x-fleet-member';

/** What one process is to do in a scenario: which Redis, which vendor, which clock. */
export interface Scenario {
  redisUrl: string;
  library: Library;
  keyPrefix: string;
  vendor: 'dushu' | 'akubela';
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** The start of a clock the parent drives with `get` messages; absent: the machine's clock. */
  now?: number;
  leaseMs?: number;
  timeoutMs?: number;
}

/** Parent → process. */
export type ParentMessage =
  | { type: 'setup'; id: number; scenario: Scenario }
  | { type: 'get'; id: number; count: number; now?: number }
  | { type: 'close'; id: number };

/** What a process answers: for `get`, the distinct access tokens it served, and its failures. */
export interface Reply {
  type: 'done';
  id: number;
  tokens: string[];
  errors: string[];
  /** Tokens handed out already expired on the process's clock. */
  expiredServed: number;
}

/** Process → parent. */
export type WorkerMessage = { type: 'ready' } | { type: 'event'; event: string } | Reply;

/** One process of the fleet, as the parent sees it. */
export interface Member {
  readonly index: number;
  child: ChildProcess;
  /** Provider events of the current scenario, in order. */
  events: string[];
}

const WORKER = fileURLToPath(new URL('./fleet-worker.ts', import.meta.url));

/**
 * A fleet of token-provider processes (node --import tsx), driven from a test over the IPC channel. The
 * processes are started once and given a new scenario per test, since starting Node with tsx is the slow part.
 */
export class Fleet {
  readonly members: Member[] = [];
  #nextId = 1;
  readonly #pending = new Map<number, (reply: Reply) => void>();

  /** Starts `size` processes and waits until each is ready. */
  static async start(size: number): Promise<Fleet> {
    const fleet = new Fleet();
    try {
      await Promise.all(Array.from({ length: size }, (_, index) => fleet.#spawn(index)));
    } catch (error) {
      fleet.kill();
      throw error;
    }
    return fleet;
  }

  /** The members still running. */
  get alive(): Member[] {
    return this.members.filter((member) => isRunning(member.child));
  }

  /** Replaces members that died (a test killed one), then gives every member its part of a new scenario. */
  async setup(scenario: (index: number) => Scenario): Promise<void> {
    await Promise.all(this.members.filter((member) => !isRunning(member.child)).map((member) => this.#spawn(member.index)));
    await Promise.all(
      this.members.map((member) => {
        member.events = [];
        return this.#ask(member, { type: 'setup', scenario: scenario(member.index) });
      }),
    );
  }

  /** Asks every running process for `count` concurrent `getToken()` calls (at time `now`, if given). */
  getTokens(count: number, now?: number): Promise<Reply[]> {
    return Promise.all(this.alive.map((member) => this.getTokensFrom(member, count, now)));
  }

  /** Asks one process for `count` concurrent `getToken()` calls; rejects if the process dies first. */
  getTokensFrom(member: Member, count: number, now?: number): Promise<Reply> {
    return this.#ask(member, { type: 'get', count, ...(now === undefined ? {} : { now }) });
  }

  /** Closes every provider and client, then lets the processes exit. */
  async close(): Promise<void> {
    await Promise.all(
      this.alive.map(async (member) => {
        const exited = once(member.child, 'exit');
        await this.#ask(member, { type: 'close' });
        await exited;
      }),
    );
  }

  /** Kills whatever is still running (after a failed test). */
  kill(): void {
    for (const member of this.alive) member.child.kill('SIGKILL');
  }

  async #spawn(index: number): Promise<void> {
    const child = fork(WORKER, [String(index)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const member = this.members[index] ?? { index, child, events: [] };
    member.child = child;
    this.members[index] = member;
    child.on('message', (message: WorkerMessage) => {
      if (message.type === 'event') member.events.push(message.event);
      else if (message.type === 'done') this.#pending.get(message.id)?.(message);
    });
    await new Promise<void>((resolve, reject) => {
      child.on('message', (message: WorkerMessage) => message.type === 'ready' && resolve());
      child.once('exit', (code) => reject(new Error(`fleet process ${index} exited at start (code ${code})`)));
    });
  }

  #ask(member: Member, message: { type: 'setup'; scenario: Scenario } | { type: 'get'; count: number; now?: number } | { type: 'close' }): Promise<Reply> {
    const id = this.#nextId++;
    const { child } = member;
    return new Promise((resolve, reject) => {
      const exited = () => reject(new Error(`fleet process ${member.index} exited before answering`));
      child.once('exit', exited);
      this.#pending.set(id, (reply) => {
        child.off('exit', exited);
        this.#pending.delete(id);
        resolve(reply);
      });
      child.send({ ...message, id } as ParentMessage);
    });
  }
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}
