/**
 * The provider's reporter with every report compiled out: what the instrumentation-cost benchmark swaps in for
 * `packages/core/src/provider-reporter.ts` to get "the same provider without instrumentation". It keeps the real
 * reporter's shape (checked by the type below), so the two builds differ in reporting alone.
 */
import type { ProviderReporter } from '../../packages/core/src/provider-reporter.js';

type Shape = { [K in keyof ProviderReporter]: ProviderReporter[K] };

export class SilentReporter implements Shape {
  get watchingAnswers(): boolean {
    return false;
  }
  answered(): void {}
  traceRefresh: ProviderReporter['traceRefresh'] = (_background, run) => run();
  refreshed(): void {}
  refreshFailed(): void {}
  leaseWaited(): void {}
  storeUnavailable(): void {}
  storeRecovered(): void {}
  storeCorrupt(): void {}
  quota(): void {}
}
