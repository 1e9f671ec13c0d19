/**
 * Recurring group reminders over a real database and the fake Bot API, with a clock the
 * test moves: once per slot, once after a gap, holidays skipped or shifted, pause, and two
 * ticks at once.
 */
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { schedules, units } from "../../db/schema";
import { formatOfficeTime } from "../../src/domain/office-time";
import { serviceFixture } from "../support/services";

const sh = (local: string): number => Date.parse(`${local}:00+08:00`);
const GROUP = -100700;
const WEEKLY = "请各单位于今天下班前报送本周工作情况";

let f: Awaited<ReturnType<typeof serviceFixture>>;
afterEach(async () => {
  expect(f.fake.violations).toEqual([]);
  await f.dispose();
});

async function start(at: string) {
  f = await serviceFixture(sh(at));
}
async function add(cron = "0 15 * * 5", text = WEEKLY) {
  const added = await f.services.schedules.add({ chatId: GROUP, cron, text, createdBy: null });
  if (!added.ok) throw new Error(`not added: ${added.problem}`);
  return added;
}
async function tickAt(local: string) {
  f.clock.at = sh(local);
  return (await f.services.tick(f.clock.at)).schedules;
}
const posted = () => f.fake.sentTexts(GROUP);

describe("a weekly reminder, Friday 15:00", () => {
  it("fires once per week, at its time and not before", async () => {
    await start("2026-11-23T09:00"); // Monday
    const added = await add();
    expect(formatOfficeTime(added.next!, "Asia/Shanghai")).toBe("2026-11-27 15:00");
    expect(added.schedule).toMatchObject({ holidays: "skip", paused: false, lastSlot: null, timeZone: "Asia/Shanghai" });

    expect(await tickAt("2026-11-27T14:59")).toEqual({ sent: 0, skipped: 0, failed: 0 });
    expect(await tickAt("2026-11-27T15:00")).toEqual({ sent: 1, skipped: 0, failed: 0 });
    await tickAt("2026-11-27T15:01");
    await tickAt("2026-11-30T09:00");
    expect(posted()).toEqual([`🔔 ${WEEKLY}`]);
    await tickAt("2026-12-04T15:00");
    await tickAt("2026-12-04T15:01");
    expect(posted()).toEqual([`🔔 ${WEEKLY}`, `🔔 ${WEEKLY}`]);
  });

  it("after a three-week gap fires once, marked late", async () => {
    await start("2026-11-23T09:00");
    await add();
    await tickAt("2026-11-27T15:00");
    expect(await tickAt("2026-12-19T10:00")).toEqual({ sent: 1, skipped: 0, failed: 0 }); // slots of Dec 4, 11, 18 missed
    await tickAt("2026-12-19T10:01");
    expect(posted()).toEqual([`🔔 ${WEEKLY}`, `🔔（补发）${WEEKLY}`]);
    expect((await f.db.select().from(schedules))[0]?.lastSlot).toBe(sh("2026-12-18T15:00"));
  });

  it("does not fire a slot from before it was made", async () => {
    await start("2026-11-27T15:30");
    await add();
    expect(await tickAt("2026-11-27T15:31")).toEqual({ sent: 0, skipped: 0, failed: 0 });
    expect(posted()).toEqual([]);
  });

  it("skips a slot on a public holiday (Friday 2026-10-02, National Day)", async () => {
    await start("2026-09-28T09:00");
    await add();
    expect(await tickAt("2026-10-02T15:00")).toEqual({ sent: 0, skipped: 1, failed: 0 });
    expect(await tickAt("2026-10-08T15:00")).toEqual({ sent: 0, skipped: 0, failed: 0 });
    expect(posted()).toEqual([]);
    expect(await tickAt("2026-10-09T15:00")).toEqual({ sent: 1, skipped: 0, failed: 0 });
    expect(posted()).toEqual([`🔔 ${WEEKLY}`]);
  });

  it("with 'shift', sends a holiday's slot at the same time on the next working day, not before", async () => {
    await start("2026-09-28T09:00");
    const { schedule } = await add();
    expect(await f.services.schedules.setHolidays(GROUP, schedule.id, "shift")).toMatchObject({ holidays: "shift" });
    expect(formatOfficeTime((await f.services.schedules.nextSendTime({ ...schedule, holidays: "shift" }))!, "Asia/Shanghai")).toBe(
      "2026-10-08 15:00",
    );
    await tickAt("2026-10-02T15:00");
    await tickAt("2026-10-07T15:00");
    await tickAt("2026-10-08T14:59");
    expect(posted()).toEqual([]);
    expect(await tickAt("2026-10-08T15:00")).toEqual({ sent: 1, skipped: 0, failed: 0 });
    await tickAt("2026-10-08T16:00");
    expect(posted()).toEqual([`🔔 ${WEEKLY}`]);
    await tickAt("2026-10-09T15:00"); // that week's own Friday
    expect(posted()).toEqual([`🔔 ${WEEKLY}`, `🔔 ${WEEKLY}`]);
  });

  it("with 'fire', sends on the holiday too", async () => {
    await start("2026-09-28T09:00");
    const { schedule } = await add();
    await f.services.schedules.setHolidays(GROUP, schedule.id, "fire");
    expect(await tickAt("2026-10-02T15:00")).toEqual({ sent: 1, skipped: 0, failed: 0 });
  });

  it("stops while paused, and on resuming does not send what fell due meanwhile", async () => {
    await start("2026-11-23T09:00");
    const { schedule } = await add();
    expect(await f.services.schedules.setPaused(GROUP, schedule.id, true)).toMatchObject({ paused: true });
    await tickAt("2026-11-27T15:00");
    await tickAt("2026-12-04T15:00");
    expect(posted()).toEqual([]);
    f.clock.at = sh("2026-12-05T10:00");
    const resumed = await f.services.schedules.setPaused(GROUP, schedule.id, false);
    expect(resumed).toMatchObject({ paused: false, lastSlot: sh("2026-12-04T15:00") });
    await tickAt("2026-12-05T10:01");
    expect(posted()).toEqual([]);
    await tickAt("2026-12-11T15:00");
    expect(posted()).toEqual([`🔔 ${WEEKLY}`]);
    // Another group cannot touch it.
    expect(await f.services.schedules.setPaused(-1, schedule.id, true)).toBeNull();
    expect(await f.services.schedules.remove(-1, schedule.id)).toBe(false);
    expect(await f.services.schedules.remove(GROUP, schedule.id)).toBe(true);
    expect(await f.services.schedules.list(GROUP)).toEqual([]);
  });

  it("sends a slot once when two ticks run at once", async () => {
    await start("2026-11-23T09:00");
    await add();
    await add("0 9 25 * *", "请各单位报送下月工作计划");
    f.clock.at = sh("2026-11-27T15:00");
    const [a, b] = await Promise.all([f.services.tick(f.clock.at), f.services.tick(f.clock.at)]);
    // This Friday's weekly slot, and the 25th's monthly one (missed, so late).
    expect(a.schedules.sent + b.schedules.sent).toBe(2);
    expect(a.schedules.failed + b.schedules.failed).toBe(0);
    await f.services.tick(f.clock.at);
    expect(posted().sort()).toEqual([`🔔 ${WEEKLY}`, "🔔（补发）请各单位报送下月工作计划"].sort());
  });
});

describe("a monthly reminder on the 25th", () => {
  it("fires on the 25th at 9:00, and not on a 25th that is a day off", async () => {
    await start("2026-11-01T09:00");
    const { schedule } = await add("0 9 25 * *", "请各单位报送下月工作计划");
    await tickAt("2026-11-25T09:00"); // Wednesday
    expect(posted()).toEqual(["🔔 请各单位报送下月工作计划"]);
    expect(await f.services.schedules.nextSendTime({ ...schedule, lastSlot: sh("2026-11-25T09:00") })).toBe(sh("2026-12-25T09:00"));
    expect(await tickAt("2027-04-25T09:00")).toMatchObject({ sent: 0 }); // a Sunday
  });
});

describe("adding", () => {
  it("refuses a pattern that is not five valid fields or never runs, and an empty text", async () => {
    await start("2026-11-23T09:00");
    for (const cron of ["61 15 * * 5", "0 15 * *", "0 0 15 * * 5", "0 0 30 2 *", "every friday", "0 25 * * *"]) {
      expect(await f.services.schedules.add({ chatId: GROUP, cron, text: WEEKLY, createdBy: null }), cron).toEqual({ ok: false, problem: "cron" });
    }
    expect(await f.services.schedules.add({ chatId: GROUP, cron: "0 15 * * 5", text: "  ", createdBy: null })).toEqual({
      ok: false,
      problem: "text",
    });
    expect(await f.db.select().from(schedules).where(eq(schedules.chatId, GROUP))).toEqual([]);
  });
});

describe("a ranking on the 1st and 16th (工作通报排名)", () => {
  it("publishes the units' ranking for the half month just ended, under its heading, once per slot", async () => {
    await start("2026-11-20T09:00");
    await f.db.insert(units).values([
      { id: "station-a", kind: "territorial", nameZh: "城关镇安监站", nameEn: "Chengguan Safety Station" },
      { id: "station-b", kind: "territorial", nameZh: "西桥街道安监站", nameEn: "Xiqiao Safety Station" },
    ]);
    const added = await f.services.schedules.add({
      chatId: GROUP,
      cron: "0 9 1,16 * *",
      text: "安全生产工作通报",
      createdBy: null,
      job: "ranking",
      period: "half",
    });
    if (!added.ok) throw new Error(added.problem);
    expect(added.schedule).toMatchObject({ job: "ranking", params: { period: "half" } });
    expect(formatOfficeTime(added.next!, "Asia/Shanghai")).toBe("2026-12-01 09:00");

    expect(await tickAt("2026-12-01T08:59")).toEqual({ sent: 0, skipped: 0, failed: 0 });
    expect(await tickAt("2026-12-01T09:00")).toEqual({ sent: 1, skipped: 0, failed: 0 });
    await tickAt("2026-12-01T09:01");
    const [post, ...more] = posted();
    expect(more).toEqual([]);
    expect(post!.startsWith("安全生产工作通报\n\n")).toBe(true);
    expect(post).toContain("2026-11-16");
    expect(post).toContain("2026-11-30");
    expect(post).toContain("另有 2 个单位本期没有交办事项");
  });

  it("needs no heading, but a reminder needs its text", async () => {
    await start("2026-11-20T09:00");
    expect(
      (await f.services.schedules.add({ chatId: GROUP, cron: "0 9 1 * *", text: "", createdBy: null, job: "ranking", period: "month" })).ok,
    ).toBe(true);
    expect(await f.services.schedules.add({ chatId: GROUP, cron: "0 9 1 * *", text: "", createdBy: null })).toEqual({ ok: false, problem: "text" });
  });
});
