/**
 * Stopping a wait at a deadline — the one helper for it. Work we do not control (a user's `fetch` or token
 * source, a store that hangs, a Redis command) may ignore its abort signal and never settle; whoever waits on
 * it must still stop: a caller whose signal fired, a provider being closed, a lease about to run out, a store
 * call past its bound.
 */

/** When to stop waiting, and what the wait rejects with then. */
export interface Deadline<T> {
  /** Real milliseconds to wait at most (not the injected clock: leases and sockets expire in real time). */
  ms?: number | undefined;
  /** Stop waiting, too, as soon as this aborts. */
  signal?: AbortSignal | undefined;
  /** What the wait rejects with once `ms` have passed. Default: an `Error` naming the milliseconds. */
  timeout?: () => unknown;
  /** What the wait rejects with once `signal` aborts. Default: the signal's reason. */
  aborted?: (signal: AbortSignal) => unknown;
  /** Sees the value of work that resolved after the deadline (to hand back a lease Redis granted late). */
  onLate?: ((value: T) => void) | undefined;
}

/**
 * Settles like `work`, or rejects at the deadline — whichever comes first. Given a function, `work` is called
 * with a signal that aborts at the deadline (with the rejection as its reason), so it can cancel itself.
 *
 * `work` is not cancelled otherwise (others may share it), and a rejection it makes later is handled here:
 * abandoning it never leaves an unhandled rejection behind. No timer or listener outlives the wait, and the
 * timer does not keep the process alive.
 */
export function withDeadline<T>(work: Promise<T> | ((signal: AbortSignal) => Promise<T>), deadline: Deadline<T>): Promise<T> {
  const { ms, signal, onLate } = deadline;
  const abortReason = () => (deadline.aborted ? deadline.aborted(signal!) : signal!.reason);
  if (signal?.aborted) {
    // Work given as a function is not started at all; a promise already running is abandoned.
    if (typeof work !== 'function') work.catch(() => {});
    return Promise.reject(abortReason());
  }
  return new Promise<T>((resolve, reject) => {
    // Made only for work that takes a signal: the slow path of every cache miss waits here, and pays for no more.
    const stop = typeof work === 'function' ? new AbortController() : undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let over = false;
    const finish = (): boolean => {
      if (over) return false;
      over = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      return true;
    };
    const end = (reason: unknown) => {
      if (!finish()) return;
      stop?.abort(reason);
      reject(reason);
    };
    const onAbort = () => end(abortReason());
    signal?.addEventListener('abort', onAbort, { once: true });
    if (ms !== undefined) {
      timer = setTimeout(() => end(deadline.timeout ? deadline.timeout() : new Error(`no answer within ${ms} ms`)), ms);
      timer.unref?.();
    }
    let pending: Promise<T>;
    try {
      pending = typeof work === 'function' ? work(stop!.signal) : work;
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending.then(
      (value) => {
        if (finish()) resolve(value);
        else onLate?.(value);
      },
      (error: unknown) => {
        if (finish()) reject(error);
      },
    );
  });
}
