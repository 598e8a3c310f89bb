export { TokenError } from '@token-clients/core';

/** Options as plain JavaScript may pass them: with keys the types do not know. */
export type CommonOptionsForTests = Record<string, unknown>;
