import type { TokenProviderEvent } from './token-provider-types.js';

/**
 * Where a provider reports what it does. Today the caller's `onEvent`; every report goes through here, so a
 * faulty listener can never break a refresh.
 */
export class ProviderReporter {
  readonly #onEvent?: (event: TokenProviderEvent) => void;

  constructor(onEvent: ((event: TokenProviderEvent) => void) | undefined) {
    this.#onEvent = onEvent;
  }

  /** Hands `event` to the listener; a listener that throws is ignored. */
  emit(event: TokenProviderEvent): void {
    try {
      this.#onEvent?.(event);
    } catch {
      // A faulty listener must not break token refreshes.
    }
  }
}
