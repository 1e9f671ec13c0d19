/**
 * How long a reporter's identity is kept (`retention: reporter_identity_days` in the directory
 * file): once a day, a case closed or rejected longer ago than that loses its reporter (Telegram
 * id, name, phone, claim code) and its ledger says so; open and recent cases keep theirs, and
 * without the setting the period is three years.
 */
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../db/client";
import { writeOfficeSettings } from "../../db/queries/settings";
import { caseEvents, caseReporters, cases } from "../../db/schema";
import { retentionService } from "../../src/services/retention";
import { type CountyDatabase, countyDatabase } from "../support/county";

const DAY = 86_400_000;
const NOW = Date.parse("2026-12-06T02:00:00+08:00");

let database: CountyDatabase;
let db: Db;
beforeEach(async () => {
  database = await countyDatabase();
  db = database.db;
});
afterEach(() => database.dispose());

/** A case in `status`, last closed (or changed) `daysAgo` days before NOW, with its reporter. */
async function caseWithReporter(n: number, status: "closed" | "rejected" | "in_progress", daysAgo: number) {
  const at = NOW - daysAgo * DAY;
  const [row] = await db
    .insert(cases)
    .values({
      number: `YH-20260101-000${n}`,
      kind: "hazard",
      status,
      description: "脚手架",
      anonymous: false,
      unitId: "station-a",
      createdAt: at - DAY,
      updatedAt: at,
      closedAt: status === "in_progress" ? null : at,
    })
    .returning({ id: cases.id });
  await db
    .insert(caseReporters)
    .values({ caseId: row!.id, telegramId: 9700 + n, chatId: 9700 + n, name: "王", phone: "13800138000", claimHash: `hash-${n}` });
  return row!.id;
}

const reporterOf = async (caseId: number) => db.select().from(caseReporters).where(eq(caseReporters.caseId, caseId));
const eventsOf = async (caseId: number) =>
  (await db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId))).map((e) => [e.action, e.actorKind, e.data]);

describe("reporter identity retention", () => {
  it("erases the reporter of each case closed or rejected longer ago than the period, once, and writes it in the ledger", async () => {
    await writeOfficeSettings(db, { retention: { reporterIdentityDays: 365 } }, NOW);
    const old = await caseWithReporter(1, "closed", 400);
    const oldRejected = await caseWithReporter(2, "rejected", 366);
    const recent = await caseWithReporter(3, "closed", 300);
    const open = await caseWithReporter(4, "in_progress", 900);
    const service = retentionService({ db, officeTz: "Asia/Shanghai" });

    expect(await service.eraseDue(NOW)).toBe(2);
    expect(await reporterOf(old)).toEqual([]);
    expect(await reporterOf(oldRejected)).toEqual([]);
    expect(await reporterOf(recent)).toHaveLength(1);
    expect(await reporterOf(open)).toHaveLength(1);
    expect(await eventsOf(old)).toEqual([["reporter_erased", "system", { days: 365 }]]);
    expect(await eventsOf(recent)).toEqual([]);

    // Once a day: the same day's second run does nothing, the next day's finds what came due.
    expect(await service.eraseDue(NOW + 3_600_000 + 66 * DAY)).toBe(1);
    expect(await reporterOf(recent)).toEqual([]);
    expect(await service.eraseDue(NOW + 3_600_000 + 66 * DAY)).toBe(0);
    expect(await eventsOf(recent)).toHaveLength(1);
    expect(await reporterOf(open)).toHaveLength(1);
  });

  it("without the setting keeps a reporter three years (1095 days) after the case closed, and not a day more", async () => {
    const old = await caseWithReporter(1, "closed", 1096);
    const recent = await caseWithReporter(2, "rejected", 1094);
    expect(await retentionService({ db, officeTz: "Asia/Shanghai" }).eraseDue(NOW)).toBe(1);
    expect(await reporterOf(old)).toEqual([]);
    expect(await reporterOf(recent)).toHaveLength(1);
    expect(await eventsOf(old)).toEqual([["reporter_erased", "system", { days: 1095 }]]);
  });

  it("an emptied retention section means the default period too", async () => {
    await writeOfficeSettings(db, { retention: {} }, NOW);
    const old = await caseWithReporter(1, "closed", 1096);
    expect(await retentionService({ db, officeTz: "Asia/Shanghai" }).eraseDue(NOW)).toBe(1);
    expect(await reporterOf(old)).toEqual([]);
  });
});
