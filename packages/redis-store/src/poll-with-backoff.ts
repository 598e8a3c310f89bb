import { withDeadline } from '@token-clients/core/vendor-kit';

/** First pause between two polls: a refresh by another process usually takes one vendor round trip. */
const FIRST_DELAY_MS = 20;
/** Longest pause: a waiter learns of a new token at most this late, at a cost of a few commands a second. */
const MAX_DELAY_MS = 250;

/**
 * Calls `check` until it returns `true`, `timeoutMs` passes or `signal` aborts — pausing 20 ms, then twice as
 * long each time up to 250 ms, with jitter so a fleet does not poll in step. Never rejects unless `check`
 * does, and leaves no timer or listener behind.
 */
export async function pollWithBackoff(check: () => Promise<boolean>, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (let delay = FIRST_DELAY_MS; ; delay = Math.min(delay * 2, MAX_DELAY_MS)) {
    if (signal?.aborted || (await check())) return;
    const remaining = deadline - performance.now();
    if (remaining <= 0 || signal?.aborted) return;
    await pause(Math.min(remaining, delay / 2 + (Math.random() * delay) / 2), signal);
  }
}

/** Waits `ms`, or less if `signal` aborts. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return withDeadline(new Promise<void>(() => {}), { ms, signal }).catch(() => {});
}
