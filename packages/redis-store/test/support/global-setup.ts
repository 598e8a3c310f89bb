import type { TestProject } from 'vitest/node';
import type {} from 'vitest';
import { startRedisServer } from './redis-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The Redis the tests share (each test uses its own key prefix). */
    redisUrl: string;
  }
}

/** Starts one redis-server on loopback for the whole run, or uses REDIS_URL when CI provides one. */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (process.env.REDIS_URL) {
    project.provide('redisUrl', process.env.REDIS_URL);
    return undefined;
  }
  const server = await startRedisServer();
  project.provide('redisUrl', server.url);
  return () => server.stop();
}
