/** The Bot API stand-in must refuse what Telegram refuses, or a green test run proves nothing. */

import { describe, expect, it } from "vitest";
import { checkCall } from "../../src/local/bot-api";

describe("the fake Bot API's checks", () => {
  it("accept a well-formed sendMessage with an inline keyboard", () => {
    expect(
      checkCall("sendMessage", {
        chat_id: 1,
        text: "你好",
        reply_markup: { inline_keyboard: [[{ text: "OK", callback_data: "menu:ok" }]] },
      }),
    ).toEqual([]);
  });

  it("refuse an unknown method, a missing required field and an unknown field", () => {
    expect(checkCall("sendMesage", { chat_id: 1, text: "x" })).toEqual(["method sendMesage does not exist"]);
    expect(checkCall("sendMessage", { chat_id: 1 })).toEqual(["required field text is missing"]);
    expect(checkCall("sendMessage", { chat_id: 1, text: "x", parse_mdoe: "HTML" })).toEqual(["unknown field parse_mdoe"]);
  });

  it("refuse text over 4096 characters, empty text, and captions over 1024", () => {
    expect(checkCall("sendMessage", { chat_id: 1, text: "字".repeat(4097) })).toHaveLength(1);
    expect(checkCall("sendMessage", { chat_id: 1, text: "  " })).toHaveLength(1);
    expect(checkCall("sendPhoto", { chat_id: 1, photo: "file-id", caption: "c".repeat(1025) })).toHaveLength(1);
  });

  it("refuse callback_data over 64 bytes, counting UTF-8 bytes, not characters", () => {
    const button = (data: string) => ({ chat_id: 1, text: "x", reply_markup: { inline_keyboard: [[{ text: "b", callback_data: data }]] } });
    expect(checkCall("sendMessage", button("a".repeat(64)))).toEqual([]);
    expect(checkCall("sendMessage", button("案".repeat(22)))).toHaveLength(1); // 66 bytes, 22 characters
    expect(checkCall("sendMessage", button(""))).toHaveLength(1);
  });

  it("check command menus: each command's name and description, and the scope's type and fields", () => {
    const commands = [{ command: "supervised", description: "Cases listed for supervision" }];
    expect(checkCall("setMyCommands", { commands, scope: { type: "chat", chat_id: 42 } })).toEqual([]);
    expect(checkCall("setMyCommands", { commands, scope: { type: "all_group_chats" }, language_code: "zh" })).toEqual([]);
    expect(checkCall("deleteMyCommands", { scope: { type: "chat", chat_id: 42 } })).toEqual([]);
    expect(checkCall("setMyCommands", { commands: [{ command: "Queue", description: "x" }] })).toHaveLength(1);
    expect(checkCall("setMyCommands", { commands: [{ command: "queue", description: "" }] })).toHaveLength(1);
    expect(checkCall("setMyCommands", { commands, scope: { type: "chat" } })).toHaveLength(1);
    expect(checkCall("setMyCommands", { commands, scope: { type: "all_group_chats", chat_id: 42 } })).toHaveLength(1);
    expect(checkCall("setMyCommands", { commands, scope: { type: "private" } })).toHaveLength(1);
    expect(checkCall("setMyCommands", { commands, language_code: "zh-CN" })).toHaveLength(1);
  });

  it("refuse a field of the wrong type", () => {
    expect(checkCall("sendMessage", { chat_id: { id: 1 }, text: "x" })).toHaveLength(1);
    expect(checkCall("answerCallbackQuery", { callback_query_id: "1", show_alert: "yes" })).toHaveLength(1);
  });
});
