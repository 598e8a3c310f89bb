/**
 * Pins what the root of `@token-clients/core` exports at run time: what callers use, and nothing else. A
 * vendor-building block belongs in `@token-clients/core/vendor-kit` (test below); adding a name to the root is a
 * decision, made here. Types are pinned by the build's declaration files, checked by `pnpm check:packages`.
 */
import { describe, expect, it } from 'vitest';
import * as root from '../src/index.js';
import * as kit from '../src/vendor-kit.js';

describe('@token-clients/core', () => {
  it('exports only what callers use', () => {
    expect(Object.keys(root).sort()).toEqual([
      'CHANNELS',
      // The documented limits a caller configures against: the quota's default day and warning share, the
      // Retry-After clamp.
      'DEFAULT_QUOTA_TIME_ZONE',
      'MAX_RETRY_AFTER_MS',
      'MemoryStore',
      'QUOTA_WARNING_SHARE',
      'TOKEN_ERROR_CODES',
      'TokenError',
      'bearerAuth',
      'createTokenProvider',
      // bearerAuth's reading of APIs that report a dead token as `{errcode}` in an HTTP 200 (WeChat, WeCom).
      'rejectedByErrcode',
      // Typed listening on CHANNELS, and the one channel → measurement adapter, which the opentelemetry package
      // and the token service are built on.
      'subscribeChannel',
      'subscribeMeasurements',
      'subscribeTrace',
    ]);
  });
});

describe('@token-clients/core/vendor-kit', () => {
  it('exports defineVendor and what readers use, at most 15 run-time names', () => {
    expect(Object.keys(kit).sort()).toEqual([
      'ResponseReader',
      'asJsonObject',
      'clockOffset',
      'defineVendor',
      'errcodeDetails',
      'expiryFromLifetime',
      'localExpiry',
      'oauthErrorCode',
      'oauthErrorDetails',
      'parseSeconds',
      'readOAuthErrorBody',
      'serverTimeFromDateHeader',
      'statusErrorCode',
      'vendorError',
      'withDeadline',
    ]);
    expect(kit).not.toHaveProperty('TokenError');
  });
});
