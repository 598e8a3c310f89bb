import { createHash } from 'node:crypto';

/** A Lua script and its SHA-1, so it can be sent by digest (EVALSHA) and by source when Redis forgot it. */
export interface LuaScript {
  readonly source: string;
  readonly sha: string;
}

function script(source: string): LuaScript {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

// Every script touches exactly one key, KEYS[1], so each runs on whichever Cluster node owns that key.
// A token is a hash: v (version), t (obtainedAt), d (the token JSON, or its encrypted envelope).

/** Reads the whole record: `[version, obtainedAt, data]`, each `null` when the key is absent. */
export const READ_TOKEN = script(`return redis.call('HMGET', KEYS[1], 'v', 't', 'd')`);

/** Reads the version alone: what a waiter polls, a few bytes instead of the whole token. */
export const READ_VERSION = script(`return redis.call('HGET', KEYS[1], 'v')`);

/**
 * Compare-and-set. ARGV: expected version, obtainedAt, data, retention in ms (0: keep until overwritten).
 * Returns the new version, or 0 when another writer came first.
 *
 * An absent key matches any expected version: there is nothing newer to protect, and a key that vanished
 * (evicted, flushed, Redis restarted without persistence) must not leave every provider unable to write.
 * The new version is still `expected + 1`, so versions never go back to one a process may still hold.
 */
export const WRITE_TOKEN = script(`
local current = redis.call('HGET', KEYS[1], 'v')
local expected = tonumber(ARGV[1])
if current and tonumber(current) ~= expected then return 0 end
local version = expected + 1
redis.call('HSET', KEYS[1], 'v', version, 't', ARGV[2], 'd', ARGV[3])
if tonumber(ARGV[4]) > 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
else
  redis.call('PERSIST', KEYS[1])
end
return version`);

/** Takes the lease if nobody holds it. ARGV: owner nonce, time to live in ms. Returns 'OK' or nil. */
export const TAKE_LEASE = script(`return redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])`);

/** Deletes the lease only if it is still held by ARGV[1]: a late holder never frees a successor's lease. */
export const RELEASE_LEASE = script(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`);

/** 1 while somebody holds the lease, else 0. */
export const LEASE_HELD = script(`return redis.call('EXISTS', KEYS[1])`);
