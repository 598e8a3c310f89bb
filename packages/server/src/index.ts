export { startTokenService, type TokenService, type TokenServiceOptions } from './token-service.js';
export { loadConfig } from './config/load-config.js';
export { validateConfig, type ConfigSource } from './config/validate-config.js';
export type { ServiceConfig, AppConfig, CallerConfig, ListenConfig, StoreConfig, LimitsConfig } from './config/service-config.js';
export { subscribeTokenMetrics, type AppOfKey } from './metrics/token-metrics.js';
export { VENDORS, type VendorEntry } from './vendors.js';
export type { TokenResponse } from './http/token-response.js';
export type { Problem } from './http/problem.js';
