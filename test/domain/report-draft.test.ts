import { describe, expect, it } from "vitest";
import {
  advance,
  type Draft,
  draftFingerprint,
  editableSteps,
  editStep,
  FLOW_STEPS,
  meaningfulLength,
  newDraft,
  nextStep,
  parsePhone,
  validateDraft,
  withSource,
} from "../../src/domain/report-draft";

const complete = (): Draft => ({
  ...newDraft("report", "abcdefgh", 0),
  step: "summary",
  kind: "hazard",
  sectorId: "mines",
  regionId: "town-a",
  description: "矿井通风设备坏了好几天还在作业",
  urgent: false,
  anonymous: true,
  reward: false,
});

describe("the steps of a flow", () => {
  it("a report walks every step in order, skipping contact for an anonymous reporter", () => {
    let d = newDraft("report", "abcdefgh", 0);
    const seen = [d.step];
    while (d.step !== "summary") {
      if (d.step === "identity") d = { ...d, anonymous: true };
      d = advance(d);
      seen.push(d.step);
    }
    expect(seen).toEqual(["kind", "sector", "place", "address", "description", "media", "urgency", "identity", "reward", "summary"]);
  });

  it("a named reporter without a phone number is asked for it right after choosing", () => {
    const d = { ...newDraft("ask", "abcdefgh", 0), step: "identity" as const, anonymous: false };
    expect(nextStep(d)).toBe("contact");
    expect(nextStep({ ...d, phone: "13812345678" })).toBe("summary");
  });

  it("a question starts at the sector and is a consultation", () => {
    expect(newDraft("ask", "abcdefgh", 0)).toMatchObject({ step: "sector", kind: "consultation", media: [] });
    expect(FLOW_STEPS.ask).not.toContain("reward");
  });

  it("a field changed from the summary returns to the summary", () => {
    const edited = editStep(complete(), "sector")!;
    expect(edited).toMatchObject({ step: "sector", editing: true });
    expect(advance(edited)).toMatchObject({ step: "summary", editing: false });
  });

  it("switching to named from the summary still asks for the phone number first", () => {
    const edited = { ...editStep(complete(), "identity")!, anonymous: false };
    const next = advance(edited);
    expect(next.step).toBe("contact");
    expect(advance({ ...next, phone: "13812345678" }).step).toBe("summary");
  });

  it("only the flow's own fields can be edited", () => {
    expect(editStep(complete(), "summary")).toBeNull();
    expect(editStep({ ...complete(), flow: "ask" }, "reward")).toBeNull();
  });
});

describe("validateDraft (一次性告知)", () => {
  it("accepts a complete draft", () => {
    expect(validateDraft(complete())).toEqual([]);
  });

  it("names every problem at once, in the order of the flow, each with the step that fixes it", () => {
    const problems = validateDraft({ ...newDraft("report", "abcdefgh", 0), description: "太短了", anonymous: false });
    expect(problems).toEqual([
      { code: "kind-missing", step: "kind" },
      { code: "sector-missing", step: "sector" },
      { code: "place-missing", step: "place" },
      { code: "description-too-short", step: "description" },
      { code: "urgency-missing", step: "urgency" },
      { code: "phone-missing", step: "contact" },
      { code: "reward-missing", step: "reward" },
    ]);
  });

  it("any one of town, pin or address is enough of a place", () => {
    const noPlace = { ...complete(), regionId: undefined };
    expect(validateDraft(noPlace).map((p) => p.code)).toEqual(["place-missing"]);
    expect(validateDraft({ ...noPlace, address: "工业路 18 号" })).toEqual([]);
    expect(validateDraft({ ...noPlace, location: { lat: 30, lng: 120 } })).toEqual([]);
  });

  it("a question needs no place, urgency or reward", () => {
    const ask = { ...newDraft("ask", "abcdefgh", 0), sectorId: "fire", description: "小商店需要配备几个灭火器？", anonymous: true };
    expect(validateDraft(ask)).toEqual([]);
  });

  it("counts meaningful characters: spaces and punctuation do not make a description long enough", () => {
    expect(meaningfulLength("有 人 ， 吸 烟 ！ ！ ！ ！ ！")).toBe(4);
    expect(validateDraft({ ...complete(), description: "！！！！！！！！！！！！" }).map((p) => p.code)).toEqual(["description-too-short"]);
    expect(validateDraft({ ...complete(), description: "   " }).map((p) => p.code)).toEqual(["description-missing"]);
    expect(validateDraft({ ...complete(), description: "字".repeat(4097) }).map((p) => p.code)).toEqual(["description-too-long"]);
  });

  it("refuses more than ten photos and videos", () => {
    const media = Array.from({ length: 11 }, (_, i) => ({ kind: "photo" as const, fileId: `f${i}`, fileUniqueId: `u${i}` }));
    expect(validateDraft({ ...complete(), media }).map((p) => p.code)).toEqual(["media-too-many"]);
  });
});

describe("a case a dispatcher records for a caller (the intake flow)", () => {
  /** Walks the flow from its start, answering each step as `answer` says, and lists the steps met. */
  const walk = (answer: (d: Draft) => Draft) => {
    let d = newDraft("intake", "abcdefgh", 0);
    const seen = [d.step];
    while (d.step !== "summary") {
      d = advance(answer(d));
      seen.push(d.step);
    }
    return { d, seen };
  };
  const answers =
    (source: Parameters<typeof withSource>[1], named: boolean) =>
    (d: Draft): Draft => {
      if (d.step === "source") return withSource(d, source);
      if (d.step === "kind") return { ...d, kind: "hazard" };
      if (d.step === "identity") return { ...d, anonymous: !named };
      if (d.step === "caller") return { ...d, name: "Wang" };
      if (d.step === "contact") return { ...d, phone: "13812345678" };
      return d;
    };
  /** The citizen's complete report, recorded instead by a dispatcher for a caller who came by this door. */
  const recorded = (source: Parameters<typeof withSource>[1]): Draft => withSource({ ...complete(), flow: "intake" }, source);

  it("asks the door first, then its number when it has one, and the caller's name and phone when named", () => {
    const common = ["sector", "place", "address", "description", "media", "urgency", "identity"];
    expect(walk(answers("hotline", true)).seen).toEqual(["source", "reference", "kind", ...common, "caller", "contact", "reward", "summary"]);
    expect(walk(answers("phone", false)).seen).toEqual(["source", "kind", ...common, "reward", "summary"]);
  });

  it("an assignment from above is a task, with no kind to choose and no reward to claim", () => {
    const { d, seen } = walk(answers("superior", false));
    expect(seen).toEqual(["source", "reference", "sector", "place", "address", "description", "media", "urgency", "identity", "summary"]);
    expect(d).toMatchObject({ kind: "task", reward: false });
    expect(editableSteps(d)).not.toContain("kind");
    expect(editStep(d, "kind")).toBeNull();
    expect(editableSteps(recorded("walk_in"))).not.toContain("reference");
  });

  it("a 12345 work order needs its number; a letter may go without", () => {
    expect(validateDraft(recorded("hotline"))).toEqual([{ code: "reference-missing", step: "reference" }]);
    expect(validateDraft({ ...recorded("hotline"), reference: "GD-1" })).toEqual([]);
    expect(validateDraft(recorded("letter"))).toEqual([]);
  });

  it("needs the door, a kind the door allows, and a named caller's name and phone", () => {
    const { source: _, ...noSource } = recorded("phone");
    expect(validateDraft(noSource as Draft).map((p) => p.code)).toEqual(["source-missing", "kind-missing"]);
    expect(validateDraft({ ...recorded("phone"), kind: "task" })).toEqual([{ code: "kind-missing", step: "kind" }]);
    expect(validateDraft({ ...recorded("superior"), kind: "hazard" })).toEqual([{ code: "kind-missing", step: "kind" }]);
    expect(validateDraft({ ...recorded("phone"), anonymous: false })).toEqual([
      { code: "name-missing", step: "caller" },
      { code: "phone-missing", step: "contact" },
    ]);
    // A citizen's report is never a task.
    expect(validateDraft({ ...recorded("phone"), flow: "report", source: undefined, kind: "task" }).map((p) => p.code)).toEqual(["kind-missing"]);
  });

  it("a door changed away from above drops the task, and the number of the door before", () => {
    const d = withSource({ ...recorded("superior"), reference: "X-1" }, "letter");
    expect(d).toMatchObject({ source: "letter", kind: undefined, reference: undefined });
  });
});

describe("parsePhone", () => {
  it.each([
    ["13812345678", "13812345678"],
    ["138 1234 5678", "13812345678"],
    ["+86 138-1234-5678", "13812345678"],
    ["008613812345678", "13812345678"],
    ["１３８１２３４５６７８", "13812345678"],
    ["0571-88776655", "057188776655"],
  ])("accepts %j as %s", (input, phone) => {
    expect(parsePhone(input)).toBe(phone);
  });

  it.each(["12345", "23812345678", "1381234567", "phone", ""])("refuses %j", (input) => {
    expect(parsePhone(input)).toBeNull();
  });
});

describe("draftFingerprint", () => {
  it("is the same for the same report written again, whatever the draft id or spacing", () => {
    const a = complete();
    const b = { ...complete(), id: "zzzzzzzz", description: `  ${a.description}  ` };
    expect(draftFingerprint(a)).toBe(draftFingerprint(b));
  });

  it("differs when the place, sector or photos differ", () => {
    const a = complete();
    expect(draftFingerprint({ ...a, regionId: "town-b" })).not.toBe(draftFingerprint(a));
    expect(draftFingerprint({ ...a, sectorId: "fire" })).not.toBe(draftFingerprint(a));
    expect(draftFingerprint({ ...a, media: [{ kind: "photo", fileId: "f", fileUniqueId: "u" }] })).not.toBe(draftFingerprint(a));
  });
});
