/**
 * The action catalog: a card's buttons are exactly the actions the workflow lets its reader
 * take, every button's data decodes to what was encoded and fits Telegram, and data no
 * button carries decodes to nothing.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CaseCardData } from "../../db/queries/staff-cases";
import {
  type Audience,
  audienceActor,
  CARD_BUTTONS,
  CARD_CODES,
  CASE_PRESS,
  type CasePress,
  cardCodes,
  doneLabel,
  REFRESH_LABEL,
  SHOW_EVIDENCE,
  VIEW,
} from "../../src/domain/case-buttons";
import { ACTION_TYPES, type Actor, availableActions, CASE_KINDS, CASE_STATUSES, type CaseState, ROLES, SEVERITIES } from "../../src/domain/workflow";
import { translator } from "../../src/i18n";
import { cardKeyboard } from "../../src/services/case-cards";

const UNITS = ["town-a", "town-b", "town-c"] as const;
const AUDIENCES: Audience[] = ["unit", "transfer-target", "dispatcher", "leader"];

const stateArb: fc.Arbitrary<CaseState> = fc.record({
  status: fc.constantFrom(...CASE_STATUSES),
  kind: fc.constantFrom(...CASE_KINDS),
  severity: fc.constantFrom(...SEVERITIES),
  unitId: fc.constantFrom<string | null>(...UNITS, null),
  assigneeId: fc.constant(null),
  dueAt: fc.constant(null),
  supervision: fc.constantFrom("none" as const, "listed" as const),
  pendingTransfer: fc.option(fc.record({ toUnitId: fc.constantFrom(...UNITS), reason: fc.constant("原因"), byMemberId: fc.constant(10) }), {
    nil: null,
  }),
  pendingExtension: fc.option(
    fc.record({ until: fc.constant(Date.parse("2026-12-20T09:30:00Z")), reason: fc.constant("原因"), byMemberId: fc.constant(10) }),
    {
      nil: null,
    },
  ),
  mergedInto: fc.constant(null),
  duplicateHints: fc.constantFrom<readonly string[]>([], ["YH-20261204-0003"]),
  version: fc.integer({ min: 0, max: 1_000_000 }),
});

/** Real people: any roles, in any units. */
const actorArb: fc.Arbitrary<Actor> = fc.record({
  kind: fc.constant("member" as const),
  memberId: fc.integer({ min: 1, max: 1000 }),
  roles: fc.subarray([...ROLES]),
  unitIds: fc.subarray([...UNITS]),
});

const actionsOf = (codes: string[]) => [...new Set(codes.map((c) => CARD_BUTTONS[c as keyof typeof CARD_BUTTONS].action))].sort();

/** The card as the outbox and the handlers build it, decoded back from its buttons' data. */
function keyboardCodes(
  state: CaseState,
  reader: Audience | Actor,
  id = 7,
  evidence: { attachments: number; latitude: number | null } = NO_EVIDENCE,
): string[] {
  const data = {
    row: { ...state, id, number: "YH-20261205-0001", latitude: evidence.latitude },
    attachments: evidence.attachments,
    duplicates: state.duplicateHints,
  } as unknown as CaseCardData;
  const buttons = cardKeyboard(translator("zh-CN"), data, reader).inline_keyboard.flat();
  return buttons.map((b) => {
    const raw = (b as { callback_data: string }).callback_data;
    expect(new TextEncoder().encode(raw).length).toBeLessThanOrEqual(64);
    const press = CASE_PRESS.decode(raw);
    expect(press).toMatchObject({ caseId: id, version: state.version });
    return press!.code;
  });
}

const NO_EVIDENCE = { attachments: 0, latitude: null };

/** A hazard just assigned to a unit: the usual first step of a card. */
const ASSIGNED: CaseState = {
  status: "assigned",
  kind: "hazard",
  severity: "ordinary",
  unitId: "town-a",
  assigneeId: null,
  dueAt: null,
  supervision: "none",
  pendingTransfer: null,
  pendingExtension: null,
  mergedInto: null,
  duplicateHints: [],
  version: 3,
};

describe("a card's buttons", () => {
  it("offer the evidence before the refresh when the case has files or a pin, and only then", () => {
    const state: CaseState = { ...ASSIGNED, status: "rejected", version: 9 };
    expect(keyboardCodes(state, "dispatcher")).toEqual([VIEW]);
    expect(keyboardCodes(state, "dispatcher", 7, { attachments: 2, latitude: null })).toEqual([SHOW_EVIDENCE, VIEW]);
    expect(keyboardCodes(state, "dispatcher", 7, { attachments: 0, latitude: 30.1 })).toEqual([SHOW_EVIDENCE, VIEW]);
  });

  it("are the actions the workflow offers its audience, and a refresh", () => {
    fc.assert(
      fc.property(stateArb, fc.constantFrom(...AUDIENCES), (state, audience) => {
        const codes = keyboardCodes(state, audience);
        expect(codes.at(-1)).toBe(VIEW);
        expect(actionsOf(codes.slice(0, -1))).toEqual([...availableActions(state, audienceActor(audience, state))].sort());
      }),
      { numRuns: 2000 },
    );
  });

  it("are the actions the workflow offers the person who opened it, whatever roles and units they hold", () => {
    fc.assert(
      fc.property(stateArb, actorArb, (state, actor) => {
        const codes = keyboardCodes(state, actor).slice(0, -1);
        expect(actionsOf(codes)).toEqual([...availableActions(state, actor)].sort());
        // A two-faced action shows the face that fits: list or unlist, never both.
        expect(codes.includes("sup") && codes.includes("uns")).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it("show the buttons an office expects at the usual steps", () => {
    const base = ASSIGNED;
    expect(cardCodes(base, audienceActor("unit", base))).toEqual(["acc", "ext", "tr", "ask"]);
    expect(cardCodes({ ...base, status: "in_progress" }, audienceActor("unit", base))).toEqual(["res", "pg", "ext", "tr", "ask"]);
    expect(cardCodes({ ...base, kind: "consultation", status: "in_progress" }, audienceActor("unit", base))).toEqual([
      "ans",
      "pg",
      "ext",
      "tr",
      "ask",
    ]);
    expect(cardCodes({ ...base, status: "new", unitId: null }, audienceActor("dispatcher", base))).toEqual([
      "as",
      "rej",
      "dup",
      "ask",
      "sev",
      "dl",
      "sup",
    ]);
    expect(cardCodes({ ...base, status: "resolved", supervision: "listed" }, audienceActor("dispatcher", base))).toEqual([
      "cls",
      "sb",
      "ask",
      "sev",
      "dl",
      "uns",
    ]);
    const transferring = { ...base, pendingTransfer: { toUnitId: "town-b", reason: "不属于本镇", byMemberId: 10 } };
    expect(cardCodes(transferring, audienceActor("transfer-target", transferring))).toEqual(["tra", "trr"]);
    expect(cardCodes({ ...base, status: "closed" }, audienceActor("dispatcher", base))).toEqual(["ro"]);
    expect(cardCodes({ ...base, status: "closed" }, audienceActor("unit", base))).toEqual([]);
  });
});

const pressArb: fc.Arbitrary<CasePress> = fc
  .tuple(
    fc.integer({ min: 1, max: 2 ** 40 }),
    fc.integer({ min: 0, max: 2 ** 30 }),
    fc.oneof(
      fc.constantFrom(...CARD_CODES, VIEW).map((code) => ({ code })),
      fc.record({ code: fc.constantFrom("tu" as const, "au" as const, "ax" as const), unitId: fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,39}$/) }),
      fc.record({ code: fc.constant("am" as const), memberId: fc.integer({ min: 1, max: 2 ** 40 }) }),
      fc.record({ code: fc.constant("sv" as const), severity: fc.constantFrom(...SEVERITIES) }),
    ),
  )
  .map(([caseId, version, rest]) => ({ caseId, version, ...rest }) as CasePress);

describe("the case button codec", () => {
  it("decodes every press it encodes, within 64 bytes", () => {
    fc.assert(
      fc.property(pressArb, (press) => {
        const data = CASE_PRESS.encode(press);
        expect(new TextEncoder().encode(data).length).toBeLessThanOrEqual(64);
        expect(CASE_PRESS.decode(data)).toEqual(press);
      }),
    );
  });

  it("refuses data no button carries", () => {
    const refused = [
      "c:1:2:zz",
      "c:0:2:acc",
      "c:1:-2:acc",
      "c:1:2:acc:extra",
      "c:1:2:tu",
      "c:1:2:tu:BAD",
      "c:1:2:am:0",
      "c:1:2:am:x",
      "c:1:2:sv:huge",
      "c:1:2:view:1",
      "c:1:2",
      "c::2:acc",
      "x:1:2:acc",
      `c:1:2:tu:${"a".repeat(41)}`,
      "c:1:2:constructor",
      "c:1:2:toString",
    ];
    for (const data of refused) expect(CASE_PRESS.decode(data), data).toBeNull();
    fc.assert(
      fc.property(fc.string({ maxLength: 70 }), (data) => {
        const press = CASE_PRESS.decode(`c:${data}`);
        if (press !== null) expect(CASE_PRESS.encode(press)).toBe(`c:${data}`);
      }),
    );
  });
});

describe("what was done", () => {
  it("is named by the button that does it, for every action a member can take", () => {
    const t = translator("zh-CN");
    for (const type of ACTION_TYPES.filter((a) => a !== "route")) {
      const label = doneLabel({ type } as never);
      expect(label, type).not.toBe(REFRESH_LABEL);
      expect(t(label), type).not.toBe(label);
    }
    expect(doneLabel({ type: "extension_decide", approve: false, reason: "x" })).toBe("btn-extension-refuse");
    expect(doneLabel({ type: "supervise", listed: false })).toBe("btn-unsupervise");
  });
});
