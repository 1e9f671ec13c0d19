import { describe, expect, it } from "vitest";
import { publicTimeline, type TimedEvent } from "../../src/domain/case-status";
import { readEvent } from "../../src/domain/workflow";

/** A stored row, read back as the services read it: a row readEvent cannot read is left out, as eventsOfCase does. */
type Row = { at: number; action: string; data: unknown };
const ev = (at: number, action: string, data: unknown = null): Row => ({ at, action, data });
const timelineOf = (rows: Row[]) =>
  publicTimeline(
    rows.flatMap((row): TimedEvent[] => {
      const event = readEvent(row);
      return event === null ? [] : [{ ...event, at: row.at }];
    }),
  );
const resolved = { measures: "已清理", responsible: "王厂长", evidence: 1 };

describe("publicTimeline", () => {
  it("shows the citizen each public step, naming the office but never a person", () => {
    const timeline = timelineOf([
      ev(1, "submitted"),
      ev(2, "assigned", { unitId: "town-a", memberId: 7 }),
      ev(3, "assigned_member", { memberId: 8 }),
      ev(4, "accepted", { memberId: 8 }),
      ev(5, "progress", { text: "已约谈企业负责人", attachments: 0 }),
      ev(6, "resolved", resolved),
      ev(7, "closed"),
    ]);
    expect(timeline).toEqual([
      { at: 1, step: "received" },
      { at: 2, step: "assigned", unitId: "town-a" },
      { at: 4, step: "in_progress" },
      { at: 6, step: "resolved" },
      { at: 7, step: "closed" },
    ]);
    expect(JSON.stringify(timeline)).not.toContain("memberId");
  });

  it("keeps internal events out: notes, links, extension requests, unknown actions", () => {
    expect(
      timelineOf([
        ev(1, "submitted"),
        ev(2, "possible_duplicate"),
        ev(3, "extension_requested", { until: 9, reason: "等待" }),
        ev(4, "note"),
        ev(5, "brand_new"),
      ]),
    ).toEqual([{ at: 1, step: "received" }]);
  });

  it("shows a transfer as the new office taking the case, and a send-back as work resumed", () => {
    expect(
      timelineOf([
        ev(1, "assigned", { unitId: "a" }),
        ev(2, "transfer_requested", { toUnitId: "b", reason: "不属本镇" }),
        ev(3, "transfer_accepted", { unitId: "b", fromUnitId: "a" }),
        ev(4, "accepted", { memberId: 8 }),
        ev(5, "resolved", resolved),
        ev(6, "sent_back", { reason: "照片不清楚" }),
        ev(7, "resolved", resolved),
      ]).map((e) => [e.step, e.unitId]),
    ).toEqual([
      ["assigned", "a"],
      ["assigned", "b"],
      ["in_progress", undefined],
      ["resolved", undefined],
      ["in_progress", undefined],
      ["resolved", undefined],
    ]);
  });

  it("gives the full reason of a rejection", () => {
    expect(timelineOf([ev(1, "submitted"), ev(2, "rejected", { reason: "不属于安全生产监管范围，已告知向市场监管部门反映" })]).at(-1)).toEqual({
      at: 2,
      step: "rejected",
      reason: "不属于安全生产监管范围，已告知向市场监管部门反映",
    });
  });

  it("says nothing new for a repeated assignment to the same office", () => {
    expect(timelineOf([ev(1, "assigned", { unitId: "a" }), ev(2, "assigned", { unitId: "a" })])).toHaveLength(1);
  });

  it("leaves out a stored row it cannot read, and never throws on one", () => {
    expect(
      timelineOf([
        ev(1, "submitted"),
        ev(2, "assigned", { unitId: "" }),
        ev(3, "assigned", null),
        ev(4, "accepted", "not an object"),
        ev(5, "resolved", { measures: "已清理" }),
        ev(6, "closed", [1, 2]),
        ev(7, "rejected", { reason: 42 }),
      ]),
    ).toEqual([{ at: 1, step: "received" }]);
  });
});

describe("readEvent", () => {
  it("reads a stored row into its typed event, a row without data as empty data", () => {
    expect(readEvent({ action: "assigned", data: { unitId: "town-a", assigneeId: 7 } })).toEqual({
      action: "assigned",
      data: { unitId: "town-a", assigneeId: 7 },
    });
    expect(readEvent({ action: "submitted", data: null })).toEqual({ action: "submitted", data: {} });
    expect(readEvent({ action: "closed", data: { mergedInto: 3 } })).toEqual({ action: "closed", data: { mergedInto: 3 } });
  });

  it("gives null for an unknown type, whatever its data", () => {
    expect(readEvent({ action: "brand_new", data: { reason: "x" } })).toBeNull();
    expect(readEvent({ action: "", data: null })).toBeNull();
    expect(readEvent({ action: "toString", data: {} })).toBeNull();
  });

  it("gives null for a known type whose data is not its shape", () => {
    expect(readEvent({ action: "rejected", data: null })).toBeNull();
    expect(readEvent({ action: "rejected", data: "reason" })).toBeNull();
    expect(readEvent({ action: "severity_set", data: { severity: "huge" } })).toBeNull();
    expect(readEvent({ action: "progress", data: { text: "照片", attachments: -1 } })).toBeNull();
    expect(readEvent({ action: "merged", data: { into: "7" } })).toBeNull();
    expect(readEvent({ action: "submitted", data: [] })).toBeNull();
  });
});
