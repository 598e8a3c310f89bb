/**
 * The provider's reporter with every report compiled out: what the instrumentation-cost benchmark swaps in for
 * the `ProviderReporter` of `packages/core/src/diagnostics.ts` to get "the same provider without
 * instrumentation". It keeps the real reporter's shape (checked by the type below), so the two builds differ in
 * reporting alone.
 */
import type { ProviderReporter } from '../../packages/core/src/diagnostics.js';

type Shape = { [K in keyof ProviderReporter]: ProviderReporter[K] };

export class SilentReporter implements Shape {
  get watchingAnswers(): boolean {
    return false;
  }
  publish(): void {}
  traceRefresh: ProviderReporter['traceRefresh'] = (_background, run) => run();
  refreshSettled(): void {}
}
