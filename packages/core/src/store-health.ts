import type { ProviderReporter } from './provider-reporter.js';

/**
 * Whether the store answers, as one provider sees it: each change is reported once (unavailable, recovered,
 * corrupt), not on every failing call.
 */
export class StoreHealth {
  readonly #report: ProviderReporter;
  #down = false;
  #corrupt = false;

  constructor(report: ProviderReporter) {
    this.#report = report;
  }

  /** A store call threw: the store is unavailable. */
  failed(error: unknown): void {
    if (this.#down) return;
    this.#down = true;
    this.#report.storeUnavailable(error);
  }

  /** A store call answered. */
  answered(): void {
    if (!this.#down) return;
    this.#down = false;
    this.#report.storeRecovered();
  }

  /** The record under the key can be neither read nor replaced. */
  corrupt(reason: string): void {
    if (this.#corrupt) return;
    this.#corrupt = true;
    this.#report.storeCorrupt(reason);
  }

  /** A write went through: the record is sound again. */
  written(): void {
    this.#corrupt = false;
  }
}
