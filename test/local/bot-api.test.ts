/** The Bot API stand-in must refuse what Telegram refuses, or a green test run proves nothing. */

import type { Update, UserFromGetMe } from "grammy/types";
import { describe, expect, it } from "vitest";
import { checkCall, type Failure, faultMix, LocalBotApi } from "../../src/local/bot-api";

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

  it("take Mini App buttons only in private chats and only over https", () => {
    const open = (url: string) => ({ inline_keyboard: [[{ text: "open", web_app: { url } }]] });
    expect(checkCall("sendMessage", { chat_id: 42, text: "x", reply_markup: open("https://a.test/console/#case=1") })).toEqual([]);
    expect(checkCall("sendMessage", { chat_id: -100_1, text: "x", reply_markup: open("https://a.test/console/") })).toHaveLength(1);
    expect(checkCall("sendMessage", { chat_id: 42, text: "x", reply_markup: open("http://localhost/console/") })).toHaveLength(1);
    const menu = (url: string) => ({ chat_id: 42, menu_button: { type: "web_app", text: "Console", web_app: { url } } });
    expect(checkCall("setChatMenuButton", menu("https://a.test/console/"))).toEqual([]);
    expect(checkCall("setChatMenuButton", menu("http://a.test/console/"))).toHaveLength(1);
    expect(checkCall("setChatMenuButton", { chat_id: 42, menu_button: { type: "default" } })).toEqual([]);
  });

  it("refuse a field of the wrong type", () => {
    expect(checkCall("sendMessage", { chat_id: { id: 1 }, text: "x" })).toHaveLength(1);
    expect(checkCall("answerCallbackQuery", { callback_query_id: "1", show_alert: "yes" })).toHaveLength(1);
  });
});

describe("the Bot API stand-in, called in-process with no server", () => {
  const token = "1:in-process";
  const botInfo = { id: 1, is_bot: true, first_name: "Bot", username: "in_process_bot" } as UserFromGetMe;
  const call = (api: LocalBotApi, method: string, body: BodyInit, init: RequestInit = {}) =>
    api.fetch(new Request(`http://bot.api/bot${token}/${method}`, { method: "POST", body, ...init }));

  it("answers like Telegram, refuses a wrong token, and records what it refused", async () => {
    const api = new LocalBotApi({ token, botInfo });
    const json = { headers: { "content-type": "application/json" } };
    expect(await (await call(api, "getMe", "{}", json)).json()).toEqual({ ok: true, result: botInfo });
    const wrong = await api.fetch(new Request("http://bot.api/bot2:other/getMe", { method: "POST" }));
    expect(wrong.status).toBe(401);
    const refused = await call(api, "sendMessage", JSON.stringify({ chat_id: 1, text: "" }), json);
    expect(refused.status).toBe(400);
    expect(api.violations).toHaveLength(1);
  });

  it("reads a multipart upload with grammY's unquoted filename, bytes intact", async () => {
    const api = new LocalBotApi({ token, botInfo });
    const bytes = new Uint8Array([0xff, 0xd8, 0x0d, 0x0a, 0x2d, 0x2d, 0x00, 0xd9]);
    const head = (disposition: string) => `--B\r\ncontent-disposition:form-data;${disposition}\r\n\r\n`;
    const body = new Uint8Array([
      ...new TextEncoder().encode(`${head('name="chat_id"')}7\r\n${head('name="photo"')}attach://f1\r\n${head("name=f1;filename=a.jpg")}`),
      ...bytes,
      ...new TextEncoder().encode("\r\n--B--\r\n"),
    ]);
    const answer = await call(api, "sendPhoto", body, { headers: { "content-type": "multipart/form-data; boundary=B" } });
    expect(answer.status).toBe(200);
    expect(api.callsTo("sendPhoto")[0]?.params).toEqual({ chat_id: "7", photo: { file: "a.jpg", bytes } });
  });

  it("holds a hung call until its client gives up, and a long poll until an update comes", async () => {
    const api = new LocalBotApi({ token, botInfo });
    api.failNext("sendMessage", { kind: "hang" });
    const gaveUp = new AbortController();
    const hung = call(api, "sendMessage", JSON.stringify({ chat_id: 1, text: "x" }), {
      headers: { "content-type": "application/json" },
      signal: gaveUp.signal,
    });
    let settled = false;
    void hung.then(() => {
      settled = true;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(false);
    gaveUp.abort();
    await hung;

    const poll = call(api, "getUpdates", JSON.stringify({ timeout: 30 }), { headers: { "content-type": "application/json" } });
    api.pushUpdate({ update_id: 5 } as Update);
    expect(await (await poll).json()).toEqual({ ok: true, result: [{ update_id: 5 }] });
  });

  it("fails a seeded share of calls with the given kinds, the same for the same seed, and records each failure", async () => {
    const kinds: Failure[] = [
      { kind: "flood", retryAfter: 1 },
      { kind: "error", status: 500 },
      { kind: "hang", delivered: true },
    ];
    const pick = (seed: number) => {
      const hook = faultMix({ rate: 0.2, seed, kinds });
      return Array.from({ length: 2000 }, () => hook({ method: "sendMessage", params: {} }));
    };
    const picked = pick(7);
    expect(pick(7)).toEqual(picked);
    expect(pick(8)).not.toEqual(picked);
    const failed = picked.filter((f) => f !== undefined);
    expect(failed.length).toBeGreaterThan(2000 * 0.17);
    expect(failed.length).toBeLessThan(2000 * 0.23);
    for (const kind of kinds) expect(failed).toContainEqual(kind);
    expect(faultMix({ rate: 1, seed: 1, kinds, methods: ["sendPhoto"] })({ method: "sendMessage", params: {} })).toBeUndefined();

    // A hang after delivery: the message is recorded as delivered, and the answer never comes.
    const api = new LocalBotApi({ token, botInfo });
    api.failWith(({ params }) => (params.chat_id === 2 ? { kind: "hang", delivered: true } : { kind: "error", status: 500 }));
    const json = { "content-type": "application/json" };
    expect((await call(api, "sendMessage", JSON.stringify({ chat_id: 1, text: "x" }), { headers: json })).status).toBe(500);
    const gaveUp = new AbortController();
    const hung = call(api, "sendMessage", JSON.stringify({ chat_id: 2, text: "y" }), { headers: json, signal: gaveUp.signal });
    await new Promise((r) => setTimeout(r, 20));
    gaveUp.abort();
    await hung;
    expect(api.calls.map((c) => [c.params.chat_id, c.failure?.kind, c.result !== undefined])).toEqual([
      [1, "error", false],
      [2, "hang", true],
    ]);
    api.failWith(undefined);
    expect((await call(api, "sendMessage", JSON.stringify({ chat_id: 1, text: "x" }), { headers: json })).status).toBe(200);
  });
});
