/** A source of the current time, injectable so that tests never sleep. */
export interface Clock {
  /** Epoch milliseconds, like `Date.now()`. */
  now(): number;
}

/** The machine's clock. */
export const systemClock: Clock = { now: () => Date.now() };
