/**
 * A stored case is always taken in hand, whenever the process dies: routed to its unit, or
 * announced to the dispatchers when no route fits, exactly once. The crash is the one a
 * process dying between storing the report and routing it leaves behind: the case stored, the
 * citizen's number remembered, the routing never run. (test/e2e/crash-recovery.test.ts does
 * the same with a real server killed by SIGKILL.)
 */
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { caseEvents, cases, members, outbox, regions } from "../../db/schema";
import type { Draft } from "../../src/domain/report-draft";
import type { IntakeService } from "../../src/services/intake";
import { reportService } from "../../src/services/reports";
import { seedSmallCounty } from "../support/county";
import { TEST_TOKEN } from "../support/fake-bot-api";
import { serviceFixture } from "../support/services";

type Fixture = Awaited<ReturnType<typeof serviceFixture>>;
let f: Fixture;

const LIAISON = 7601;
const DISPATCHER = 7602;

beforeEach(async () => {
  f = await serviceFixture();
  await seedSmallCounty(f.db);
  // town-b has no route: its cases wait for the dispatchers.
  await f.db.insert(regions).values({ id: "town-b", parentId: "county", level: "town", nameZh: "河西镇", nameEn: "Hexi Town" });
  await f.db.insert(members).values([
    { telegramId: LIAISON, unitId: "station-a", roles: ["liaison"], name: "联络员甲" },
    { telegramId: DISPATCHER, unitId: "office", roles: ["dispatcher"], name: "调度员" },
  ]);
});
afterEach(() => f.dispose());

let nextDraft = 1;
function draft(regionId: string): Draft {
  return {
    id: `intake-${nextDraft++}`,
    flow: "report",
    step: "summary",
    editing: false,
    kind: "hazard",
    sectorId: "construction",
    regionId,
    address: "工业路 18 号",
    description: "脚手架没有安全网，工人高空作业不系安全带。",
    media: [],
    urgent: false,
    anonymous: true,
    reward: false,
    startedAt: f.clock.at,
  };
}

/** Stores the report as a process does that dies right after its answer: routing never runs. */
async function submitAndDie(d: Draft, telegramId: number) {
  const dying = reportService({
    ...f,
    officeTz: "Asia/Shanghai",
    claimSecret: TEST_TOKEN,
    intake: {
      routeSoon: () => {
        throw new Error("the process was killed");
      },
    } as unknown as IntakeService,
  });
  await expect(dying.submit(d, { door: "telegram", telegramId, chatId: telegramId, displayName: "群众" })).rejects.toThrow("killed");
  const [stored] = await f.db
    .select()
    .from(cases)
    .where(eq(cases.submissionId, `${telegramId}:${d.id}`));
  return stored!;
}

const eventsOf = async (caseId: number) =>
  (await f.db.select({ action: caseEvents.action }).from(caseEvents).where(eq(caseEvents.caseId, caseId)).orderBy(caseEvents.id)).map(
    (e) => e.action,
  );

/** The outbox rows for a chat that mention the case's number: the cards and pushes about it. */
async function messagesAbout(number: string, chatId: number) {
  const rows = await f.db.select().from(outbox).where(eq(outbox.chatId, chatId));
  return rows.filter((r) => JSON.stringify(r.payload).includes(number));
}

describe("intake after a crash", () => {
  it("a case stored by a process that died before routing it is routed when the citizen presses submit again, once", async () => {
    const d = draft("town-a");
    const stored = await submitAndDie(d, 8801);
    expect(stored).toMatchObject({ status: "new", intakePending: true });

    const again = await f.services.reports.submit(d, { door: "telegram", telegramId: 8801, chatId: 8801, displayName: "群众" });
    expect(again).toEqual({ status: "already-submitted", number: stored.number });
    await f.services.intake.routeQueued(); // the update's background work, after the answer
    const [after] = await f.db.select().from(cases).where(eq(cases.id, stored.id));
    expect(after).toMatchObject({ status: "assigned", unitId: "station-a", intakePending: false });
    expect(await eventsOf(stored.id)).toEqual(["submitted", "assigned"]);

    // A third press and the tick find nothing left to do: one card to the unit, one push to the citizen.
    await f.services.reports.submit(d, { door: "telegram", telegramId: 8801, chatId: 8801, displayName: "群众" });
    await f.services.intake.routeQueued();
    expect((await f.services.tick(f.clock.at)).intake).toBe(0);
    expect(await eventsOf(stored.id)).toEqual(["submitted", "assigned"]);
    expect(await messagesAbout(stored.number, LIAISON)).toHaveLength(1);
    expect(await messagesAbout(stored.number, 8801)).toHaveLength(1);
  });

  it("the next tick routes a case whose citizen never comes back, once", async () => {
    const stored = await submitAndDie(draft("town-a"), 8802);
    expect((await f.services.tick(f.clock.at)).intake).toBe(1);
    expect((await f.services.tick(f.clock.at)).intake).toBe(0);
    expect(await eventsOf(stored.id)).toEqual(["submitted", "assigned"]);
    expect(await messagesAbout(stored.number, LIAISON)).toHaveLength(1);
  });

  it("with no route, the dispatchers hear of it once, even when start-up, a tick and a resubmit finish it at once", async () => {
    const d = draft("town-b");
    const stored = await submitAndDie(d, 8803);
    await Promise.all([
      f.services.intake.finishPending(),
      f.services.intake.finishPending(),
      f.services.tick(f.clock.at),
      f.services.reports
        .submit(d, { door: "telegram", telegramId: 8803, chatId: 8803, displayName: "群众" })
        .then(() => f.services.intake.routeQueued()),
    ]);
    const [after] = await f.db.select().from(cases).where(eq(cases.id, stored.id));
    expect(after).toMatchObject({ status: "new", intakePending: false });
    expect(await messagesAbout(stored.number, DISPATCHER)).toHaveLength(1);
    expect(await f.services.caseActions.queue()).toEqual([expect.objectContaining({ number: stored.number })]);
  });

  it("a case a dispatcher took in hand before the intake finished gets no triage card", async () => {
    const stored = await submitAndDie(draft("town-b"), 8804);
    const [dispatcher] = await f.db.select().from(members).where(eq(members.telegramId, DISPATCHER));
    const assigned = await f.services.caseActions.perform(
      stored.id,
      { type: "assign", unitId: "station-a" },
      { kind: "member", memberId: dispatcher!.id, roles: ["dispatcher"], unitIds: ["office"] },
      stored.version,
    );
    expect(assigned.ok).toBe(true);
    expect((await f.services.tick(f.clock.at)).intake).toBe(0);
    expect(await messagesAbout(stored.number, DISPATCHER)).toHaveLength(0);
    expect(await eventsOf(stored.id)).toEqual(["submitted", "assigned"]);
  });
});
