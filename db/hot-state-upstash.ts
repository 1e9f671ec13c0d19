/**
 * The hot-state store on Upstash Redis, for Workers and for more than one Node process.
 * The entry builds the client (`@upstash/redis` on Node, `@upstash/redis/cloudflare` on
 * Workers) with automaticDeserialization off: the port stores strings, verbatim.
 */
import type { Redis } from "@upstash/redis/cloudflare";
import { StorageUnavailableError } from "../src/services/errors";
import type { HotState } from "../src/services/hot-state";

/**
 * Compare-and-delete in one round trip. Redis has no such command before 8.4 (DELEX … IFEQ),
 * and Upstash runs Lua scripts, so this is the usual script from Redis's own lock pattern.
 */
const DELETE_IF = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/**
 * Claims KEYS[1] as SET NX PX does and, when it did, counts in KEYS[2] (if given) as incr
 * does: {1, count}; else {0, the held value}.
 */
const CLAIM = `
if redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  if KEYS[2] == nil then return {1} end
  local n = redis.call('incr', KEYS[2])
  redis.call('pexpire', KEYS[2], ARGV[3], 'NX')
  return {1, n}
end
return {0, redis.call('get', KEYS[1])}`;

/** Takes the lock (KEYS[1]) as SET NX PX does and, when taken, reads the key it guards (KEYS[2]). */
const LOCK_AND_GET = "if redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {1, redis.call('get', KEYS[2])} else return {0} end";

/**
 * Leaves the guarded key (KEYS[2]) as ARGV[2] says ("set" to ARGV[3], expiring after ARGV[4] ms
 * unless it is empty; "del"; anything else leaves it), then releases the lock (KEYS[1]) if it
 * holds the token (ARGV[1]).
 */
const SET_AND_UNLOCK = `
if ARGV[2] == 'set' then
  if ARGV[4] == '' then redis.call('set', KEYS[2], ARGV[3]) else redis.call('set', KEYS[2], ARGV[3], 'PX', ARGV[4]) end
elseif ARGV[2] == 'del' then
  redis.call('del', KEYS[2])
end
if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('del', KEYS[1]) end
return 1`;

export function upstashHotState(redis: Redis): HotState {
  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (err) {
      throw new StorageUnavailableError("hot state (Upstash Redis)", err);
    }
  };

  return {
    get: (key) => guard(async () => (await redis.get<string>(key)) ?? null),

    set: (key, value, ttlMs) =>
      guard(async () => {
        await (ttlMs === undefined ? redis.set(key, value) : redis.set(key, value, { px: ttlMs }));
      }),

    setIfAbsent: (key, value, ttlMs) =>
      guard(async () => {
        const result = await (ttlMs === undefined ? redis.set(key, value, { nx: true }) : redis.set(key, value, { nx: true, px: ttlMs }));
        return result === "OK";
      }),

    incr: (key, ttlMs) =>
      guard(async () => {
        // One round trip, atomic: the window starts with the first increment (PEXPIRE NX).
        const [count] = await redis.multi().incr(key).pexpire(key, ttlMs, "NX").exec<[number, 0 | 1]>();
        return count;
      }),

    delete: (key) =>
      guard(async () => {
        await redis.del(key);
      }),

    deleteIf: (key, value) =>
      guard(async () => {
        await redis.eval(DELETE_IF, [key], [value]);
      }),

    claim: (key, value, ttlMs, counter) =>
      guard(async () => {
        const keys = counter === undefined ? [key] : [key, counter.key];
        const args = [value, String(ttlMs), ...(counter === undefined ? [] : [String(counter.ttlMs)])];
        const [taken, other] = await redis.eval<string[], [0 | 1, number | string | null | undefined]>(CLAIM, keys, args);
        // Without a counter, or with the held key gone, the script's table ends early: undefined.
        const found = other ?? null;
        if (taken === 1) return { claimed: true, count: found === null ? null : Number(found) };
        return { claimed: false, held: found === null ? null : String(found) };
      }),

    lockAndGet: (lockKey, token, ttlMs, key) =>
      guard(async () => {
        const [taken, value] = await redis.eval<string[], [0 | 1, string | null]>(LOCK_AND_GET, [lockKey, key], [token, String(ttlMs)]);
        return taken === 1 ? { value: value ?? null } : null;
      }),

    setAndUnlock: (lockKey, token, key, leave) =>
      guard(async () => {
        const [op, value, ttl] =
          leave === null ? ["del", "", ""] : leave === undefined ? ["keep", "", ""] : ["set", leave.value, String(leave.ttlMs ?? "")];
        await redis.eval(SET_AND_UNLOCK, [lockKey, key], [token, op, value, ttl]);
      }),

    ping: () =>
      guard(async () => {
        await redis.ping();
      }),

    // Redis expires keys itself.
    purgeExpired: async () => 0,
  };
}
