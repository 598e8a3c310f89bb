import type { ProviderContext } from './provider-context.js';

/**
 * Whether the store answers, as one provider sees it: each change is reported once (`store_unavailable`,
 * `store_recovered`, `store_corrupt`), not on every failing call.
 */
export class StoreHealth {
  readonly #context: ProviderContext;
  #down = false;
  #corrupt = false;

  constructor(context: ProviderContext) {
    this.#context = context;
  }

  /** A store call threw: the store is unavailable. */
  failed(error: unknown): void {
    if (this.#down) return;
    this.#down = true;
    this.#context.report.emit({ type: 'store_unavailable', key: this.#context.key, error });
  }

  /** A store call answered. */
  answered(): void {
    if (!this.#down) return;
    this.#down = false;
    this.#context.report.emit({ type: 'store_recovered', key: this.#context.key });
  }

  /** The record under the key can be neither read nor replaced. */
  corrupt(reason: string): void {
    if (this.#corrupt) return;
    this.#corrupt = true;
    this.#context.report.emit({ type: 'store_corrupt', key: this.#context.key, reason });
  }

  /** A write went through: the record is sound again. */
  written(): void {
    this.#corrupt = false;
  }
}
