import { storeError } from './store-error.js';

/**
 * After a write that carries a refresh token, wait until this many replicas have it (Redis `WAIT`), so that a
 * failover right after the write does not bring back the refresh token the vendor has just spent.
 */
export interface WaitForReplicas {
  /** How many replicas must acknowledge the write: at most the number the primary has. */
  replicas: number;
  /** How long to wait for them, ms. A write they do not confirm in time fails (see the README's failover section). */
  timeoutMs: number;
}

/** Checks the `waitForReplicas` option; `undefined` when it is not given. */
export function checkWaitForReplicas(option: unknown): WaitForReplicas | undefined {
  if (option === undefined) return undefined;
  const { replicas, timeoutMs } = (typeof option === 'object' && option !== null ? option : {}) as Partial<Record<keyof WaitForReplicas, unknown>>;
  if (typeof replicas !== 'number' || !Number.isSafeInteger(replicas) || replicas < 1) {
    throw storeError('invalid_configuration', 'waitForReplicas.replicas must be a whole number ≥ 1 (how many replicas must confirm a write).');
  }
  if (typeof timeoutMs !== 'number' || !Number.isSafeInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 60_000) {
    throw storeError('invalid_configuration', 'waitForReplicas.timeoutMs must be a whole number of milliseconds from 1 to 60 000.');
  }
  return { replicas, timeoutMs };
}
