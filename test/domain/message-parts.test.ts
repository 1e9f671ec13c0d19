/** Cutting what Telegram would refuse as too long into parts it takes, losing nothing. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_CAPTION, MAX_TEXT, messageParts, splitText } from "../../src/domain/message-parts";

describe("splitText", () => {
  it("leaves a text that fits alone", () => {
    expect(splitText("短消息", MAX_TEXT)).toEqual(["短消息"]);
    expect(splitText("", MAX_TEXT)).toEqual([""]);
  });

  it("cuts at a paragraph before a line, and at a line before a space", () => {
    expect(splitText("aaaa bbbb\ncccc\n\ndddd", 16)).toEqual(["aaaa bbbb\ncccc", "dddd"]);
    expect(splitText("aaaa bbbb\ncccc dddd", 16)).toEqual(["aaaa bbbb", "cccc dddd"]);
    expect(splitText("aaaa bbbb cccc dddd", 16)).toEqual(["aaaa bbbb cccc", "dddd"]);
  });

  it("cuts anywhere when there is no break, but never inside a surrogate pair", () => {
    expect(splitText("甲".repeat(10), 4)).toEqual(["甲甲甲甲", "甲甲甲甲", "甲甲"]);
    expect(splitText("ab🙂cd", 3)).toEqual(["ab", "🙂c", "d"]);
  });

  it("gives parts within the limit, none empty, that put back together give the text (property)", () => {
    const piece = fc.constantFrom("隐", "患", "a", " ", "\n", "\n\n", "🙂", "整改");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 400 }), fc.integer({ min: 2, max: 60 }), (pieces, max) => {
        const text = pieces.join("");
        const parts = splitText(text, max);
        for (const p of parts) {
          expect(p.length).toBeLessThanOrEqual(max);
          if (text.length > 0) expect(p.length).toBeGreaterThan(0);
          expect(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/.test(p)).toBe(false);
        }
        // Only the breaks cut at are dropped.
        expect(parts.join("").replace(/\s/g, "")).toBe(text.replace(/\s/g, ""));
      }),
    );
  });
});

describe("messageParts", () => {
  it("keeps a message that fits as it is", () => {
    const payload = { chat_id: 1, text: "好", reply_markup: { inline_keyboard: [] } };
    expect(messageParts("sendMessage", payload)).toEqual([{ method: "sendMessage", payload }]);
  });

  it("puts the buttons under the last part only", () => {
    const markup = { inline_keyboard: [[{ text: "已阅", callback_data: "n:1" }]] };
    const parts = messageParts("sendMessage", { chat_id: 1, text: "字".repeat(MAX_TEXT + 1), reply_markup: markup });
    expect(parts.map((p) => p.payload.reply_markup)).toEqual([undefined, markup]);
    expect(parts.every((p) => p.payload.chat_id === 1)).toBe(true);
  });

  it("keeps a document's caption within the limit and sends the rest as text, buttons last", () => {
    const markup = { inline_keyboard: [[{ text: "已阅", callback_data: "n:1" }]] };
    const parts = messageParts("sendDocument", { chat_id: -5, document: "BQAD", caption: "字".repeat(MAX_CAPTION * 2), reply_markup: markup });
    expect(parts.map((p) => p.method)).toEqual(["sendDocument", "sendMessage"]);
    expect(parts[0]!.payload).toEqual({ chat_id: -5, document: "BQAD", caption: "字".repeat(MAX_CAPTION) });
    expect(parts[1]!.payload).toEqual({ chat_id: -5, text: "字".repeat(MAX_CAPTION), reply_markup: markup });
  });
});
