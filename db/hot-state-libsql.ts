/**
 * The embedded hot-state store: a table in the same libSQL database, so the self-hosted
 * default needs no other service and a restart loses no draft. Expiry is checked on read;
 * tick() purges expired rows.
 */
import { and, eq, gt, isNotNull, isNull, lte, or, sql } from "drizzle-orm";
import { StorageUnavailableError } from "../src/services/errors";
import type { HotState } from "../src/services/hot-state";
import type { Db } from "./client";
import { kv } from "./schema";

export function libsqlHotState(db: Db, now: () => number = Date.now): HotState {
  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (err) {
      throw new StorageUnavailableError("hot state (libSQL)", err);
    }
  };
  const expiry = (ttlMs?: number) => (ttlMs === undefined ? null : now() + ttlMs);
  const expiredAt = (t: number) => sql`(${kv.expiresAt} is not null and ${kv.expiresAt} <= ${t})`;
  const liveKey = (key: string, t: number) => and(eq(kv.key, key), or(isNull(kv.expiresAt), gt(kv.expiresAt, t)));

  /**
   * A fixed window's count, returning the new one: an expired counter starts again at 1 with
   * a new expiry. With `onlyIfChanged`, only if the connection's previous statement changed a
   * row (SQLite's changes()): the second step of a batch.
   */
  const incr = (key: string, ttlMs: number, t: number, onlyIfChanged = false) =>
    // Written out in SQL: a conditional INSERT … SELECT with an upsert reads more plainly so.
    db.all<{ value: string }>(sql`insert into kv (key, value, expires_at) select ${key}, '1', ${t + ttlMs}
      where ${onlyIfChanged ? sql`changes() > 0` : sql`1`}
      on conflict (key) do update set
        value = case when ${expiredAt(t)} then '1' else cast(cast(kv.value as integer) + 1 as text) end,
        expires_at = case when ${expiredAt(t)} then excluded.expires_at else kv.expires_at end
      returning value`);

  /** A plain write: the row inserted, or replaced. */
  const put = (key: string, value: string, expiresAt: number | null) =>
    db.insert(kv).values({ key, value, expiresAt }).onConflictDoUpdate({ target: kv.key, set: { value, expiresAt } });
  /** A key taken: inserted, or taken over from a row that expired; a live row is left as it is (returning nothing). */
  const take = (key: string, value: string, expiresAt: number | null, t: number) =>
    db
      .insert(kv)
      .values({ key, value, expiresAt })
      .onConflictDoUpdate({ target: kv.key, set: { value, expiresAt }, setWhere: expiredAt(t) });

  return {
    get: (key) =>
      guard(async () => {
        const [row] = await db.select({ value: kv.value }).from(kv).where(liveKey(key, now()));
        return row?.value ?? null;
      }),

    set: (key, value, ttlMs) =>
      guard(async () => {
        await put(key, value, expiry(ttlMs));
      }),

    setIfAbsent: (key, value, ttlMs) =>
      guard(async () => {
        const t = now();
        // A key held is answered by a read. The insert below takes the database's write lock
        // even when it changes nothing, and what asks for a held key asks again and again
        // (a redelivered update, a lock being waited for): on a database server every one of
        // those would queue behind the writers, and hold up the next.
        const [held] = await db.select({ key: kv.key }).from(kv).where(liveKey(key, t));
        if (held) return false;
        const rows = await take(key, value, ttlMs === undefined ? null : t + ttlMs, t).returning({ key: kv.key });
        return rows.length > 0;
      }),

    incr: (key, ttlMs) =>
      guard(async () => {
        const [row] = await incr(key, ttlMs, now());
        return Number(row?.value);
      }),

    // The read first, as in setIfAbsent (a redelivery learns the held value from it); then the
    // claim and the count in one batch, the count only when the claim changed a row: SQLite's
    // changes() is the batch's previous statement's, on the same connection.
    claim: (key, value, ttlMs, counter) =>
      guard(async () => {
        const t = now();
        const [held] = await db.select({ value: kv.value }).from(kv).where(liveKey(key, t));
        if (held) return { claimed: false, held: held.value };
        const claimed = take(key, value, t + ttlMs, t).returning({ key: kv.key });
        if (counter === undefined) {
          const taken = await claimed;
          return taken.length > 0 ? { claimed: true, count: null } : { claimed: false, held: null };
        }
        const [taken, counted] = await db.batch([claimed, incr(counter.key, counter.ttlMs, t, true)]);
        return taken.length > 0 ? { claimed: true, count: Number(counted[0]?.value) } : { claimed: false, held: null };
      }),

    delete: (key) =>
      guard(async () => {
        await db.delete(kv).where(eq(kv.key, key));
      }),

    // One statement: setIfAbsent's insert, returning the guarded key's value when it took the
    // lock. Unlike setIfAbsent it does not read first: a person's lock is rarely held, and its
    // waiters back off (src/services/user-lock.ts).
    lockAndGet: (lockKey, token, ttlMs, key) =>
      guard(async () => {
        const t = now();
        const live = sql`(select ${kv.value} from ${kv} where ${liveKey(key, t)})`;
        const rows = await take(lockKey, token, t + ttlMs, t).returning({ value: sql<string | null>`${live}` });
        return rows.length === 0 ? null : { value: rows[0]!.value };
      }),

    // One batch (one round trip, one transaction): the key's write, then the lock's release.
    setAndUnlock: (lockKey, token, key, leave) =>
      guard(async () => {
        const unlock = db.delete(kv).where(and(eq(kv.key, lockKey), eq(kv.value, token)));
        if (leave === undefined) await unlock;
        else if (leave === null) await db.batch([db.delete(kv).where(eq(kv.key, key)), unlock]);
        else await db.batch([put(key, leave.value, expiry(leave.ttlMs)), unlock]);
      }),

    deleteIf: (key, value) =>
      guard(async () => {
        await db.delete(kv).where(and(eq(kv.key, key), eq(kv.value, value)));
      }),

    ping: () =>
      guard(async () => {
        await db.run(sql`select 1`);
      }),

    purgeExpired: () =>
      guard(async () => {
        const result = await db.delete(kv).where(and(isNotNull(kv.expiresAt), lte(kv.expiresAt, now())));
        return result.rowsAffected;
      }),
  };
}
