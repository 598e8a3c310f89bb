export { RedisStore, type RedisStoreOptions } from './redis-store.js';
export type { RedisClient, NodeRedisClient, IoRedisClient } from './redis-client.js';
export type { EncryptionKey, EncryptionKeys } from './encryption-keys.js';
export type { WaitForReplicas } from './wait-for-replicas.js';
export type { UnreadableValueEvent } from './unreadable-value.js';
export type { RedisStoreEvent, UnreadableValueStoreEvent, KeyMismatchStoreEvent, ReplicationLagStoreEvent } from './store-events.js';
export { DEFAULT_KEY_PREFIX } from './key-names.js';
