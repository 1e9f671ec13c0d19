import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { publicTimeline } from "../../src/domain/case-status";
import {
  ACTION_TYPES,
  type Action,
  type ActionType,
  type Actor,
  availableActions,
  CASE_KINDS,
  CASE_STATUSES,
  type CaseKind,
  type CaseState,
  type CaseStatus,
  type DecidedEvent,
  decide,
  followUp,
  followUpsAsked,
  isOpen,
  MAX_FOLLOW_UPS,
  OPEN_STATUSES,
  openQuestion,
  type RefusalCode,
  ROLES,
  type Role,
  readEvent,
  SEVERITIES,
} from "../../src/domain/workflow";

const NOW = Date.parse("2026-11-25T02:00:00Z");
const DAY = 24 * 60 * 60_000;
const CASE_ID = 42;
const UNITS = ["town-a", "town-b", "town-c"] as const;

const CODES: RefusalCode[] = [
  "CASE.STALE",
  "CASE.CLOSED",
  "CASE.WRONG_STATUS",
  "CASE.NOT_ALLOWED",
  "CASE.NOT_YOUR_UNIT",
  "CASE.INVALID",
  "CASE.TRANSFER_PENDING",
  "CASE.EXTENSION_PENDING",
  "CASE.NO_PENDING",
  "CASE.EVIDENCE_REQUIRED",
];

const system: Actor = { kind: "system" };
const member = (memberId: number, roles: Role[], unitIds: string[]): Actor => ({
  kind: "member",
  memberId,
  roles,
  unitIds,
});
const dispatcher = member(1, ["dispatcher"], ["office"]);
const admin = member(2, ["admin"], ["office"]);
const leader = member(3, ["leader"], ["office"]);
const liaisonA = member(10, ["liaison"], ["town-a"]);
const liaisonA2 = member(11, ["liaison"], ["town-a"]);
const liaisonB = member(20, ["liaison"], ["town-b"]);
const liaisonC = member(30, ["liaison"], ["town-c"]);
const ACTORS: Record<string, Actor> = { system, dispatcher, admin, leader, liaisonA, liaisonB };

const fresh = (kind: CaseKind = "hazard", changes: Partial<CaseState> = {}): CaseState => ({
  status: "new",
  kind,
  severity: "ordinary",
  unitId: null,
  assigneeId: null,
  dueAt: null,
  supervision: "none",
  pendingTransfer: null,
  pendingExtension: null,
  mergedInto: null,
  duplicateHints: [],
  version: 0,
  ...changes,
});

const at = (state: CaseState, action: Action, actor: Actor, now = NOW) =>
  decide(state, action, actor, { now, expectedVersion: state.version, caseId: CASE_ID });

/** Applies steps that must all succeed; returns the final state and every event in order. */
function run(state: CaseState, steps: [Action, Actor][]) {
  const events: DecidedEvent[] = [];
  for (const [action, actor] of steps) {
    const result = at(state, action, actor);
    if (!result.ok) throw new Error(`${action.type} by ${JSON.stringify(actor)} refused: ${result.code} ${result.field ?? ""}`);
    state = result.state;
    events.push(...result.events);
  }
  return { state, events };
}

const code = (state: CaseState, action: Action, actor: Actor) => {
  const result = at(state, action, actor);
  return result.ok ? "ok" : result.code;
};

/** The citizen's view of a case's events, as the services will store them. */
const timeline = (events: DecidedEvent[]) =>
  publicTimeline([{ at: 0, action: "submitted", data: {} }, ...events.map((e, i) => ({ ...e, at: i + 1 }))]).map(({ at: _at, ...entry }) => entry);

const inProgressAt = (unitId: string, kind: CaseKind = "hazard") =>
  run(fresh(kind), [
    [{ type: "route", unitId }, system],
    [{ type: "accept" }, liaisonA],
  ]).state;

describe("the whole way through", () => {
  it("a hazard: routed, accepted, worked on, given more time, resolved with evidence, closed (销号)", () => {
    const { state, events } = run(fresh("hazard"), [
      [{ type: "route", unitId: "town-a" }, system],
      [{ type: "accept" }, liaisonA],
      [{ type: "progress", text: "  已约谈企业负责人  ", attachments: 1 }, liaisonA],
      [{ type: "extension_request", until: NOW + 10 * DAY, reason: "需要等待设备更换" }, liaisonA],
      [{ type: "extension_decide", approve: true }, dispatcher],
      [{ type: "resolve", measures: "已更换通风设备", responsible: "张经理", evidence: 2 }, liaisonA],
      [{ type: "verify_close" }, dispatcher],
    ]);
    expect(state).toMatchObject({ status: "closed", unitId: "town-a", assigneeId: 10, dueAt: NOW + 10 * DAY, pendingExtension: null, version: 7 });
    expect(events.map((e) => [e.action, e.fromStatus, e.toStatus])).toEqual([
      ["assigned", "new", "assigned"],
      ["accepted", "assigned", "in_progress"],
      ["progress", "in_progress", "in_progress"],
      ["extension_requested", "in_progress", "in_progress"],
      ["extension_granted", "in_progress", "in_progress"],
      ["resolved", "in_progress", "resolved"],
      ["closed", "resolved", "closed"],
    ]);
    expect(events[2]!.data).toEqual({ text: "已约谈企业负责人", attachments: 1 });
    expect(events[5]!.data).toEqual({ measures: "已更换通风设备", responsible: "张经理", evidence: 2 });
    expect(events[6]!.data).toEqual({});
    expect(timeline(events)).toEqual([
      { step: "received" },
      { step: "assigned", unitId: "town-a" },
      { step: "in_progress" },
      { step: "resolved" },
      { step: "closed" },
    ]);
  });

  it("a consultation: assigned by a dispatcher, answered without accepting first, closed", () => {
    const { state, events } = run(fresh("consultation"), [
      [{ type: "assign", unitId: "town-a" }, dispatcher],
      [{ type: "answer", text: "可以使用，但须符合宿舍用电规定。" }, liaisonA],
      [{ type: "verify_close" }, admin],
    ]);
    expect(state).toMatchObject({ status: "closed", assigneeId: 10, version: 3 });
    expect(events.map((e) => e.action)).toEqual(["assigned", "answered", "closed"]);
    // The answer's words are in the public timeline: the web's reporter, with no chat to be sent them, reads them there.
    expect(timeline(events)).toEqual([
      { step: "received" },
      { step: "assigned", unitId: "town-a" },
      { step: "answered", words: "可以使用，但须符合宿舍用电规定。" },
      { step: "closed" },
    ]);
  });

  it("only a consultation is answered; a hazard must be resolved", () => {
    const hazard = inProgressAt("town-a");
    expect(code(hazard, { type: "answer", text: "答复" }, liaisonA)).toBe("CASE.WRONG_STATUS");
    expect(availableActions(hazard, liaisonA)).not.toContain("answer");
  });

  it("a task needs no evidence to be resolved; a hazard or violation does; a consultation is answered, not resolved", () => {
    const resolve: Action = { type: "resolve", measures: "已完成", responsible: "李站长", evidence: 0 };
    expect(code(inProgressAt("town-a", "task"), resolve, liaisonA)).toBe("ok");
    expect(code(inProgressAt("town-a", "consultation"), resolve, liaisonA)).toBe("CASE.WRONG_STATUS");
    expect(code(inProgressAt("town-a", "hazard"), resolve, liaisonA)).toBe("CASE.EVIDENCE_REQUIRED");
    expect(code(inProgressAt("town-a", "violation"), resolve, liaisonA)).toBe("CASE.EVIDENCE_REQUIRED");
  });

  it("assigning a person records them; accepting keeps an assignee already named", () => {
    const { state, events } = run(fresh(), [
      [{ type: "assign", unitId: "town-a", assigneeId: 11 }, dispatcher],
      [{ type: "accept" }, liaisonA],
    ]);
    expect(events[0]!.data).toEqual({ unitId: "town-a", assigneeId: 11 });
    expect(events[1]!.data).toEqual({ memberId: 10 });
    expect(state.assigneeId).toBe(11);
  });

  it("a dispatcher may re-assign before acceptance, not after", () => {
    const { state } = run(fresh(), [
      [{ type: "route", unitId: "town-a" }, system],
      [{ type: "assign", unitId: "town-b" }, dispatcher],
    ]);
    expect(state).toMatchObject({ status: "assigned", unitId: "town-b" });
    const accepted = run(state, [[{ type: "accept" }, liaisonB]]).state;
    expect(code(accepted, { type: "assign", unitId: "town-c" }, dispatcher)).toBe("CASE.WRONG_STATUS");
  });
});

describe("transfers (首问责任制: the owner changes only when the target accepts)", () => {
  it("requested, refused, requested again, accepted", () => {
    let state = inProgressAt("town-a");

    let step = run(state, [[{ type: "transfer_request", toUnitId: "town-b", reason: "属于乙镇辖区" }, liaisonA]]);
    state = step.state;
    expect(state).toMatchObject({
      unitId: "town-a",
      status: "in_progress",
      pendingTransfer: { toUnitId: "town-b", reason: "属于乙镇辖区", byMemberId: 10 },
    });
    expect(step.events[0]).toMatchObject({ action: "transfer_requested", data: { toUnitId: "town-b", reason: "属于乙镇辖区" } });

    // One transfer at a time; only the target unit decides; the owner keeps working meanwhile.
    expect(code(state, { type: "transfer_request", toUnitId: "town-c", reason: "另一原因" }, liaisonA)).toBe("CASE.TRANSFER_PENDING");
    expect(code(state, { type: "transfer_accept" }, liaisonA)).toBe("CASE.NOT_YOUR_UNIT");
    expect(code(state, { type: "transfer_accept" }, liaisonC)).toBe("CASE.NOT_YOUR_UNIT");
    expect(code(state, { type: "transfer_accept" }, dispatcher)).toBe("CASE.NOT_ALLOWED");
    expect(code(state, { type: "progress", text: "仍在跟进", attachments: 0 }, liaisonA)).toBe("ok");
    expect(code(state, { type: "progress", text: "仍在跟进", attachments: 0 }, liaisonB)).toBe("CASE.NOT_YOUR_UNIT");
    expect(availableActions(state, liaisonB)).toEqual(["transfer_accept", "transfer_refuse"]);

    step = run(state, [[{ type: "transfer_refuse", reason: "不在我镇范围" }, liaisonB]]);
    state = step.state;
    expect(state).toMatchObject({ unitId: "town-a", status: "in_progress", pendingTransfer: null });
    expect(step.events[0]).toMatchObject({ action: "transfer_refused", data: { unitId: "town-b", reason: "不在我镇范围" } });
    expect(code(state, { type: "transfer_accept" }, liaisonB)).toBe("CASE.NO_PENDING");

    step = run(state, [
      [{ type: "transfer_request", toUnitId: "town-b", reason: "经核实属于乙镇" }, dispatcher],
      [{ type: "transfer_accept" }, liaisonB],
    ]);
    state = step.state;
    expect(state).toMatchObject({ unitId: "town-b", status: "assigned", assigneeId: null, pendingTransfer: null });
    expect(step.events.at(-1)).toMatchObject({
      action: "transfer_accepted",
      fromStatus: "in_progress",
      toStatus: "assigned",
      data: { unitId: "town-b", fromUnitId: "town-a" },
    });

    // The old owner is out; the new one starts from acceptance.
    expect(code(state, { type: "progress", text: "跟进", attachments: 0 }, liaisonA)).toBe("CASE.NOT_YOUR_UNIT");
    expect(code(state, { type: "accept" }, liaisonB)).toBe("ok");
    expect(timeline(step.events)).toContainEqual({ step: "assigned", unitId: "town-b" });
  });

  it("cannot be offered to the owner itself, and needs a reason", () => {
    const state = inProgressAt("town-a");
    expect(code(state, { type: "transfer_request", toUnitId: " town-a ", reason: "原因" }, liaisonA)).toBe("CASE.INVALID");
    expect(code(state, { type: "transfer_request", toUnitId: "town-b", reason: "   " }, liaisonA)).toBe("CASE.INVALID");
    expect(code(state, { type: "transfer_refuse", reason: "原因" }, liaisonB)).toBe("CASE.NO_PENDING");
  });

  it("the old owner's pending extension goes with the case", () => {
    const { state } = run(inProgressAt("town-a"), [
      [{ type: "extension_request", until: NOW + DAY, reason: "等待检测报告" }, liaisonA],
      [{ type: "transfer_request", toUnitId: "town-b", reason: "属于乙镇辖区" }, liaisonA],
      [{ type: "transfer_accept" }, liaisonB],
    ]);
    expect(state.pendingExtension).toBeNull();
  });
});

describe("closing without resolving", () => {
  it("a rejection keeps its full reason, trimmed, for the citizen (一次性告知)", () => {
    const state = run(fresh(), [[{ type: "route", unitId: "town-a" }, system]]).state;
    expect(code(state, { type: "reject", reason: " 太短 " }, dispatcher)).toBe("CASE.INVALID");
    expect(code(state, { type: "reject", reason: "原".repeat(1001) }, dispatcher)).toBe("CASE.INVALID");
    expect(code(state, { type: "reject", reason: "不属于安全生产监管范围" }, liaisonA)).toBe("CASE.NOT_ALLOWED");

    const { state: rejected, events } = run(state, [[{ type: "reject", reason: "  不属于安全生产监管范围，请联系市场监管部门  " }, dispatcher]]);
    expect(rejected.status).toBe("rejected");
    expect(events).toEqual([
      { action: "rejected", fromStatus: "assigned", toStatus: "rejected", data: { reason: "不属于安全生产监管范围，请联系市场监管部门" } },
    ]);
    expect(timeline(events).at(-1)).toEqual({ step: "rejected", reason: "不属于安全生产监管范围，请联系市场监管部门" });
    for (const type of ACTION_TYPES) expect(code(rejected, validAction(type, rejected, NOW), dispatcher)).toBe("CASE.CLOSED");
    expect(availableActions(rejected, dispatcher)).toEqual([]);
  });

  it("a duplicate is closed into an open case, never into itself or a closed one", () => {
    const state = fresh();
    expect(code(state, { type: "mark_duplicate", ofCaseId: CASE_ID, ofCaseOpen: true }, dispatcher)).toBe("CASE.INVALID");
    expect(code(state, { type: "mark_duplicate", ofCaseId: 7, ofCaseOpen: false }, dispatcher)).toBe("CASE.INVALID");

    const { state: merged, events } = run(state, [[{ type: "mark_duplicate", ofCaseId: 7, ofCaseOpen: true }, dispatcher]]);
    expect(merged).toMatchObject({ status: "closed", mergedInto: 7, version: 1 });
    expect(events.map((e) => [e.action, e.fromStatus, e.toStatus, e.data])).toEqual([
      ["merged", "new", "new", { into: 7 }],
      ["closed", "new", "closed", { mergedInto: 7 }],
    ]);
    expect(timeline(events)).toEqual([{ step: "received" }, { step: "closed" }]);
    expect(code(merged, { type: "verify_close" }, dispatcher)).toBe("CASE.CLOSED");
  });

  it("an accepted case can no longer be rejected or merged: it has to be resolved", () => {
    const state = inProgressAt("town-a");
    expect(code(state, { type: "reject", reason: "不属于安全生产监管范围" }, dispatcher)).toBe("CASE.WRONG_STATUS");
    expect(code(state, { type: "mark_duplicate", ofCaseId: 7, ofCaseOpen: true }, dispatcher)).toBe("CASE.WRONG_STATUS");
  });
});

describe("sending back", () => {
  it("a resolution without evidence is refused; a sent-back case is resolved again and then closed", () => {
    let state = inProgressAt("town-a");
    expect(code(state, { type: "resolve", measures: "已整改", responsible: "王厂长", evidence: 0 }, liaisonA)).toBe("CASE.EVIDENCE_REQUIRED");
    expect(code(state, { type: "resolve", measures: " ", responsible: "王厂长", evidence: 1 }, liaisonA)).toBe("CASE.INVALID");
    expect(code(state, { type: "resolve", measures: "已整改", responsible: "", evidence: 1 }, liaisonA)).toBe("CASE.INVALID");

    const step = run(state, [
      [{ type: "resolve", measures: "已整改", responsible: "王厂长", evidence: 1 }, liaisonA],
      [{ type: "send_back", reason: "照片看不出整改效果，请补充" }, dispatcher],
    ]);
    state = step.state;
    expect(state.status).toBe("in_progress");
    expect(step.events.at(-1)).toEqual({
      action: "sent_back",
      fromStatus: "resolved",
      toStatus: "in_progress",
      data: { reason: "照片看不出整改效果，请补充" },
    });
    expect(code(state, { type: "verify_close" }, dispatcher)).toBe("CASE.WRONG_STATUS");

    const end = run(state, [
      [{ type: "resolve", measures: "已整改并加装护栏", responsible: "王厂长", evidence: 3 }, liaisonA2],
      [{ type: "verify_close" }, dispatcher],
    ]);
    expect(end.state).toMatchObject({ status: "closed", version: 6 });
    expect(timeline([...step.events, ...end.events]).map((e) => e.step)).toEqual(["received", "resolved", "in_progress", "resolved", "closed"]);
  });

  it("a send-back needs a reason", () => {
    const resolved = run(inProgressAt("town-a"), [[{ type: "resolve", measures: "已整改", responsible: "王厂长", evidence: 1 }, liaisonA]]).state;
    expect(code(resolved, { type: "send_back", reason: "  " }, dispatcher)).toBe("CASE.INVALID");
  });
});

describe("deadlines, extensions, severity, supervision", () => {
  it("a deadline must be in the future", () => {
    expect(code(fresh(), { type: "set_deadline", dueAt: NOW }, dispatcher)).toBe("CASE.INVALID");
    const { state, events } = run(fresh(), [[{ type: "set_deadline", dueAt: NOW + DAY }, dispatcher]]);
    expect(state.dueAt).toBe(NOW + DAY);
    expect(events[0]).toMatchObject({ action: "deadline_set", data: { dueAt: NOW + DAY } });
  });

  it("an extension must be later than the deadline, one at a time, and a refusal says why", () => {
    const state = { ...inProgressAt("town-a"), dueAt: NOW + 2 * DAY };
    expect(code(state, { type: "extension_request", until: NOW + 2 * DAY, reason: "等待" }, liaisonA)).toBe("CASE.INVALID");
    expect(code(state, { type: "extension_decide", approve: true }, dispatcher)).toBe("CASE.NO_PENDING");

    const asked = run(state, [[{ type: "extension_request", until: NOW + 5 * DAY, reason: "等待设备到货" }, liaisonA]]).state;
    expect(asked.pendingExtension).toEqual({ until: NOW + 5 * DAY, reason: "等待设备到货", byMemberId: 10 });
    expect(code(asked, { type: "extension_request", until: NOW + 6 * DAY, reason: "再等等" }, liaisonA)).toBe("CASE.EXTENSION_PENDING");
    expect(code(asked, { type: "extension_decide", approve: true }, liaisonA)).toBe("CASE.NOT_ALLOWED");
    expect(code(asked, { type: "extension_decide", approve: false }, dispatcher)).toBe("CASE.INVALID");
    expect(code(asked, { type: "extension_decide", approve: "yes" } as never, dispatcher)).toBe("CASE.INVALID");

    const { state: refused, events } = run(asked, [[{ type: "extension_decide", approve: false, reason: "隐患紧急，不予延期" }, dispatcher]]);
    expect(refused).toMatchObject({ dueAt: NOW + 2 * DAY, pendingExtension: null });
    expect(events[0]).toMatchObject({ action: "extension_refused", data: { reason: "隐患紧急，不予延期" } });
  });

  it("an extension whose date has gone by cannot be granted", () => {
    const asked = run(inProgressAt("town-a"), [[{ type: "extension_request", until: NOW + DAY, reason: "等待" }, liaisonA]]).state;
    expect(at(asked, { type: "extension_decide", approve: true }, dispatcher, NOW + 2 * DAY)).toMatchObject({ ok: false, code: "CASE.INVALID" });
  });

  it("severity and 挂牌督办 are set on any open case; leaders may only supervise", () => {
    const resolved = run(inProgressAt("town-a"), [[{ type: "resolve", measures: "已整改", responsible: "王厂长", evidence: 1 }, liaisonA]]).state;
    const { state, events } = run(resolved, [
      [{ type: "set_severity", severity: "major" }, dispatcher],
      [{ type: "supervise", listed: true }, leader],
    ]);
    expect(state).toMatchObject({ severity: "major", supervision: "listed", status: "resolved" });
    expect(events.map((e) => [e.action, e.data])).toEqual([
      ["severity_set", { severity: "major" }],
      ["supervised", { listed: true }],
    ]);
    expect(code(state, { type: "set_severity", severity: "urgent" }, leader)).toBe("CASE.NOT_ALLOWED");
    expect(code(state, { type: "set_severity", severity: "huge" as never }, dispatcher)).toBe("CASE.INVALID");
    expect(availableActions(fresh(), leader)).toEqual(["supervise"]);
  });

  it("text fields hold at most 4000 characters", () => {
    const state = inProgressAt("town-a");
    expect(code(state, { type: "progress", text: "字".repeat(4000), attachments: 0 }, liaisonA)).toBe("ok");
    expect(code(state, { type: "progress", text: "字".repeat(4001), attachments: 0 }, liaisonA)).toBe("CASE.INVALID");
    expect(code(state, { type: "progress", text: "", attachments: 2 }, liaisonA)).toBe("ok");
    expect(code(state, { type: "progress", text: " ", attachments: 0 }, liaisonA)).toBe("CASE.INVALID");
  });
});

describe("asking the reporter (补充材料)", () => {
  it("the owner unit's liaison or the office asks while the case is open; the answer goes back to whoever asked", () => {
    const state = inProgressAt("town-a");
    const asked = at(state, { type: "ask_reporter", text: "  请补充现场照片。 " }, liaisonA);
    expect(asked.ok && asked.events).toEqual([
      { action: "reporter_asked", data: { question: "请补充现场照片。", unitId: "town-a" }, fromStatus: "in_progress", toStatus: "in_progress" },
    ]);
    expect(asked.ok && asked.state.version).toBe(state.version + 1);
    const byOffice = at(fresh(), { type: "ask_reporter", text: "请补充地址。" }, dispatcher);
    expect(byOffice.ok && byOffice.events[0]!.data).toEqual({ question: "请补充地址。", unitId: null });
  });

  it("refuses another unit, a leader, a task, empty words and a finished case", () => {
    const ask = { type: "ask_reporter", text: "请补充现场照片。" } as const;
    expect(at(inProgressAt("town-a"), ask, liaisonB)).toEqual({ ok: false, code: "CASE.NOT_YOUR_UNIT" });
    expect(at(inProgressAt("town-a"), ask, leader)).toEqual({ ok: false, code: "CASE.NOT_ALLOWED" });
    expect(at(inProgressAt("town-a", "task"), ask, liaisonA)).toEqual({ ok: false, code: "CASE.WRONG_STATUS", field: "kind" });
    expect(at(inProgressAt("town-a"), { type: "ask_reporter", text: "  " }, liaisonA)).toEqual({ ok: false, code: "CASE.INVALID", field: "text" });
    expect(at(fresh("hazard", { status: "closed" }), ask, dispatcher)).toEqual({ ok: false, code: "CASE.CLOSED" });
  });

  it("a reporter's material answers the latest question still open, else it is their own addition", () => {
    const asked = (question: string, unitId: string | null) => ({ action: "reporter_asked" as const, data: { question, unitId } });
    const replied = { action: "reporter_replied" as const, data: { text: "好", attachments: 0, pin: null } };
    expect(openQuestion([])).toBeNull();
    expect(openQuestion([asked("一", "town-a")])).toEqual({ question: "一", unitId: "town-a" });
    expect(openQuestion([asked("一", "town-a"), replied])).toBeNull();
    expect(openQuestion([asked("一", "town-a"), replied, asked("二", null)])).toEqual({ question: "二", unitId: null });
    expect(openQuestion([asked("一", "town-a"), asked("二", null)])).toEqual({ question: "二", unitId: null });
  });

  it("reads the dialogue's events back only in their own shape", () => {
    expect(readEvent({ action: "reporter_replied", data: { text: "", attachments: 2, pin: { latitude: 36.1, longitude: 117.5 } } })).not.toBeNull();
    expect(readEvent({ action: "material_added", data: { text: "x", attachments: 0, pin: { latitude: 91, longitude: 0 } } })).toBeNull();
    expect(readEvent({ action: "reporter_asked", data: { question: "x" } })).toBeNull();
  });
});

describe("reopening (不满意 → 重办)", () => {
  const closedAt = (unitId: string) => ({ ...inProgressAt(unitId), status: "closed" as const, dueAt: NOW - DAY });

  it("a dispatcher hands a closed case back to its unit, with its deadline cleared for a new one", () => {
    const reopened = at(closedAt("town-a"), { type: "reopen", reason: "群众反映通道仍被堵塞" }, dispatcher);
    expect(reopened.ok && reopened.state).toMatchObject({ status: "assigned", unitId: "town-a", dueAt: null });
    expect(reopened.ok && reopened.events.map((e) => [e.action, e.data, e.toStatus])).toEqual([
      ["reopened", { unitId: "town-a", reason: "群众反映通道仍被堵塞" }, "assigned"],
    ]);
    expect(timeline(reopened.ok ? reopened.events : []).at(-1)).toEqual({ step: "reopened", unitId: "town-a" });
  });

  it("only a dispatcher, only with a reason, never a merged, rejected or open case", () => {
    const reopen = { type: "reopen", reason: "群众不满意" } as const;
    expect(at(closedAt("town-a"), reopen, liaisonA)).toEqual({ ok: false, code: "CASE.NOT_ALLOWED" });
    expect(at(closedAt("town-a"), { type: "reopen", reason: " " }, dispatcher)).toEqual({ ok: false, code: "CASE.INVALID", field: "reason" });
    expect(at({ ...closedAt("town-a"), mergedInto: 7 }, reopen, dispatcher)).toEqual({ ok: false, code: "CASE.CLOSED" });
    expect(at({ ...closedAt("town-a"), status: "rejected" }, reopen, dispatcher)).toEqual({ ok: false, code: "CASE.CLOSED" });
    expect(at(inProgressAt("town-a"), reopen, dispatcher)).toEqual({ ok: false, code: "CASE.WRONG_STATUS" });
  });
});

describe("who may do what, and the order of the checks", () => {
  it("a stale version is refused before anything else", () => {
    const closed = fresh("hazard", { status: "closed", version: 5 });
    expect(decide(closed, { type: "route", unitId: "town-a" }, liaisonA, { now: NOW, expectedVersion: 4, caseId: CASE_ID })).toEqual({
      ok: false,
      code: "CASE.STALE",
    });
  });

  it("two people press at once: the second one is told the case moved on", () => {
    const state = run(fresh(), [[{ type: "route", unitId: "town-a" }, system]]).state;
    const ctx = { now: NOW, expectedVersion: state.version, caseId: CASE_ID };
    const first = decide(state, { type: "accept" }, liaisonA, ctx);
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(decide(first.state, { type: "accept" }, liaisonA2, ctx)).toMatchObject({ code: "CASE.STALE" });
  });

  it("then closed, then role, then unit, then status, then payload", () => {
    const assigned = run(fresh(), [[{ type: "route", unitId: "town-a" }, system]]).state;
    expect(code({ ...assigned, status: "closed" }, { type: "accept" }, leader)).toBe("CASE.CLOSED");
    expect(code(assigned, { type: "progress", text: "", attachments: -1 }, leader)).toBe("CASE.NOT_ALLOWED");
    expect(code(assigned, { type: "progress", text: "", attachments: -1 }, liaisonB)).toBe("CASE.NOT_YOUR_UNIT");
    expect(code(assigned, { type: "progress", text: "", attachments: -1 }, liaisonA)).toBe("CASE.WRONG_STATUS");
    expect(code({ ...assigned, status: "in_progress" }, { type: "progress", text: "", attachments: -1 }, liaisonA)).toBe("CASE.INVALID");
  });

  it("only the system routes; admins do what dispatchers do; roles add up", () => {
    expect(code(fresh(), { type: "route", unitId: "town-a" }, dispatcher)).toBe("CASE.NOT_ALLOWED");
    expect(code(fresh(), { type: "assign", unitId: "town-a" }, system)).toBe("CASE.NOT_ALLOWED");
    expect(code(fresh(), { type: "assign", unitId: "town-a" }, admin)).toBe("ok");
    const both = member(40, ["liaison", "dispatcher"], ["town-b"]);
    const state = inProgressAt("town-a");
    // As a dispatcher they may ask for a transfer for any unit; as a liaison they work only for their own.
    expect(code(state, { type: "transfer_request", toUnitId: "town-c", reason: "原因" }, both)).toBe("ok");
    expect(code(state, { type: "progress", text: "跟进", attachments: 0 }, both)).toBe("CASE.NOT_YOUR_UNIT");
  });

  it("a member with no roles, or a malformed actor or action, is refused without a throw", () => {
    const state = fresh();
    expect(code(state, { type: "assign", unitId: "town-a" }, member(50, [], ["town-a"]))).toBe("CASE.NOT_ALLOWED");
    expect(code(state, { type: "launch" } as never, dispatcher)).toBe("CASE.INVALID");
    expect(code(state, null as never, dispatcher)).toBe("CASE.INVALID");
    expect(code(state, { type: "assign", unitId: "town-a" }, { kind: "robot" } as never)).toBe("CASE.INVALID");
    expect(code(state, { type: "assign", unitId: 7 } as never, dispatcher)).toBe("CASE.INVALID");
    expect(decide(null as never, { type: "accept" }, liaisonA, { now: NOW, expectedVersion: 0, caseId: 1 })).toMatchObject({ code: "CASE.INVALID" });
  });

  it("a refusal names the field at fault by its name in the action or the case, never in words", () => {
    const state = fresh();
    expect(at(state, { type: "reject", reason: " 太短 " }, dispatcher)).toEqual({ ok: false, code: "CASE.INVALID", field: "reason" });
    expect(at(state, { type: "assign", unitId: 7 } as never, dispatcher)).toEqual({ ok: false, code: "CASE.INVALID", field: "unitId" });
    expect(at(state, null as never, dispatcher)).toEqual({ ok: false, code: "CASE.INVALID", field: "action" });
    expect(at(inProgressAt("town-a"), { type: "answer", text: "答复" }, liaisonA)).toEqual({ ok: false, code: "CASE.WRONG_STATUS", field: "kind" });
    expect(at(inProgressAt("town-a"), { type: "transfer_accept" }, liaisonB)).toEqual({
      ok: false,
      code: "CASE.NO_PENDING",
      field: "pendingTransfer",
    });
  });

  it("OPEN_STATUSES and isOpen agree: everything but closed and rejected", () => {
    expect(CASE_STATUSES.filter(isOpen)).toEqual(OPEN_STATUSES);
    expect(isOpen("closed") || isOpen("rejected")).toBe(false);
  });
});

/**
 * A payload that passes check 6 whenever checks 2–5 pass: the state decides the details
 * (a transfer to a unit other than the owner, an extension past the deadline).
 */
function validAction(type: ActionType, state: CaseState, now: number): Action {
  const other = UNITS.find((u) => u !== state.unitId)!;
  switch (type) {
    case "route":
      return { type, unitId: "town-a" };
    case "assign":
      return { type, unitId: "town-b", assigneeId: 20 };
    case "set_severity":
      return { type, severity: "urgent" };
    case "set_deadline":
      return { type, dueAt: now + DAY };
    case "mark_duplicate":
      return { type, ofCaseId: CASE_ID + 1, ofCaseOpen: true };
    case "reject":
      return { type, reason: "不属于安全生产监管范围" };
    case "supervise":
      return { type, listed: true };
    case "accept":
    case "transfer_accept":
    case "verify_close":
    case "dismiss_duplicate":
      return { type };
    case "reopen":
      return { type, reason: "群众不满意：通道仍被堵塞" };
    case "ask_reporter":
      return { type, text: "请补充隐患所在的具体楼层和现场照片。" };
    case "transfer_request":
      return { type, toUnitId: other, reason: "属于其他镇辖区" };
    case "transfer_refuse":
      return { type, reason: "不在我镇范围" };
    case "progress":
      return { type, text: "已约谈", attachments: 1 };
    case "extension_request":
      return { type, until: Math.max(now, state.dueAt ?? now) + DAY, reason: "等待设备到货" };
    case "extension_decide":
      return { type, approve: false, reason: "不予延期" };
    case "resolve":
      return { type, measures: "已整改", responsible: "王厂长", evidence: 1 };
    case "answer":
      return { type, text: "答复内容" };
    case "send_back":
      return { type, reason: "请补充照片" };
  }
}

describe("every status × action × role has an answer", () => {
  /** A case in the given status owned by town-a, with a transfer to town-b on offer where one can be. */
  const caseIn = (status: CaseStatus, kind: CaseKind): CaseState =>
    fresh(kind, {
      status,
      unitId: status === "new" ? null : "town-a",
      pendingTransfer: status === "assigned" || status === "in_progress" ? { toUnitId: "town-b", reason: "原因", byMemberId: 10 } : null,
      pendingExtension: status === "in_progress" ? { until: NOW + DAY, reason: "原因", byMemberId: 10 } : null,
      version: 3,
    });

  it.each(CASE_STATUSES.flatMap((status) => CASE_KINDS.map((kind) => [status, kind] as const)))("%s %s", (status, kind) => {
    const state = caseIn(status, kind);
    for (const type of ACTION_TYPES) {
      for (const [name, actor] of Object.entries(ACTORS)) {
        for (const [valid, action] of [
          [true, validAction(type, state, NOW)],
          [false, { type } as Action],
        ] as const) {
          const result = at(state, action, actor);
          expect(result, `${type} by ${name}`).toBeDefined();
          expect(typeof result.ok).toBe("boolean");
          if (!result.ok) expect(CODES).toContain(result.code);
          else expect(result.events.length).toBeGreaterThanOrEqual(1);
          if (!isOpen(status) && !(type === "reopen" && status === "closed")) expect(result).toEqual({ ok: false, code: "CASE.CLOSED" });
          // A valid payload is accepted exactly when the action is offered as a button.
          if (valid) expect(result.ok, `${type} by ${name}`).toBe(availableActions(state, actor).includes(type));
        }
      }
    }
  });
});

// ---------------------------------------------------------------- property tests

const unitArb = fc.constantFrom<string | null>(...UNITS, null);
const roleArb = fc.subarray([...ROLES]);
const actorArb: fc.Arbitrary<Actor> = fc.oneof(
  { weight: 1, arbitrary: fc.constant<Actor>(system) },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("member" as const),
      memberId: fc.integer({ min: 1, max: 60 }),
      roles: roleArb,
      unitIds: fc.subarray([...UNITS]),
    }),
  },
);

const stateArb: fc.Arbitrary<CaseState> = fc.record({
  status: fc.constantFrom(...CASE_STATUSES),
  kind: fc.constantFrom(...CASE_KINDS),
  severity: fc.constantFrom(...SEVERITIES),
  unitId: unitArb,
  assigneeId: fc.option(fc.integer({ min: 1, max: 60 }), { nil: null }),
  dueAt: fc.option(fc.integer({ min: NOW - 5 * DAY, max: NOW + 5 * DAY }), { nil: null }),
  supervision: fc.constantFrom("none" as const, "listed" as const),
  pendingTransfer: fc.option(fc.record({ toUnitId: fc.constantFrom(...UNITS), reason: fc.constant("原因"), byMemberId: fc.constant(10) }), {
    nil: null,
  }),
  pendingExtension: fc.option(
    fc.record({ until: fc.integer({ min: NOW - DAY, max: NOW + 9 * DAY }), reason: fc.constant("原因"), byMemberId: fc.constant(10) }),
    { nil: null },
  ),
  mergedInto: fc.constant(null),
  duplicateHints: fc.constantFrom<readonly string[]>([], ["YH-20261204-0003"]),
  version: fc.integer({ min: 0, max: 1000 }),
});

/** Payload values from small pools, valid and not, so that random sequences get somewhere. */
const loose = fc.oneof(
  fc.constantFrom<unknown>("", "  ", "原因", "town-a", "town-b", " town-c ", "足够长的拒绝原因说明", "字".repeat(4001)),
  fc.constantFrom<unknown>(0, 1, 3, -1, 1.5, Number.NaN, CASE_ID, CASE_ID + 1, NOW - DAY, NOW + DAY, NOW + 20 * DAY),
  fc.boolean(),
  fc.constantFrom<unknown>(null, undefined, "ordinary", "major", "huge"),
);
const actionArb: fc.Arbitrary<Action> = fc
  .record({
    type: fc.constantFrom(...ACTION_TYPES),
    unitId: loose,
    assigneeId: loose,
    severity: loose,
    dueAt: loose,
    ofCaseId: loose,
    ofCaseOpen: loose,
    reason: loose,
    listed: loose,
    toUnitId: loose,
    text: loose,
    attachments: loose,
    until: loose,
    approve: loose,
    measures: loose,
    responsible: loose,
    evidence: loose,
  })
  .map((a) => a as unknown as Action);

/**
 * One step of a random sequence: a random action by a random actor (mostly refused), or one of
 * the buttons the office's people are offered, with a good payload, so that sequences get
 * through the whole workflow. Rejecting and merging are pressed only now and then, or most
 * sequences would end before they began.
 */
const stepArb = fc.oneof(
  { weight: 1, arbitrary: fc.record({ actor: actorArb, action: actionArb, stale: fc.integer({ min: 0, max: 9 }).map((n) => n === 0) }) },
  { weight: 2, arbitrary: fc.record({ button: fc.nat(), finish: fc.integer({ min: 0, max: 7 }).map((n) => n === 0) }) },
);
const CAST: Actor[] = [system, dispatcher, leader, liaisonA, liaisonB, liaisonC];
const FINISHING: ActionType[] = ["reject", "mark_duplicate"];

/** The step as an actor, an action and the version it was pressed at; null when no button is offered. */
function resolveStep(state: CaseState, step: typeof stepArb extends fc.Arbitrary<infer S> ? S : never) {
  if ("action" in step) return { ...step, offered: false };
  const offers = CAST.flatMap((actor) => availableActions(state, actor).map((type) => ({ actor, type })));
  const types = [...new Set(offers.map((o) => o.type))].filter((t) => step.finish || !FINISHING.includes(t));
  if (types.length === 0) return null;
  const type = types[step.button % types.length]!;
  const { actor } = offers.find((o) => o.type === type)!;
  return { actor, action: validAction(type, state, NOW), stale: false, offered: true };
}

const OWNER_CHANGERS = new Set(["route", "assign", "transfer_accept"]);

describe("not a duplicate", () => {
  const hinted = fresh("hazard", { duplicateHints: ["YH-20261204-0003", "YH-20261204-0005"] });

  it("a dispatcher dismisses the hint while the case is open, and the event names the cases it was not", () => {
    const result = at(hinted, { type: "dismiss_duplicate" }, dispatcher);
    expect(result).toMatchObject({ ok: true, state: { duplicateHints: [], status: "new", version: 1 } });
    expect(result.ok && result.events).toEqual([
      { action: "duplicate_dismissed", data: { of: ["YH-20261204-0003", "YH-20261204-0005"] }, fromStatus: "new", toStatus: "new" },
    ]);
    expect(readEvent({ action: "duplicate_dismissed", data: { of: ["YH-20261204-0003"] } })).not.toBeNull();
    expect(readEvent({ action: "duplicate_dismissed", data: { of: [3] } })).toBeNull();
  });

  it("only a dispatcher, only with a hint, only while open", () => {
    expect(code(hinted, { type: "dismiss_duplicate" }, liaisonA)).toBe("CASE.NOT_ALLOWED");
    expect(code(hinted, { type: "dismiss_duplicate" }, leader)).toBe("CASE.NOT_ALLOWED");
    expect(code(fresh(), { type: "dismiss_duplicate" }, dispatcher)).toBe("CASE.NO_PENDING");
    expect(code({ ...hinted, status: "closed", unitId: "town-a" }, { type: "dismiss_duplicate" }, dispatcher)).toBe("CASE.CLOSED");
  });
});

describe("a citizen's follow-up (zhuiwen)", () => {
  const answered = fresh("consultation", { status: "answered", unitId: "town-a", assigneeId: 10, dueAt: NOW - DAY, version: 4 });

  it("takes an answered consultation back to the unit that answered, in progress, with the question", () => {
    const result = followUp(answered, "  And for twenty barrels?  ", 0, { expectedVersion: 4 });
    expect(result).toMatchObject({ ok: true, state: { status: "in_progress", unitId: "town-a", dueAt: null, version: 5 } });
    expect(result.ok && result.events).toEqual([
      { action: "follow_up_asked", data: { question: "And for twenty barrels?", unitId: "town-a" }, fromStatus: "answered", toStatus: "in_progress" },
    ]);
    // Answered again through the one answer path.
    expect(result.ok && at(result.state, { type: "answer", text: "Yes." }, liaisonA).ok).toBe(true);
  });

  it("refuses a stale version, a case not answered or not a consultation, a closed one, the limit and empty words", () => {
    const refused = (state: CaseState, question: unknown, asked = 0) => {
      const result = followUp(state, question, asked, { expectedVersion: state.version });
      return result.ok ? "ok" : result.code;
    };
    expect(followUp(answered, "q", 0, { expectedVersion: 3 })).toEqual({ ok: false, code: "CASE.STALE" });
    expect(refused({ ...answered, status: "in_progress" }, "q")).toBe("CASE.WRONG_STATUS");
    expect(refused({ ...answered, kind: "hazard", status: "resolved" }, "q")).toBe("CASE.WRONG_STATUS");
    expect(refused({ ...answered, status: "closed" }, "q")).toBe("CASE.CLOSED");
    expect(refused(answered, "q", MAX_FOLLOW_UPS - 1)).toBe("ok");
    expect(refused(answered, "q", MAX_FOLLOW_UPS)).toBe("CASE.FOLLOW_UP_LIMIT");
    expect(refused(answered, "   ")).toBe("CASE.INVALID");
    expect(
      followUpsAsked([
        { action: "follow_up_asked", data: { question: "q", unitId: "town-a" } },
        { action: "answered", data: { text: "a" } },
      ]),
    ).toBe(1);
  });
});

describe("properties", () => {
  it("random sequences by random actors: never a throw, a known status, version +1 per accepted action", () => {
    const accepted = new Set<ActionType>();
    // Random walks, more of them while one action has not yet been accepted on any (a rare one,
    // such as reopen, needs a case closed first): every run explores new sequences, and the
    // coverage below does not hang on one seed's luck.
    for (let round = 0; round < 5 && ACTION_TYPES.some((type) => !accepted.has(type)); round++)
      fc.assert(
        fc.property(fc.constantFrom(...CASE_KINDS), fc.boolean(), fc.array(stepArb, { maxLength: 40 }), (kind, hinted, steps) => {
          // Some reports come in with a possible-duplicate hint, so that dismissing one is tried too.
          let state = fresh(kind, hinted ? { duplicateHints: ["YH-20261204-0003"] } : {});
          for (const raw of steps) {
            const step = resolveStep(state, raw);
            if (step === null) continue;
            const { action, actor } = step;
            const expectedVersion = step.stale ? state.version - 1 : state.version;
            const result = decide(state, action, actor, { now: NOW, expectedVersion, caseId: CASE_ID });
            expect(typeof result.ok).toBe("boolean");
            if (step.stale) {
              expect(result).toEqual({ ok: false, code: "CASE.STALE" });
              continue;
            }
            if (!isOpen(state.status) && action.type !== "reopen") {
              expect(result).toEqual({ ok: false, code: "CASE.CLOSED" });
              continue;
            }
            if (!result.ok) {
              expect(CODES).toContain(result.code);
              if (step.offered) expect.fail(`offered ${action.type} refused: ${result.code}`);
              continue;
            }
            const next = result.state;
            expect(CASE_STATUSES).toContain(next.status);
            expect(next.version).toBe(state.version + 1);
            expect(result.events.length).toBeGreaterThanOrEqual(1);
            expect(result.events[0]!.fromStatus).toBe(state.status);
            expect(result.events.at(-1)!.toStatus).toBe(next.status);
            // Stored as JSON and read back, every event is itself again: decide writes only what readEvent reads.
            for (const { action: type, data } of result.events) {
              expect(readEvent({ action: type, data: JSON.parse(JSON.stringify(data)) })).toEqual({ action: type, data });
            }
            if (next.unitId !== state.unitId) expect(OWNER_CHANGERS).toContain(action.type);
            // Pending requests exist only while the owner is working on the case.
            if (next.pendingTransfer || next.pendingExtension) expect(["assigned", "in_progress"]).toContain(next.status);
            accepted.add(action.type);
            state = next;
          }
        }),
        { numRuns: 600 },
      );
    // The sequences did walk the whole workflow, not just its first steps.
    expect(ACTION_TYPES.filter((type) => !accepted.has(type))).toEqual([]);
  });

  it("a closed or rejected case refuses everything but a reopen of a closed one, and stays as it is", () => {
    fc.assert(
      fc.property(stateArb, fc.constantFrom("closed" as const, "rejected" as const), actionArb, actorArb, (s, status, action, actor) => {
        const state = { ...s, status };
        const result = decide(state, action, actor, { now: NOW, expectedVersion: state.version, caseId: CASE_ID });
        const reopen = status === "closed" && action.type === "reopen";
        if (!reopen) expect(result).toEqual({ ok: false, code: "CASE.CLOSED" });
        expect(availableActions(state, actor).filter((t) => !(status === "closed" && t === "reopen"))).toEqual([]);
      }),
    );
  });

  it("a stale version is always refused", () => {
    fc.assert(
      fc.property(
        stateArb,
        actionArb,
        actorArb,
        fc.integer({ min: -5, max: 5 }).filter((d) => d !== 0),
        (state, action, actor, delta) => {
          const result = decide(state, action, actor, { now: NOW, expectedVersion: state.version + delta, caseId: CASE_ID });
          expect(result).toEqual({ ok: false, code: "CASE.STALE" });
        },
      ),
    );
  });

  it("the owner unit changes only through route, assign or an accepted transfer", () => {
    fc.assert(
      fc.property(stateArb, actionArb, actorArb, (state, action, actor) => {
        const result = decide(state, action, actor, { now: NOW, expectedVersion: state.version, caseId: CASE_ID });
        if (result.ok && result.state.unitId !== state.unitId) expect(OWNER_CHANGERS).toContain(action.type);
      }),
    );
  });

  it("availableActions agrees with decide: offered actions pass checks 2–5, others never succeed", () => {
    const gateCodes: RefusalCode[] = [
      "CASE.CLOSED",
      "CASE.NOT_ALLOWED",
      "CASE.NOT_YOUR_UNIT",
      "CASE.WRONG_STATUS",
      "CASE.NO_PENDING",
      "CASE.TRANSFER_PENDING",
      "CASE.EXTENSION_PENDING",
    ];
    fc.assert(
      fc.property(stateArb, actorArb, actionArb, (state, actor, randomAction) => {
        const offered = availableActions(state, actor);
        const ctx = { now: NOW, expectedVersion: state.version, caseId: CASE_ID };
        for (const type of ACTION_TYPES) {
          const good = decide(state, validAction(type, state, NOW), actor, ctx);
          const any = decide(state, { ...randomAction, type } as Action, actor, ctx);
          if (offered.includes(type)) {
            expect(good.ok, type).toBe(true);
            if (!any.ok) expect(gateCodes).not.toContain(any.code);
          } else {
            expect(good.ok, type).toBe(false);
            expect(any.ok, type).toBe(false);
          }
        }
      }),
    );
  });

  it("never throws, whatever it is given", () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), fc.anything(), fc.anything(), (state, action, actor, ctx) => {
        const result = decide(state as CaseState, action as Action, actor as Actor, ctx as never);
        expect(result.ok).toBe(false);
        expect(CODES).toContain((result as { code: RefusalCode }).code);
        expect(Array.isArray(availableActions(state as CaseState, actor as Actor))).toBe(true);
      }),
    );
    fc.assert(
      fc.property(stateArb, fc.anything(), fc.anything(), (state, action, actor) => {
        const result = decide(state, action as Action, actor as Actor, { now: NOW, expectedVersion: state.version, caseId: CASE_ID });
        expect(typeof result.ok).toBe("boolean");
        expect(availableActions(state, actor as Actor)).toBeInstanceOf(Array);
      }),
    );
  });
});
