/**
 * Waiting for work we do not control, with a way out. A user-supplied `fetch` or token source may ignore its
 * abort signal and never settle; whoever waits on it must still be able to stop waiting — a caller whose own
 * signal fired, a provider being closed, a lease holder whose lease is about to run out.
 */

/**
 * Settles like `work`, or rejects with `reason(signal)` as soon as `signal` aborts — whichever comes first.
 * `work` itself is not cancelled (others may share it), and a rejection it makes later is handled here, so
 * abandoning it never leaves an unhandled rejection behind.
 */
export function abandonable<T>(work: Promise<T>, signal: AbortSignal, reason: (signal: AbortSignal) => unknown): Promise<T> {
  if (signal.aborted) {
    work.catch(() => {});
    return Promise.reject(reason(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(reason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Waits for `work` to settle, but at most `ms` real milliseconds; never rejects. The timer is cleared as soon
 * as `work` settles and does not keep the process alive.
 */
export async function settleWithin(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const elapsed = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref?.();
  });
  try {
    await Promise.race([work.then(() => {}, () => {}), elapsed]);
  } finally {
    clearTimeout(timer);
  }
}
