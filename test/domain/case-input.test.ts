/** The words a case action waits for, as a state machine: what each input keeps, asks and does. */
import { describe, expect, it } from "vitest";
import { addedMedia, resolution, type TextContext, typedText, wordsAction } from "../../src/domain/case-input";
import type { CaseInput } from "../../src/domain/conversation";

const NOW = Date.parse("2026-12-07T02:00:00Z");
const LATER = Date.parse("2026-12-10T09:30:00Z");
const input = (over: Partial<CaseInput>): CaseInput => ({ caseId: 1, version: 3, op: "rej", step: "text", data: {}, media: [], ...over });
const known = (over: Partial<TextContext> = {}): TextContext => ({ date: null, now: NOW, evidenceRequired: true, caseNumber: null, ...over });
const photo = (n: number) => ({ kind: "photo" as const, fileId: `f${n}`, fileUniqueId: `u${n}` });

describe("typed input for a case action", () => {
  it("turns one line of words into the action its button named", () => {
    expect(typedText(input({ op: "rej" }), "not our business", known())).toEqual({
      type: "act",
      action: { type: "reject", reason: "not our business" },
    });
    expect(typedText(input({ op: "tu", data: { toUnitId: "station-b" } }), "their street", known())).toEqual({
      type: "act",
      action: { type: "transfer_request", toUnitId: "station-b", reason: "their street" },
    });
    expect(typedText(input({ op: "ask" }), "which gate?", known())).toEqual({ type: "act", action: { type: "ask_reporter", text: "which gate?" } });
    expect(typedText(input({ op: "ro" }), "citizen says nothing changed", known())).toEqual({
      type: "act",
      action: { type: "reopen", reason: "citizen says nothing changed" },
    });
    expect(typedText(input({ op: "pg", media: [photo(1)] }), "fence up", known())).toEqual({
      type: "act",
      action: { type: "progress", text: "fence up", attachments: 1 },
    });
  });

  it("asks for a date again until it is a future date, then for the reason of an extension", () => {
    const ext = input({ op: "ext", step: "date" });
    expect(typedText(ext, "someday", known())).toEqual({ type: "again", problem: "input-bad-date" });
    expect(typedText(ext, "2026-12-01", known({ date: NOW - 1 }))).toEqual({ type: "again", problem: "input-bad-date" });
    const next = typedText(ext, "2026-12-10", known({ date: LATER }));
    expect(next).toEqual({ type: "ask", input: { ...ext, step: "reason", data: { until: LATER } }, prompt: "ask-extension-reason" });
    if (next.type !== "ask") throw new Error("asked");
    expect(typedText(next.input, "materials late", known())).toEqual({
      type: "act",
      action: { type: "extension_request", until: LATER, reason: "materials late" },
    });
    expect(typedText(input({ op: "dl", step: "date" }), "2026-12-10", known({ date: LATER }))).toEqual({
      type: "act",
      action: { type: "set_deadline", dueAt: LATER },
    });
  });

  it("walks a resolution through measures, the responsible person and photos, and resolves with what was kept", () => {
    let at = input({ op: "res", step: "measures" });
    const measures = typedText(at, "fence rebuilt", known());
    if (measures.type !== "ask") throw new Error("asked");
    expect(measures.prompt).toBe("ask-responsible");
    const responsible = typedText(measures.input, "Wang", known({ evidenceRequired: false }));
    if (responsible.type !== "ask") throw new Error("asked");
    expect(responsible.prompt).toBe("ask-evidence-optional");
    at = responsible.input;
    expect(typedText(at, "more words", known())).toEqual({ type: "again", problem: "ask-evidence" });
    at = addedMedia(at, photo(1))!;
    expect(addedMedia(at, photo(1))).toBe(at); // the same photo again is kept once
    at = addedMedia(at, photo(2))!;
    expect(resolution(at)).toEqual({ type: "resolve", measures: "fence rebuilt", responsible: "Wang", evidence: 2 });
  });

  it("takes photos only where they belong, and resolves only at the photo step", () => {
    expect(addedMedia(input({ op: "rej" }), photo(1))).toBeNull();
    expect(addedMedia(input({ op: "pg" }), photo(1))?.media).toEqual([photo(1)]);
    expect(resolution(input({ op: "res", step: "measures" }))).toBeNull();
  });

  it("looks up a duplicate's number before marking it, and says so when the text is none", () => {
    expect(typedText(input({ op: "dup" }), "YH-20261201-0001", known({ caseNumber: "YH-20261201-0001" }))).toEqual({
      type: "find-case",
      number: "YH-20261201-0001",
    });
    expect(typedText(input({ op: "dup" }), "the one from yesterday", known())).toEqual({ type: "again", problem: "input-unknown-case" });
  });

  it("ends an input no step of its action can be at", () => {
    expect(typedText(input({ op: "res", step: "text" }), "words", known())).toEqual({ type: "end" });
  });
});

describe("the action an asking press completes, whichever door the words came through", () => {
  it("is the same from the chat's messages as from the console's form", () => {
    const ops = ["rej", "trr", "pg", "exr", "ans", "sb", "ask", "ro"] as const;
    for (const op of ops) {
      expect(typedText(input({ op }), "the words typed", known())).toEqual({
        type: "act",
        action: wordsAction(op, { text: "the words typed", files: 0 }),
      });
    }
    const ext = input({ op: "ext", step: "reason", data: { until: LATER } });
    expect(typedText(ext, "more time", known())).toEqual({ type: "act", action: wordsAction("ext", { text: "more time", date: LATER, files: 0 }) });
    const res = input({ op: "res", step: "evidence", data: { measures: "net hung", responsible: "Li" }, media: [photo(1)] });
    expect(resolution(res)).toEqual(wordsAction("res", { measures: "net hung", responsible: "Li", files: 1 }));
    expect(typedText(input({ op: "dl", step: "date" }), "2026-12-10", known({ date: LATER }))).toEqual({
      type: "act",
      action: wordsAction("dl", { date: LATER, files: 0 }),
    });
  });
});
