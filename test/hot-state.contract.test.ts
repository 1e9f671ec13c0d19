/**
 * One contract for the HotState port, run against both adapters: the embedded store in
 * libSQL, and Upstash through the real @upstash/redis client, a loopback shim of the Upstash
 * REST API and a real redis-server. Expiry uses real time with short TTLs.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createClient as createLibsqlClient, type Client as LibsqlClient } from "@libsql/client";
import { Redis } from "@upstash/redis";
import { migrate } from "drizzle-orm/libsql/migrator";
import { createClient as createRedisClient, type RedisClientType } from "redis";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { createDb } from "../db/client";
import { fileHotState, hotStatePath } from "../db/hot-state-file";
import { libsqlHotState } from "../db/hot-state-libsql";
import { upstashHotState } from "../db/hot-state-upstash";
import { isTransientStorageError, StorageUnavailableError } from "../src/services/errors";
import type { HotState } from "../src/services/hot-state";
import { type RedisServer, startRedis } from "./support/redis-server";
import { startUpstashShim, type UpstashShim } from "./support/upstash-shim";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface StoreUnderTest {
  store: HotState;
  /** True when the store drops expired keys by itself (Redis), so purgeExpired has nothing to do. */
  expiresItself: boolean;
  close(): Promise<void>;
}

function contract(name: string, makeStore: () => Promise<StoreUnderTest>) {
  describe(`HotState contract: ${name}`, () => {
    let sut: StoreUnderTest;
    let store: HotState;
    beforeEach(async () => {
      sut = await makeStore();
      store = sut.store;
    });
    afterEach(() => sut.close());

    test("get of a missing key is null", async () => {
      expect(await store.get("missing")).toBeNull();
    });

    test("set then get returns the exact string, byte for byte", async () => {
      const values = [
        "plain",
        "危险源上报：化工厂西门，储罐泄漏",
        "🔥🧯 emoji 👩‍🚒 and a flag 🇨🇳",
        JSON.stringify({ step: "location", draft: { text: '油罐 "A"', lat: 31.2, ok: true }, list: [1, null] }),
        "007",
        "1e3",
        "-0",
        "null",
        "true",
        "SGVsbG8=",
        "abcd",
        "T0s=", // base64 of "OK"
        "OK",
        "PONG",
        "",
        "  padded\twith\nwhitespace  ",
      ];
      for (const [i, value] of values.entries()) await store.set(`v:${i}`, value);
      for (const [i, value] of values.entries()) {
        const got = await store.get(`v:${i}`);
        expect(got).toBe(value);
        expect(Buffer.from(got ?? "\u0000missing", "utf8").equals(Buffer.from(value, "utf8"))).toBe(true);
      }
    });

    test("keys may be any string, including Chinese and emoji", async () => {
      await store.set("草稿:用户🔥:1", "a");
      await store.set("草稿:用户🔥:2", "b");
      expect(await store.get("草稿:用户🔥:1")).toBe("a");
      expect(await store.get("草稿:用户🔥:2")).toBe("b");
    });

    test("set overwrites", async () => {
      await store.set("k", "first");
      await store.set("k", "second");
      expect(await store.get("k")).toBe("second");
    });

    test("a value set with a TTL is there before it expires and gone after", async () => {
      await store.set("ttl", "soon gone", 150);
      expect(await store.get("ttl")).toBe("soon gone");
      await sleep(400);
      expect(await store.get("ttl")).toBeNull();
    });

    test("set without a TTL clears an earlier TTL", async () => {
      await store.set("k", "temporary", 150);
      await store.set("k", "permanent");
      await sleep(400);
      expect(await store.get("k")).toBe("permanent");
    });

    test("setIfAbsent returns true once, false for a second caller, and does not overwrite", async () => {
      expect(await store.setIfAbsent("lock", "first", 60_000)).toBe(true);
      expect(await store.setIfAbsent("lock", "second", 60_000)).toBe(false);
      expect(await store.setIfAbsent("lock", "third")).toBe(false);
      expect(await store.get("lock")).toBe("first");
    });

    test("setIfAbsent does not take a key that set wrote", async () => {
      await store.set("k", "existing");
      expect(await store.setIfAbsent("k", "intruder")).toBe(false);
      expect(await store.get("k")).toBe("existing");
    });

    test("setIfAbsent succeeds again after the first value expired", async () => {
      expect(await store.setIfAbsent("lock", "first", 150)).toBe(true);
      await sleep(400);
      expect(await store.setIfAbsent("lock", "second", 60_000)).toBe(true);
      expect(await store.get("lock")).toBe("second");
    });

    test("20 concurrent setIfAbsent on one key: exactly one wins, and its value stays", async () => {
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.setIfAbsent("race", `caller-${i}`, 60_000)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.get("race")).toBe(`caller-${results.indexOf(true)}`);
    });

    test("incr counts 1, 2, 3", async () => {
      expect(await store.incr("count", 60_000)).toBe(1);
      expect(await store.incr("count", 60_000)).toBe(2);
      expect(await store.incr("count", 60_000)).toBe(3);
      expect(await store.get("count")).toBe("3");
    });

    test("20 concurrent incr end at 20, every caller seeing a distinct count", async () => {
      const counts = await Promise.all(Array.from({ length: 20 }, () => store.incr("burst", 60_000)));
      expect([...counts].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(await store.incr("burst", 60_000)).toBe(21);
    });

    test("incr's TTL is a fixed window: later increments do not extend it", async () => {
      // Window of 250 ms from the first increment. A sliding TTL would run to ~400 ms (renewed
      // at 150 ms) and the third call at ~300 ms would see 3.
      expect(await store.incr("window", 250)).toBe(1);
      await sleep(150);
      expect(await store.incr("window", 250)).toBe(2);
      await sleep(150);
      expect(await store.incr("window", 250)).toBe(1);
    });

    test("delete removes", async () => {
      await store.set("k", "v");
      await store.delete("k");
      expect(await store.get("k")).toBeNull();
      expect(await store.setIfAbsent("k", "again")).toBe(true);
    });

    test("deleteIf removes the key only while it holds that value", async () => {
      await store.set("lock", "mine", 60_000);
      await store.deleteIf("lock", "someone else's");
      expect(await store.get("lock")).toBe("mine");
      await store.deleteIf("lock", "mine");
      expect(await store.get("lock")).toBeNull();
      await expect(store.deleteIf("never-set", "mine")).resolves.toBeUndefined();
    });

    test("a lock that expired and was taken since is not released by its first holder", async () => {
      expect(await store.setIfAbsent("lock", "first", 150)).toBe(true);
      await sleep(400);
      expect(await store.setIfAbsent("lock", "second", 60_000)).toBe(true);
      await store.deleteIf("lock", "first");
      expect(await store.get("lock")).toBe("second");
    });

    test("claim takes a free key and counts once; a held key gives its value back and counts nothing", async () => {
      const counter = { key: "rate:msg:1", ttlMs: 60_000 };
      expect(await store.claim("update:1", "processing", 60_000, counter)).toEqual({ claimed: true, count: 1 });
      expect(await store.claim("update:2", "processing", 60_000, counter)).toEqual({ claimed: true, count: 2 });
      expect(await store.claim("update:1", "processing", 60_000, counter)).toEqual({ claimed: false, held: "processing" });
      await store.set("update:2", "done");
      expect(await store.claim("update:2", "processing", 60_000, counter)).toEqual({ claimed: false, held: "done" });
      expect(await store.get("rate:msg:1")).toBe("2");
      expect(await store.claim("update:3", "processing", 60_000)).toEqual({ claimed: true, count: null });
      expect(await store.get("update:3")).toBe("processing");
    });

    test("claim takes a key that expired, and its counter keeps its fixed window", async () => {
      const counter = { key: "rate:msg:2", ttlMs: 150 };
      expect(await store.claim("update:1", "processing", 150, counter)).toEqual({ claimed: true, count: 1 });
      await sleep(400);
      expect(await store.claim("update:1", "again", 60_000, counter)).toEqual({ claimed: true, count: 1 });
      expect(await store.get("update:1")).toBe("again");
    });

    test("20 concurrent claims of one key: exactly one takes it, and the counter counts it once", async () => {
      const counter = { key: "rate:msg:3", ttlMs: 60_000 };
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.claim("update:race", `caller-${i}`, 60_000, counter)));
      expect(results.filter((r) => r.claimed)).toEqual([{ claimed: true, count: 1 }]);
      expect(await store.get("rate:msg:3")).toBe("1");
      const winner = `caller-${results.findIndex((r) => r.claimed)}`;
      expect(await store.get("update:race")).toBe(winner);
      // A loser saw the winner's value, or (in a store that reads first) none when it lost the race between its read and its write.
      for (const r of results) if (!r.claimed) expect([winner, null]).toContain(r.held);
    });

    test("lockAndGet takes a free lock and reads the guarded key with it; a held lock gives null and reads nothing", async () => {
      await store.set("draft", "步骤 2：城关镇", 60_000);
      expect(await store.lockAndGet("lock:d", "mine", 60_000, "draft")).toEqual({ value: "步骤 2：城关镇" });
      expect(await store.get("lock:d")).toBe("mine");
      expect(await store.lockAndGet("lock:d", "theirs", 60_000, "draft")).toBeNull();
      expect(await store.get("lock:d")).toBe("mine");
      expect(await store.lockAndGet("lock:e", "mine", 60_000, "no draft")).toEqual({ value: null });
    });

    test("lockAndGet takes a lock that expired, and does not read a guarded key that expired", async () => {
      await store.set("draft", "old", 150);
      expect(await store.lockAndGet("lock:d", "first", 150, "draft")).toEqual({ value: "old" });
      await sleep(400);
      expect(await store.lockAndGet("lock:d", "second", 60_000, "draft")).toEqual({ value: null });
      expect(await store.get("lock:d")).toBe("second");
    });

    test("20 concurrent lockAndGet on one lock: exactly one takes it", async () => {
      await store.set("draft", "d");
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.lockAndGet("lock:race", `caller-${i}`, 60_000, "draft")));
      expect(results.filter((r) => r !== null)).toEqual([{ value: "d" }]);
      expect(await store.get("lock:race")).toBe(`caller-${results.findIndex((r) => r !== null)}`);
    });

    test("setAndUnlock writes, deletes or keeps the guarded key, and releases the lock", async () => {
      for (const [leave, expected] of [
        [{ value: "新草稿 🔥", ttlMs: 60_000 }, "新草稿 🔥"],
        [{ value: "for ever" }, "for ever"],
        [undefined, "for ever"],
        [null, null],
      ] as const) {
        expect(await store.lockAndGet("lock:d", "mine", 60_000, "draft")).not.toBeNull();
        await store.setAndUnlock("lock:d", "mine", "draft", leave);
        expect(await store.get("draft")).toBe(expected);
        expect(await store.get("lock:d")).toBeNull();
      }
    });

    test("setAndUnlock's value expires after its TTL", async () => {
      await store.lockAndGet("lock:d", "mine", 60_000, "draft");
      await store.setAndUnlock("lock:d", "mine", "draft", { value: "brief", ttlMs: 150 });
      expect(await store.get("draft")).toBe("brief");
      await sleep(400);
      expect(await store.get("draft")).toBeNull();
    });

    test("setAndUnlock by a holder whose lock expired and was taken since writes, but leaves the new holder's lock", async () => {
      expect(await store.lockAndGet("lock:d", "first", 150, "draft")).toEqual({ value: null });
      await sleep(400);
      expect(await store.lockAndGet("lock:d", "second", 60_000, "draft")).toEqual({ value: null });
      await store.setAndUnlock("lock:d", "first", "draft", { value: "late" });
      expect(await store.get("draft")).toBe("late");
      expect(await store.get("lock:d")).toBe("second");
    });

    test("delete of a missing key is fine", async () => {
      await expect(store.delete("never-set")).resolves.toBeUndefined();
      expect(await store.get("never-set")).toBeNull();
    });

    test("ping resolves", async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    test("purgeExpired returns a number, removes only expired entries where the store keeps them", async () => {
      await store.set("gone", "x", 100);
      await store.set("kept", "y");
      await store.set("later", "z", 60_000);
      await sleep(300);
      const purged = await store.purgeExpired();
      expect(typeof purged).toBe("number");
      if (sut.expiresItself) expect(purged).toBe(0);
      else {
        expect(purged).toBeGreaterThanOrEqual(1);
        expect(await store.purgeExpired()).toBe(0); // the first call really deleted them
      }
      expect(await store.get("gone")).toBeNull();
      expect(await store.get("kept")).toBe("y");
      expect(await store.get("later")).toBe("z");
    });
  });
}

// ── Embedded: a fresh libSQL file database per test ─────────────────────────────────────

const migrationsFolder = fileURLToPath(new URL("../db/migrations", import.meta.url));
const tempRoot = mkdtempSync(join(tmpdir(), "hazardline-hot-state-"));
let dbCount = 0;

async function openEmbedded(): Promise<{ client: LibsqlClient; store: HotState; path: string }> {
  const path = join(tempRoot, `db-${++dbCount}.sqlite`);
  const client = createLibsqlClient({ url: `file:${path}` });
  const db = createDb(client);
  await migrate(db, { migrationsFolder });
  return { client, store: libsqlHotState(db), path };
}

afterAll(() => rmSync(tempRoot, { recursive: true, force: true }));

contract("embedded (libSQL)", async () => {
  const { client, store } = await openEmbedded();
  return { store, expiresItself: false, close: async () => client.close() };
});

contract("Node's hot file (libsql, prepared statements)", async () => {
  const store = fileHotState(join(tempRoot, `hot-${++dbCount}.db`));
  return { store, expiresItself: false, close: async () => store.close() };
});

describe("Node's hot file", () => {
  test("a new hot file takes over the live hot state of the database it belongs to, once", async () => {
    const { client, store: old, path: databasePath } = await openEmbedded();
    await old.set("draft:1", "kept");
    await old.set("update:7", "done", 60_000);
    await old.set("gone", "x", 1);
    await sleep(20);
    client.close();

    const hotPath = join(tempRoot, `hot-${++dbCount}.db`);
    const store = fileHotState(hotPath, { takeOverFrom: databasePath });
    expect(await store.get("draft:1")).toBe("kept");
    expect(await store.get("update:7")).toBe("done");
    expect(await store.get("gone")).toBeNull();
    await store.set("draft:1", "changed");
    store.close();

    // Opened again, the file is not new: what it holds stays, nothing is copied over it.
    const again = fileHotState(hotPath, { takeOverFrom: databasePath });
    expect(await again.get("draft:1")).toBe("changed");
    again.close();
  });

  test("its path sits beside the database file", () => {
    expect(hotStatePath("./data/hazardline.db")).toBe("./data/hazardline.hot.db");
    expect(hotStatePath("/srv/office.sqlite")).toBe("/srv/office.hot.db");
    expect(hotStatePath("/srv/office")).toBe("/srv/office.hot.db");
  });

  test("a file that cannot be opened is said at once, and later as a transient StorageUnavailableError", async () => {
    expect(() => fileHotState(join(tempRoot, "no-such-folder", "hot.db"))).toThrow();

    const path = join(tempRoot, `hot-${++dbCount}.db`);
    const store = fileHotState(path);
    await store.set("k", "v");
    store.close();
    expect(await store.get("k")).toBe("v"); // closed, it opens again at the next call
    store.close();
    for (const file of [path, `${path}-wal`, `${path}-shm`]) rmSync(file, { force: true });
    mkdirSync(path);
    await expectUnavailable(store);
  });
});

/** An unreachable store fails every call with an error the webhook treats as retryable. */
async function expectUnavailable(store: HotState): Promise<void> {
  const err = await store.get("k").then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StorageUnavailableError);
  expect(isTransientStorageError(err)).toBe(true);
  await expect(store.ping()).rejects.toBeInstanceOf(StorageUnavailableError);
}

describe("embedded (libSQL) when the database is unreachable", () => {
  test("an operation rejects with a transient StorageUnavailableError", async () => {
    const { client, store } = await openEmbedded();
    await store.set("k", "v");
    client.close();
    await expectUnavailable(store);
  });
});

// ── Upstash: @upstash/redis → shim → real redis-server ──────────────────────────────────

describe("Upstash Redis", () => {
  const token = "test-token";
  let server: RedisServer;
  let shim: UpstashShim;
  let admin: RedisClientType;

  const upstash = (url: string) => new Redis({ url, token, automaticDeserialization: false, retry: false });

  beforeAll(async () => {
    server = await startRedis();
    shim = await startUpstashShim({ redisUrl: server.url, token });
    admin = createRedisClient({ url: server.url });
    admin.on("error", () => {});
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.close();
    await shim?.stop();
    await server?.stop();
  });

  contract("Upstash (shim over redis-server)", async () => {
    await admin.flushDb();
    return { store: upstashHotState(upstash(shim.url)), expiresItself: true, close: async () => {} };
  });

  test("the Upstash contract really went over HTTP through the shim", () => {
    expect(shim.requests).toBeGreaterThan(50);
  });

  test("when the store is unreachable an operation rejects with a transient StorageUnavailableError", async () => {
    const doomed = await startUpstashShim({ redisUrl: server.url, token });
    const store = upstashHotState(upstash(doomed.url));
    await store.set("k", "v");
    expect(await store.get("k")).toBe("v");
    await doomed.stop();
    await expectUnavailable(store);
  });
});
