import { describe, expect, it } from "vitest";
import { publicTimeline } from "../../src/domain/case-status";

const ev = (at: number, action: string, data: unknown = null) => ({ at, action, data });

describe("publicTimeline", () => {
  it("shows the citizen each public step, naming the office but never a person", () => {
    const timeline = publicTimeline([
      ev(1, "submitted"),
      ev(2, "assigned", { unitId: "town-a", memberId: 7 }),
      ev(3, "assigned_member", { memberId: 8 }),
      ev(4, "accepted", { memberId: 8 }),
      ev(5, "progress", { text: "已约谈企业负责人" }),
      ev(6, "resolved", { measures: "已清理" }),
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
      publicTimeline([ev(1, "submitted"), ev(2, "possible_duplicate"), ev(3, "extension_requested"), ev(4, "note"), ev(5, "brand_new")]),
    ).toEqual([{ at: 1, step: "received" }]);
  });

  it("shows a transfer as the new office taking the case, and a send-back as work resumed", () => {
    expect(
      publicTimeline([
        ev(1, "assigned", { unitId: "a" }),
        ev(2, "transfer_requested", { unitId: "b" }),
        ev(3, "transfer_accepted", { unitId: "b" }),
        ev(4, "accepted"),
        ev(5, "resolved"),
        ev(6, "sent_back", { reason: "照片不清楚" }),
        ev(7, "resolved"),
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
    expect(publicTimeline([ev(1, "submitted"), ev(2, "rejected", { reason: "不属于安全生产监管范围，已告知向市场监管部门反映" })]).at(-1)).toEqual({
      at: 2,
      step: "rejected",
      reason: "不属于安全生产监管范围，已告知向市场监管部门反映",
    });
  });

  it("says nothing new for a repeated assignment to the same office", () => {
    expect(publicTimeline([ev(1, "assigned", { unitId: "a" }), ev(2, "assigned", { unitId: "a" })])).toHaveLength(1);
  });
});
