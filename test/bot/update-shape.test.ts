/**
 * The shape check at the door (src/bot/update-shape.ts): every update Telegram really sends
 * this bot passes, and a body with a field the bot reads of the wrong type, missing or out
 * of range is refused with a problem that names the field and says why, quoting nothing.
 */
import type { Update } from "grammy/types";
import { describe, expect, it } from "vitest";
import { checkUpdateShape } from "../../src/bot/update-shape";
import { person } from "../support/people";

type Json = Record<string, unknown>;
/** A deep copy to break, typed loosely on purpose: the point is to put wrong types in. */
const copy = (update: Update): Json => JSON.parse(JSON.stringify(update)) as Json;
const at = (obj: Json, ...path: string[]): Json => path.reduce((o, key) => o[key] as Json, obj);

const citizen = person({ id: 4242, first_name: "李华", last_name: "王", username: "lihua", language_code: "zh-hans" });
const officer = person({ id: 9002, first_name: "联络员甲", language_code: "en" });
const BOT = { id: 123456789, is_bot: true, first_name: "Hazardline" };

const myChatMember = (status: string): Update =>
  ({
    update_id: 77_001,
    my_chat_member: {
      chat: { id: -100123, type: "supergroup", title: "城关镇安全生产工作群" },
      from: { id: 9002, is_bot: false, first_name: "联络员甲" },
      date: 1_760_000_000,
      old_chat_member: { user: BOT, status: "member" },
      new_chat_member: { user: BOT, status },
    },
  }) as Update;

const blockedInPrivate: Update = {
  update_id: 77_002,
  my_chat_member: {
    chat: { id: 4242, type: "private", first_name: "李华" },
    from: { id: 4242, is_bot: false, first_name: "李华" },
    date: 1_760_000_000,
    old_chat_member: { user: BOT, status: "member" },
    new_chat_member: { user: BOT, status: "kicked", until_date: 0 },
  },
} as Update;

const REAL: Array<[string, Update]> = [
  ["/start", citizen.says("/start")],
  ["/start with an invite payload", citizen.says("/start inv_abcdefgh")],
  ["plain text", citizen.says("路口的井盖丢了，晚上很危险")],
  ["a text of 4096 characters, emoji included", citizen.says("⚠️".repeat(1024) + "x".repeat(2048))],
  ["a press", citizen.presses("menu:report")],
  ["a press with 64 bytes of data", citizen.presses("x".repeat(64))],
  ["a press in a group", officer.presses("nr:1", { message_id: 1, chat: { id: -100123, type: "supergroup", title: "城关镇安全生产工作群" } })],
  ["a press under a message too old to send (date 0)", citizen.presses("menu:my", { date: 0 })],
  ["a photo", citizen.sendsPhoto("p1")],
  ["a photo of an album, with a caption", citizen.sendsPhoto("p2", { mediaGroupId: "13579", caption: "东侧围挡" })],
  ["a video", citizen.sends({ video: { file_id: "v1", file_unique_id: "uv1", width: 640, height: 480, duration: 3 } })],
  ["a document with a caption", officer.sends({ document: { file_id: "d1", file_unique_id: "ud1", file_name: "通知.pdf" }, caption: "请阅" })],
  ["a location", citizen.sendsLocation(31.2304, 121.4737)],
  ["a location at the edge of the map", citizen.sendsLocation(-90, 180)],
  ["a contact", citizen.sharesContact("+8613800138000")],
  ["someone else's contact, without a user id", citizen.sends({ contact: { phone_number: "10086", first_name: "客服" } })],
  [
    "a sticker",
    citizen.sends({ sticker: { file_id: "s", file_unique_id: "s", type: "regular", width: 512, height: 512, is_animated: false, is_video: false } }),
  ],
  ["a group message", officer.saysInGroup(-100123, "大家好")],
  ["a group command", officer.saysInGroup(-100123, "/bind unit town-a")],
  ["an edited message", citizen.edits("改一下")],
  ["the bot removed from a group", myChatMember("left")],
  ["the bot added to a group", myChatMember("member")],
  ["the bot blocked in a private chat", blockedInPrivate],
  // Kinds the bot did not ask for: no handler takes them, and they pass the door.
  ["a poll", { update_id: 77_003, poll: { id: "p1", question: "?", options: [], total_voter_count: 0, is_closed: true } } as unknown as Update],
  ["a kind Telegram adds later", { update_id: 77_004, brand_new_kind_of_update: { x: 1 } } as unknown as Update],
  [
    "a channel post",
    {
      update_id: 77_005,
      channel_post: { message_id: 3, date: 1_760_000_000, chat: { id: -100999, type: "channel", title: "安全发布" }, text: "公告" },
    } as Update,
  ],
];

describe("updates Telegram really sends", () => {
  it.each(REAL)("%s passes", (_name, update) => {
    expect(checkUpdateShape(update)).toEqual({ ok: true });
  });

  it("fields the bot does not read, or that Telegram adds later, are left alone", () => {
    const update = copy(citizen.says("/start"));
    at(update, "message").reply_to_message = { weird: [1, { deep: null }] };
    at(update, "message", "from").is_premium = true;
    at(update, "message", "from").some_future_field = { anything: "goes" };
    at(update, "message", "chat").first_name = 12; // not read by anything
    expect(checkUpdateShape(update)).toEqual({ ok: true });
  });
});

describe("bodies the bot would fail on", () => {
  const cases: Array<[string, Update, (u: Json) => void, string]> = [
    [
      "a language code that is not a string",
      citizen.says("/start"),
      (u) => {
        at(u, "message", "from").language_code = 5;
      },
      "message.from.language_code: expected string, got number",
    ],
    [
      "a chat that is null",
      citizen.says("你好"),
      (u) => {
        at(u, "message").chat = null;
      },
      "message.chat: expected object, got null",
    ],
    [
      "an entity that is null",
      citizen.says("/help"),
      (u) => {
        at(u, "message").entities = [null];
      },
      "message.entities[0]: expected object, got null",
    ],
    [
      "callback data that is not a string",
      citizen.presses("menu:lang"),
      (u) => {
        at(u, "callback_query").data = 12;
      },
      "callback_query.data: expected string, got number",
    ],
    [
      "callback data over 64 bytes",
      citizen.presses("menu:lang"),
      (u) => {
        at(u, "callback_query").data = "语".repeat(22);
      },
      "callback_query.data: longer than 64 bytes",
    ],
    [
      "a user id past 2^53",
      citizen.says("/start"),
      (u) => {
        at(u, "message", "from").id = 2 ** 63;
      },
      "message.from.id: not a safe integer",
    ],
    [
      "a negative user id",
      citizen.says("/start"),
      (u) => {
        at(u, "message", "from").id = -7;
      },
      "message.from.id: below 1",
    ],
    [
      "a chat id that is a fraction",
      officer.saysInGroup(-100123, "hi"),
      (u) => {
        at(u, "message", "chat").id = -100.5;
      },
      "message.chat.id: expected integer, got fraction",
    ],
    [
      "a message without a sender",
      citizen.says("/start"),
      (u) => {
        delete at(u, "message").from;
      },
      "message.from: missing",
    ],
    [
      "a text of 10,000 characters",
      citizen.says("hi"),
      (u) => {
        at(u, "message").text = "x".repeat(10_000);
      },
      "message.text: longer than 4096 characters",
    ],
    [
      "a caption over 1024 characters",
      citizen.sendsPhoto("p3", { caption: "ok" }),
      (u) => {
        at(u, "message").caption = "y".repeat(1025);
      },
      "message.caption: longer than 1024 characters",
    ],
    [
      "entities without their text",
      citizen.says("/start"),
      (u) => {
        delete at(u, "message").text;
      },
      "message.entities: entities without text",
    ],
    [
      "a photo without sizes",
      citizen.sendsPhoto("p4"),
      (u) => {
        at(u, "message").photo = [];
      },
      "message.photo: fewer than 1 items",
    ],
    [
      "a photo size without its file id",
      citizen.sendsPhoto("p5"),
      (u) => {
        delete (at(u, "message").photo as Json[])[1]!.file_id;
      },
      "message.photo[1].file_id: missing",
    ],
    [
      "a latitude off the globe",
      citizen.sendsLocation(30, 120),
      (u) => {
        at(u, "message", "location").latitude = 91;
      },
      "message.location.latitude: above 90",
    ],
    [
      "a contact's phone that is an object",
      citizen.sharesContact("13800138000"),
      (u) => {
        at(u, "message", "contact").phone_number = {};
      },
      "message.contact.phone_number: expected string, got object",
    ],
    [
      "a press without the message it was under",
      citizen.presses("menu:report"),
      (u) => {
        delete at(u, "callback_query").message;
      },
      "callback_query.message: missing",
    ],
    [
      "a press without its query id",
      citizen.presses("menu:report"),
      (u) => {
        delete at(u, "callback_query").id;
      },
      "callback_query.id: missing",
    ],
    [
      "a member update without the new status",
      myChatMember("left"),
      (u) => {
        delete at(u, "my_chat_member", "new_chat_member").status;
      },
      "my_chat_member.new_chat_member.status: missing",
    ],
    [
      "a member update whose date is negative",
      myChatMember("left"),
      (u) => {
        at(u, "my_chat_member").date = -1;
      },
      "my_chat_member.date: below 0",
    ],
    [
      "two kinds in one update",
      citizen.says("/start"),
      (u) => {
        u.callback_query = { id: "1" };
      },
      "update: more than one kind",
    ],
    [
      "an unasked kind whose sender grammY would read is malformed",
      citizen.says("/start"),
      (u) => {
        u.chat_join_request = { chat: { id: -1, type: "supergroup" }, from: { id: "x" } };
        delete u.message;
      },
      "chat_join_request.from.id: expected number, got string",
    ],
    [
      "an update id that is a string",
      citizen.says("/start"),
      (u) => {
        u.update_id = "7";
      },
      "update_id: expected number, got string",
    ],
  ];

  it.each(cases)("%s is refused, and the problem names the field", (_name, update, breakIt, problem) => {
    const body = copy(update);
    breakIt(body);
    expect(checkUpdateShape(body)).toEqual({ ok: false, problem });
  });

  it("refuses what is not an object at all", () => {
    for (const body of [null, [], "update", 7, undefined])
      expect(checkUpdateShape(body)).toEqual({ ok: false, problem: "update: expected an object" });
  });

  it("never quotes the body in the problem, only the schema's own words", () => {
    const secret = "电话13800138000-身份证";
    const body = copy(citizen.says(secret));
    at(body, "message", "from").first_name = secret.repeat(400);
    const verdict = checkUpdateShape(body);
    expect(verdict.ok).toBe(false);
    expect(JSON.stringify(verdict)).not.toContain("13800138000");
  });
});
