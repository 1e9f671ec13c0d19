/**
 * The hot-state port: small, short-lived values (drafts of flows in progress, update
 * de-duplication, rate limits, locks). Two adapters implement it: the embedded one in the
 * libSQL database (db/hot-state-libsql.ts) and Upstash Redis (db/hot-state-upstash.ts); one
 * contract test suite holds both to the same behaviour.
 *
 * Durable promises (a case is created once, a reminder fires once) never rest on this store;
 * they rest on unique keys in the database.
 */
export interface HotState {
  get(key: string): Promise<string | null>;
  /** Sets the value; with ttlMs it expires that many milliseconds from now. */
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** Sets the value only if the key is absent (or expired); true when this call set it. */
  setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean>;
  /**
   * Adds one and returns the new count. The TTL starts when the key is created and is not
   * extended by later increments: a fixed window, as rate limits want.
   */
  incr(key: string, ttlMs: number): Promise<number>;
  delete(key: string): Promise<void>;
  /**
   * Deletes the key only while it holds `value`, in one atomic step: a lock's holder releases
   * its own lock and never one that expired and was taken by another since.
   */
  deleteIf(key: string, value: string): Promise<void>;
  /**
   * Claims `key` for `value` as setIfAbsent does and, only when it did, adds one to the
   * counter (as incr) in the same step: an update's claim and its sender's flood count, the
   * first two steps of every update, in one round trip. When the key is held its value comes
   * back instead (null if it ran out meanwhile), so a redelivery learns at once whether the
   * update is done.
   */
  claim(key: string, value: string, ttlMs: number, counter?: { key: string; ttlMs: number }): Promise<Claim>;
  /**
   * Takes the lock at `lockKey` for `token` as setIfAbsent does and, only when it is taken,
   * reads `key` in the same step: one round trip where a lock and a read were two. Null when
   * the lock is held by another.
   */
  lockAndGet(lockKey: string, token: string, ttlMs: number, key: string): Promise<{ value: string | null } | null>;
  /**
   * Leaves `key` as the holder decided (see Leave) and releases `lockKey` if it still holds
   * `token` (as deleteIf), in one round trip.
   */
  setAndUnlock(lockKey: string, token: string, key: string, leave: Leave): Promise<void>;
  /** Throws when the store cannot be reached; for /healthz. */
  ping(): Promise<void>;
  /** Removes expired entries where the store does not do it itself; returns how many. */
  purgeExpired(): Promise<number>;
}

/** What claim found: the key taken (and the counter's new count, if one was given), or its holder's value. */
export type Claim = { claimed: true; count: number | null } | { claimed: false; held: string | null };

/** What a lock's holder leaves at the key it guarded: a value (expiring after ttlMs, if given), null to delete it, or undefined to leave it as it was. */
export type Leave = { value: string; ttlMs?: number } | null | undefined;

/** Reads a value stored as JSON. */
export async function getJson<T>(store: HotState, key: string): Promise<T | null> {
  const raw = await store.get(key);
  return raw === null ? null : (JSON.parse(raw) as T);
}
