/**
 * The nightly backup's schedule: at BACKUP_TIME in office time, once a night however many
 * processes ask (claimed in job_runs); a failure tells the admins and the dispatchers' group
 * through the outbox; /healthz says when the last good one was taken.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../db/client";
import { libsqlHotState } from "../../db/hot-state-libsql";
import { chats, members, outbox } from "../../db/schema";
import { memoryLogger } from "../../src/log";
import { healthService } from "../../src/services/health";
import { nightlyBackupService } from "../../src/services/nightly-backup";
import { type CountyDatabase, countyDatabase } from "../support/county";

const sh = (local: string): number => Date.parse(`${local}:00+08:00`);

let database: CountyDatabase;
let db: Db;
beforeEach(async () => {
  database = await countyDatabase();
  db = database.db;
  await db.insert(members).values([
    { telegramId: 9101, unitId: "office", roles: ["admin"], name: "管理员" },
    { telegramId: 9102, unitId: "office", roles: ["dispatcher"], name: "调度员" },
  ]);
  await db.insert(chats).values({ chatId: -100900, title: "调度群", purpose: "dispatchers" });
});
afterEach(() => database.dispose());

const service = (take: (now: number) => Promise<string>) =>
  nightlyBackupService({ db, log: memoryLogger(), officeTz: "Asia/Shanghai", time: [2, 30], take });

describe("the nightly backup", () => {
  it("is taken once a night from its time on, however many processes ask", async () => {
    const taken: number[] = [];
    const take = async (now: number) => {
      taken.push(now);
      return `/backups/${now}`;
    };
    const [a, b] = [service(take), service(take)];
    expect(await a.runDue(sh("2026-12-06T02:29"))).toBe("not-due");
    expect(await Promise.all([a.runDue(sh("2026-12-06T02:30")), b.runDue(sh("2026-12-06T02:30"))])).toEqual(
      expect.arrayContaining(["taken", "taken-already"]),
    );
    expect(await b.runDue(sh("2026-12-06T09:00"))).toBe("taken-already");
    expect(await a.runDue(sh("2026-12-07T02:31"))).toBe("taken");
    expect(taken).toEqual([sh("2026-12-06T02:30"), sh("2026-12-07T02:31")]);
    const health = await healthService(db, libsqlHotState(db), { health: async () => ({ state: "off" as const, pending: 0 }) })();
    expect(health.backup).toEqual({ lastGoodAt: new Date(sh("2026-12-07T02:31")).toISOString() });
  });

  it("a failure tells the admins and the dispatchers' group once, and the last good backup stays the one before", async () => {
    await service(async () => "/backups/one").runDue(sh("2026-12-06T02:30"));
    const failing = service(async () => {
      throw new Error("the disk holding /backups is full (ENOSPC)");
    });
    expect(await failing.runDue(sh("2026-12-07T02:30"))).toBe("failed");
    expect(await failing.runDue(sh("2026-12-07T02:31"))).toBe("taken-already");
    const sent = await db.select({ chatId: outbox.chatId, payload: outbox.payload }).from(outbox);
    expect(sent.map((m) => m.chatId).sort()).toEqual([-100900, 9101]);
    expect(String((sent[0]!.payload as { text: string }).text)).toContain("the disk holding /backups is full (ENOSPC)");
    const health = await healthService(db, libsqlHotState(db), { health: async () => ({ state: "off" as const, pending: 0 }) })();
    expect(health).toMatchObject({ ok: true, backup: { lastGoodAt: new Date(sh("2026-12-06T02:30")).toISOString() } });
  });
});
