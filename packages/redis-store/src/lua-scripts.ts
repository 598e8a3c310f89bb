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

/**
 * The fingerprint of a token hash's fields, as both the read and the write script compute it: the write
 * replaces a record the store could not read only if it is still exactly the record that was read.
 */
const FINGERPRINT = `
local function fingerprint(fields)
  return redis.sha1hex((fields[1] or '') .. '\\0' .. (fields[2] or '') .. '\\0' .. (fields[3] or ''))
end`;

/**
 * Reads the whole record: `[]` when the key is absent; `[type]` when it holds another Redis type than a hash;
 * else `['hash', version, obtainedAt, data, fingerprint]`, each field `nil` when missing. Checking the type
 * first means a wrong-typed key is a finding, not a WRONGTYPE error that would look like an outage.
 */
export const READ_TOKEN = script(`${FINGERPRINT}
local kind = redis.call('TYPE', KEYS[1]).ok
if kind == 'none' then return {} end
if kind ~= 'hash' then return {kind} end
local fields = redis.call('HMGET', KEYS[1], 'v', 't', 'd')
return {kind, fields[1], fields[2], fields[3], fingerprint(fields)}`);

/** Reads the version alone: what a waiter polls, a few bytes instead of the whole token. `nil` unless a hash. */
export const READ_VERSION = script(`
if redis.call('TYPE', KEYS[1]).ok ~= 'hash' then return false end
return redis.call('HGET', KEYS[1], 'v')`);

/**
 * Compare-and-set. ARGV: expected version, new version, obtainedAt, data, retention in ms (0: keep until
 * overwritten), the fingerprint of an unreadable record the writer read ('' if none), and '1' to be told how
 * many replicas are connected (for `WAIT`), else '0'.
 * Returns `[new version, connected replicas]` — the version 0 when another writer came first, the replicas -1
 * when not asked.
 *
 * What may be replaced:
 * - an absent key, whatever was expected: there is nothing newer to protect, and a key that vanished
 *   (evicted, flushed, Redis restarted without persistence) must not leave every provider unable to write;
 * - a record of ours whose version is the expected one;
 * - a record that is not one of ours (a version that is not a positive integer, a missing field, another
 *   Redis type than a hash) when the writer expected nothing (0): it read it as absent;
 * - the record whose fingerprint the writer gives, if it is still exactly that record: the writer read it
 *   and could not decode it (not JSON, not a token, tampered with).
 * The key is deleted before it is written, so a replaced foreign record leaves no field or type behind.
 */
export const WRITE_TOKEN = script(`${FINGERPRINT}
local kind = redis.call('TYPE', KEYS[1]).ok
local expected = tonumber(ARGV[1])
local replace = false
if kind == 'none' then
  replace = true
elseif kind ~= 'hash' then
  replace = expected == 0
else
  local fields = redis.call('HMGET', KEYS[1], 'v', 't', 'd')
  local current = tonumber(fields[1])
  local ours = current and current >= 1 and current == math.floor(current) and tonumber(fields[2]) and fields[3]
  if ARGV[6] ~= '' and fingerprint(fields) == ARGV[6] then
    replace = true
  elseif ours then
    replace = current == expected
  else
    replace = expected == 0
  end
end
if not replace then return {0, -1} end
if kind ~= 'none' then redis.call('DEL', KEYS[1]) end
redis.call('HSET', KEYS[1], 'v', ARGV[2], 't', ARGV[3], 'd', ARGV[4])
if tonumber(ARGV[5]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[5]) end
local replicas = -1
if ARGV[7] == '1' then
  replicas = tonumber(string.match(redis.call('INFO', 'replication'), 'connected_slaves:(%d+)')) or 0
end
return {tonumber(ARGV[2]), replicas}`);

// A lease is a string with a time to live. Anything else under its key — another Redis type, or a string without
// expiry, which nobody would ever delete — would block every refresh for ever, so it does not count as held and
// the next taker replaces it.
const FOREIGN_LEASE = `
local function foreign(key)
  local kind = redis.call('TYPE', key).ok
  if kind == 'none' then return false end
  if kind ~= 'string' then return kind end
  if redis.call('PTTL', key) == -1 then return 'string without expiry' end
  return false
end`;

/**
 * Takes the lease if nobody holds it. ARGV: owner nonce, time to live in ms. Returns 'OK', nil, or
 * 'repaired:<what was there>' when it replaced a key that was not a lease (and so holds the lease now).
 */
export const TAKE_LEASE = script(`${FOREIGN_LEASE}
local found = foreign(KEYS[1])
if found then
  redis.call('DEL', KEYS[1])
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 'repaired:' .. found
end
return redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])`);

/** Deletes the lease only if it is still held by ARGV[1]: a late holder never frees a successor's lease. */
export const RELEASE_LEASE = script(`
if redis.call('TYPE', KEYS[1]).ok == 'string' and redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`);

/** 1 while somebody holds the lease, else 0 (also when the key holds something that is not a lease). */
export const LEASE_HELD = script(`${FOREIGN_LEASE}
if foreign(KEYS[1]) then return 0 end
return redis.call('EXISTS', KEYS[1])`);

/**
 * The daily quota's counter: adds one and returns the count. ARGV: time to live in ms. The expiry is set when the
 * key is new, so the count resets a fixed time after the first request of the period, however often it is
 * incremented. A key that cannot be counted (another Redis type, a value that is not an integer) or that has
 * lost its expiry (it would never reset, and the budget would stay spent for ever) starts again.
 */
export const INCREMENT = script(`
local kind = redis.call('TYPE', KEYS[1]).ok
if kind ~= 'none' and kind ~= 'string' then redis.call('DEL', KEYS[1]) end
local count = redis.pcall('INCR', KEYS[1])
if type(count) == 'table' and count.err then
  redis.call('DEL', KEYS[1])
  count = redis.call('INCR', KEYS[1])
end
if count == 1 or redis.call('PTTL', KEYS[1]) == -1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return count`);
