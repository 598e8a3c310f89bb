/** Tiny statistics for the benchmarks: a monotonic nanosecond clock, medians, percentiles, interleaved rounds. */

/** Nanoseconds on the monotonic clock. */
export const nowNs = (): bigint => process.hrtime.bigint();

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile: a value that was actually observed, never an interpolation. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** Mean nanoseconds per call over `iterations` sequential, awaited calls of `fn`. */
export async function nsPerOp(fn: () => Promise<unknown>, iterations: number): Promise<number> {
  const start = nowNs();
  for (let i = 0; i < iterations; i++) await fn();
  return Number(nowNs() - start) / iterations;
}

/**
 * Measures every subject once per round and returns each one's samples. Rounds interleave the subjects, and
 * each round starts with the next subject in turn, so that machine noise (frequency scaling, GC, a neighbour's
 * build) is spread over all of them rather than landing on whichever happens to run last. Warm-up rounds (JIT,
 * connection pools) are run the same way and dropped.
 */
export async function interleave<K extends string, T>(
  subjects: Record<K, () => Promise<T>>,
  options: { rounds: number; warmupRounds: number },
): Promise<Record<K, T[]>> {
  const names = Object.keys(subjects) as K[];
  const samples = Object.fromEntries(names.map((name) => [name, [] as T[]])) as Record<K, T[]>;
  for (let round = 0; round < options.warmupRounds + options.rounds; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(round + i) % names.length]!;
      const value = await subjects[name]();
      if (round >= options.warmupRounds) samples[name].push(value);
    }
  }
  return samples;
}

/** The median of each subject's samples. */
export function medians<K extends string>(samples: Record<K, number[]>): Record<K, number> {
  return Object.fromEntries(Object.entries<number[]>(samples).map(([name, values]) => [name, median(values)])) as Record<K, number>;
}
