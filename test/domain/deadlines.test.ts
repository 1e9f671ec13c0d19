import { describe, expect, it } from "vitest";
import { defaultCalendar, isWorkday, isWorkingMoment, officeDate } from "../../src/domain/calendar";
import {
  capDeadline,
  DEFAULT_CHAIN,
  DEFAULT_POLICIES,
  dueFor,
  escalationTarget,
  latestDue,
  MAX_CASE_DAYS,
  MAX_EXTENSION_DAYS,
  planReminders,
  policyFor,
  type ReminderPlanItem,
  reminderKey,
} from "../../src/domain/deadlines";
import { CASE_KINDS, SEVERITIES } from "../../src/domain/workflow";

const cal = defaultCalendar();
const sh = (local: string): number => Date.parse(`${local}:00+08:00`);
const DAY = 86_400_000;
const brief = (items: ReminderPlanItem[]) => items.map((i) => [i.kind, i.level, new Date(i.fireAt + 8 * 3_600_000).toISOString().slice(0, 16)]);

describe("default policies", () => {
  it("give urgent hazards and violations 2 working hours to accept and 3 working days to resolve", () => {
    for (const kind of ["hazard", "violation"] as const) {
      expect(DEFAULT_POLICIES[kind].urgent).toEqual({ accept: { workingHours: 2 }, resolve: { workingDays: 3 }, verify: { calendarDays: 10 } });
      expect(DEFAULT_POLICIES[kind].ordinary).toEqual({ accept: { workingDays: 1 }, resolve: { workingDays: 15 }, verify: { calendarDays: 10 } });
      expect(DEFAULT_POLICIES[kind].major).toEqual({ accept: { workingDays: 1 }, resolve: { workingDays: 7 }, verify: { calendarDays: 10 } });
    }
  });

  it("answer a consultation in 5 working days and do a task in 10, whatever the severity", () => {
    for (const severity of SEVERITIES) {
      expect(policyFor("consultation", severity).resolve).toEqual({ workingDays: 5 });
      expect(policyFor("task", severity)).toEqual({ accept: { workingDays: 1 }, resolve: { workingDays: 10 }, verify: { calendarDays: 10 } });
    }
  });

  it("cover every kind and severity, and verify within 10 calendar days", () => {
    for (const kind of CASE_KINDS) for (const severity of SEVERITIES) expect(policyFor(kind, severity).verify).toEqual({ calendarDays: 10 });
  });

  it("can be replaced", () => {
    const mine = {
      ...DEFAULT_POLICIES,
      task: { ...DEFAULT_POLICIES.task, urgent: { accept: { workingHours: 1 }, resolve: { workingDays: 2 }, verify: { calendarDays: 3 } } },
    };
    expect(policyFor("task", "urgent", mine).accept).toEqual({ workingHours: 1 });
  });
});

describe("due dates", () => {
  it("for an urgent hazard reported the afternoon before National Day (国庆节)", () => {
    const policy = policyFor("hazard", "urgent");
    const received = sh("2026-09-30T16:00");
    expect(dueFor(cal, policy, "accept", received)).toBe(sh("2026-10-08T09:00")); // 1.5 h on the 30th, 0.5 h on the 8th
    expect(dueFor(cal, policy, "resolve", received)).toBe(sh("2026-10-10T17:30")); // 8, 9, 10 (make-up Saturday)
  });

  it("for ordinary and major hazards reported before Spring Festival (春节)", () => {
    const received = sh("2026-02-13T10:00");
    expect(dueFor(cal, policyFor("hazard", "ordinary"), "accept", received)).toBe(sh("2026-02-14T17:30")); // 调休 Saturday
    expect(dueFor(cal, policyFor("hazard", "ordinary"), "resolve", received)).toBe(sh("2026-03-12T17:30"));
    expect(dueFor(cal, policyFor("violation", "major"), "resolve", received)).toBe(sh("2026-03-02T17:30"));
  });

  it("for a consultation, a task and a verification", () => {
    const received = sh("2026-11-25T10:00");
    expect(dueFor(cal, policyFor("consultation", "ordinary"), "resolve", received)).toBe(sh("2026-12-02T17:30"));
    expect(dueFor(cal, policyFor("task", "ordinary"), "resolve", received)).toBe(sh("2026-12-09T17:30"));
    expect(dueFor(cal, policyFor("hazard", "ordinary"), "verify", sh("2026-09-24T10:00"))).toBe(sh("2026-10-08T17:30")); // day 10 is in National Day
  });
});

describe("the national cap: 60 days, 90 with the one extension", () => {
  const received = sh("2026-01-10T10:00");
  it("is 60 and 30 days", () => {
    expect([MAX_CASE_DAYS, MAX_EXTENSION_DAYS]).toEqual([60, 30]);
    expect(latestDue(received, false)).toBe(received + 60 * DAY);
    expect(latestDue(received, true)).toBe(received + 90 * DAY);
  });

  it("leaves an earlier deadline alone and pulls a later one back", () => {
    const early = sh("2026-02-10T17:30");
    expect(capDeadline(received, early, false)).toBe(early);
    expect(capDeadline(received, received + 75 * DAY, false)).toBe(received + 60 * DAY);
    expect(capDeadline(received, received + 75 * DAY, true)).toBe(received + 75 * DAY);
    expect(capDeadline(received, received + 120 * DAY, true)).toBe(received + 90 * DAY);
  });
});

describe("the reminder plan", () => {
  it("reminds at half time, 2 working hours before, at the deadline, then up the chain one working day at a time", () => {
    const startMs = sh("2026-09-28T10:00"); // Monday; due 3 working days later is after National Day
    const dueMs = dueFor(cal, policyFor("hazard", "urgent"), "resolve", startMs);
    expect(dueMs).toBe(sh("2026-10-08T17:30"));
    expect(brief(planReminders(cal, { stage: "resolve", startMs, dueMs }, DEFAULT_CHAIN))).toEqual([
      ["half", 0, "2026-09-30T09:15"], // 26.5 working hours in all; 13.25 after the start
      ["soon", 0, "2026-10-08T15:30"],
      ["due", 0, "2026-10-08T17:30"],
      ["escalate", 1, "2026-10-09T17:30"],
      ["escalate", 2, "2026-10-10T17:30"], // make-up Saturday
      ["escalate", 3, "2026-10-12T17:30"], // Sunday skipped
    ]);
  });

  it("escalates on working days only, inside office hours, never over Spring Festival", () => {
    const startMs = sh("2026-02-09T10:00");
    const dueMs = sh("2026-02-13T17:30"); // Friday before the holiday
    const plan = planReminders(cal, { stage: "resolve", startMs, dueMs });
    const escalations = plan.filter((i) => i.kind === "escalate");
    expect(escalations.map((i) => officeDate(cal, i.fireAt))).toEqual(["2026-02-14", "2026-02-24", "2026-02-25"]);
    for (const item of plan) {
      expect(isWorkday(cal, officeDate(cal, item.fireAt))).toBe(true);
      expect(isWorkingMoment(cal, item.fireAt) || isWorkingMoment(cal, item.fireAt - 1)).toBe(true); // inside, or at a closing time
    }
  });

  it("keeps an escalation's hour when the deadline falls inside office hours", () => {
    const startMs = sh("2026-11-27T16:00"); // Friday
    const dueMs = dueFor(cal, policyFor("hazard", "urgent"), "accept", startMs);
    expect(dueMs).toBe(sh("2026-11-30T09:00"));
    expect(brief(planReminders(cal, { stage: "accept", startMs, dueMs }, ["dispatchers"]))).toEqual([
      ["half", 0, "2026-11-27T17:00"],
      ["due", 0, "2026-11-30T09:00"],
      ["escalate", 1, "2026-12-01T09:00"],
    ]);
  });

  it("leaves out 'soon' when it would come at the start or before half time", () => {
    const at0830 = sh("2026-11-25T08:30");
    const twoHours = planReminders(cal, { stage: "accept", startMs: at0830, dueMs: sh("2026-11-25T10:30") }, []);
    expect(brief(twoHours)).toEqual([
      ["half", 0, "2026-11-25T09:30"],
      ["due", 0, "2026-11-25T10:30"],
    ]);
    const threeHours = planReminders(cal, { stage: "accept", startMs: at0830, dueMs: sh("2026-11-25T11:30") }, []);
    expect(threeHours.map((i) => i.kind)).toEqual(["half", "due"]); // soon 09:30 is before half 10:00
  });

  it("still says 'due' and escalates for a deadline already past", () => {
    const plan = planReminders(cal, { stage: "verify", startMs: sh("2026-11-26T10:00"), dueMs: sh("2026-11-25T17:30") });
    expect(brief(plan)).toEqual([
      ["due", 0, "2026-11-25T17:30"],
      ["escalate", 1, "2026-11-26T17:30"],
      ["escalate", 2, "2026-11-27T17:30"],
      ["escalate", 3, "2026-11-30T17:30"],
    ]);
  });

  it("is sorted and has each (stage, kind, level) once; the chain's length sets the escalations", () => {
    const startMs = sh("2026-03-02T09:00");
    const dueMs = dueFor(cal, policyFor("hazard", "ordinary"), "resolve", startMs);
    for (const chain of [[], ["leaders"], DEFAULT_CHAIN, ["liaison", "unit_head", "dispatchers", "leaders"]] as const) {
      const plan = planReminders(cal, { stage: "resolve", startMs, dueMs }, chain);
      expect(plan.map((i) => i.fireAt)).toEqual([...plan.map((i) => i.fireAt)].sort((a, b) => a - b));
      expect(new Set(plan.map((i) => `${i.stage}/${i.kind}/${i.level}`)).size).toBe(plan.length);
      expect(plan.filter((i) => i.kind === "escalate").map((i) => escalationTarget(chain, i.level))).toEqual([...chain]);
    }
    expect(escalationTarget(DEFAULT_CHAIN, 0)).toBeNull();
    expect(escalationTarget(DEFAULT_CHAIN, 4)).toBeNull();
  });
});

describe("reminder keys", () => {
  const startMs = sh("2026-11-25T10:00");
  const dueMs = dueFor(cal, policyFor("hazard", "ordinary"), "resolve", startMs);
  const plan = planReminders(cal, { stage: "resolve", startMs, dueMs });

  it("are stable and unique per case, stage, kind, level and deadline", () => {
    const keys = plan.map((i) => reminderKey(42, i, dueMs));
    expect(keys).toEqual(planReminders(cal, { stage: "resolve", startMs, dueMs }).map((i) => reminderKey(42, i, dueMs)));
    expect(new Set(keys).size).toBe(keys.length);
    expect(reminderKey(42, { stage: "resolve", kind: "escalate", level: 2 }, dueMs)).toBe(`case:42:resolve:escalate:2:${dueMs}`);
    expect(reminderKey(43, plan[0]!, dueMs)).not.toBe(keys[0]);
    expect(reminderKey(42, { ...plan[0]!, stage: "accept" }, dueMs)).not.toBe(keys[0]);
  });

  it("change when the deadline moves, so the old reminders never match again", () => {
    const extended = dueMs + 5 * DAY;
    const old = new Set(plan.map((i) => reminderKey(42, i, dueMs)));
    const moved = planReminders(cal, { stage: "resolve", startMs, dueMs: extended }).map((i) => reminderKey(42, i, extended));
    expect(moved.filter((k) => old.has(k))).toEqual([]);
  });
});
