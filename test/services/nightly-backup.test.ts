/**
 * The nightly backup's schedule: at BACKUP_TIME in office time, once a night however many
 * processes ask (claimed in job_runs); a failure tells the admins and the dispatchers' group
 * through the outbox; /healthz says when the last good one was taken. Its pruning, with real
 * backups of this libSQL file in a real folder: a backup taken longer ago than the office's
 * reporter-identity period is deleted, whatever BACKUP_KEEP would keep.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pruneBackups, takeBackup } from "../../db/backup";
import type { Db } from "../../db/client";
import { libsqlHotState } from "../../db/hot-state-libsql";
import { writeOfficeSettings } from "../../db/queries/settings";
import { chats, members, outbox } from "../../db/schema";
import { type BackupRetention, backupName, backupTakenAt, DEFAULT_BACKUP_KEEP } from "../../src/domain/backups";
import { officeDateOf } from "../../src/domain/reports";
import { memoryLogger } from "../../src/log";
import { healthService } from "../../src/services/health";
import { nightlyBackupService } from "../../src/services/nightly-backup";
import { type CountyDatabase, countyDatabase } from "../support/county";
import { MIGRATIONS_FOLDER } from "../support/db";

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

const service = (
  take: (now: number) => Promise<string>,
  prune: (retention?: BackupRetention) => Promise<string[]> = async () => [],
  log = memoryLogger(),
) => nightlyBackupService({ db, log, officeTz: "Asia/Shanghai", time: [2, 30], take, prune });

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

describe("the nightly backup's pruning, over real backups of the database", () => {
  let folder: string;
  let dir: string;
  let archiveDir: string;
  let log: ReturnType<typeof memoryLogger>;
  beforeEach(() => {
    log = memoryLogger();
    folder = mkdtempSync(join(tmpdir(), "hazardline-nightly-"));
    dir = join(folder, "backups");
    archiveDir = join(folder, "files");
    mkdirSync(dir);
    mkdirSync(archiveDir);
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  const real = () =>
    service(
      async (now) => (await takeBackup({ url: database.url, archive: { dir: archiveDir }, dir, migrationsFolder: MIGRATIONS_FOLDER, now })).path,
      (retention) => pruneBackups(dir, DEFAULT_BACKUP_KEEP, retention),
      log,
    );
  /** The nights (office dates) whose backups are in the folder, oldest first. */
  const nights = () =>
    readdirSync(dir)
      .sort()
      .map((name) => officeDateOf(backupTakenAt(name) ?? Number.NaN, "Asia/Shanghai"));
  const monthly = ["2026-06-01", "2026-07-01", "2026-08-01", "2026-09-01", "2026-10-01", "2026-11-01"];

  it("deletes every backup taken longer ago than the reporter-identity period, though BACKUP_KEEP keeps twelve months", async () => {
    const nightly = real();
    for (const night of monthly) expect(await nightly.runDue(sh(`${night}T02:30`))).toBe("taken");
    expect(nights()).toEqual(monthly);

    await writeOfficeSettings(db, { retention: { reporterIdentityDays: 75 } }, sh("2026-11-01T12:00"));
    // On 1 December the clock is past the period of September's backup (91 days old) and the older ones; October's is 61 days old.
    expect(await nightly.runDue(sh("2026-12-01T02:30"))).toBe("taken");
    expect(nights()).toEqual(["2026-10-01", "2026-11-01", "2026-12-01"]);
    expect(readdirSync(dir)).not.toContain(backupName(sh("2026-09-01T02:30")));
    expect(log.entries.find((e) => e.msg === "backup: old backups removed")).toMatchObject({
      reporterIdentityDays: 75,
      pruned: ["2026-09-01", "2026-08-01", "2026-07-01", "2026-06-01"].map((night) => backupName(sh(`${night}T02:30`))),
    });
  });

  it("without the setting, deletes the backups older than the default three years (1095 days), though BACKUP_KEEP keeps them", async () => {
    const nightly = real();
    for (const night of ["2023-11-01", "2023-12-15", ...monthly]) expect(await nightly.runDue(sh(`${night}T02:30`))).toBe("taken");
    // 1 November 2023's went with 1 November 2026's night (2024 had 366 days); 1095 days before 1 December 2026 is 2 December 2023.
    expect(await nightly.runDue(sh("2026-12-01T02:30"))).toBe("taken");
    expect(nights()).toEqual(["2023-12-15", ...monthly, "2026-12-01"]);
    expect(log.entries.find((e) => e.msg === "backup: old backups removed")).toMatchObject({ reporterIdentityDays: 1095 });
  });
});
