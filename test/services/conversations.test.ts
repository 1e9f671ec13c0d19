/** The one conversation slot: a flow sees only its own state, starting one replaces another, ending one leaves others alone. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { kv } from "../../db/schema";
import { CONVERSATION_TTL_MS } from "../../src/domain/conversation";
import { newDraft } from "../../src/domain/report-draft";
import { serviceFixture } from "../support/services";

let f: Awaited<ReturnType<typeof serviceFixture>>;
beforeEach(async () => {
  f = await serviceFixture();
});
afterEach(() => f.dispose());

const USER = 77;
const draft = () => newDraft("report", "abcd2345", f.clock.now());

describe("a person's conversation", () => {
  it("shows each flow its own state only, and the flow started last replaces the one before", async () => {
    const { conversations } = f.services;
    const report = conversations.flow("report");
    const comment = conversations.flow("rating-comment");
    await report.update(USER, async () => ({ state: draft(), result: undefined }));
    expect(await comment.get(USER)).toBeNull();
    expect((await report.get(USER))?.id).toBe("abcd2345");

    await comment.update(USER, async (open) => ({ state: open ?? { caseId: 5 }, result: undefined }));
    expect(await report.get(USER)).toBeNull();
    expect(await conversations.get(USER)).toEqual({ flow: "rating-comment", state: { caseId: 5 } });
  });

  it("ends a flow only if it is the one open", async () => {
    const { conversations } = f.services;
    await conversations.flow("notice").update(USER, async () => ({ state: { step: "content", unitIds: [] }, result: undefined }));
    await conversations.flow("case-input").end(USER);
    await conversations.flow("report").update(USER, async () => ({ state: null, result: undefined }));
    expect((await conversations.get(USER))?.flow).toBe("notice");
    await conversations.flow("notice").end(USER);
    expect(await conversations.get(USER)).toBeNull();
  });

  it("keeps one key per person, living as long as its flow waits", async () => {
    const { conversations } = f.services;
    await conversations.flow("case-input").update(USER, async () => ({
      state: { caseId: 1, version: 1, op: "rej", step: "text", data: {}, media: [] },
      result: undefined,
    }));
    const rows = await f.db.select().from(kv);
    const slot = rows.filter((r) => r.key.startsWith("conversation:"));
    expect(slot.map((r) => r.key)).toEqual([`conversation:${USER}`]);
    expect(slot[0]!.expiresAt).toBe(f.clock.now() + CONVERSATION_TTL_MS["case-input"]);
  });
});
