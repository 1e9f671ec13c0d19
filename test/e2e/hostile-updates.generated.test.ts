/**
 * Whole hostile updates through the webhook, generated (issue 17, point 1). Where
 * hostile-updates.test.ts breaks one field of eight real updates, this file has fast-check
 * build entire updates: every update kind the bot knows and some it does not, every chat
 * type, senders that are staff, citizens, strangers, bots, missing or out of range, commands
 * with and without arguments, Chinese and huge texts, files where text is due, replies
 * nested in replies, entities that point nowhere, callback data in every real button format
 * with forged, stale, miscounted and overlong arguments, and garbage put anywhere in the
 * body. Between them go bodies that are not updates (not JSON, no update_id) and bodies over
 * the 1 MiB limit. Some presses are real: they tap a button the bot really sent the sender,
 * or name the draft the sender really has open, so the flows and the case workflow run too;
 * and a few citizens report hazards step by step at the same time, so there are fresh cards
 * for the staff's taps.
 *
 * Every response is 200, or 400 for a body that is not an update, or 413 for one over the
 * limit; never 5xx. No Bot API call breaks Telegram's rules (the fake checks each), no handler
 * fails, and afterwards the database is sound.
 *
 * CI runs 800 updates (about 30 s on a busy 2-core machine); the long version posts 10,000:
 *   SOAK=1 npx vitest run test/e2e/hostile-updates.generated.test.ts
 */
import { request } from "node:http";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cases, chats, members } from "../../db/schema";
import { MAX_UPDATE_BYTES } from "../../src/app";
import { CARD_CODES, SHOW_EVIDENCE, VIEW } from "../../src/domain/case-buttons";
import { COMMAND_NAMES } from "../../src/domain/commands";
import { STEPS } from "../../src/domain/report-draft";
import { SEVERITIES } from "../../src/domain/workflow";
import { Conversation } from "../support/conversation";
import { seedSmallCounty } from "../support/county";
import { TEST_BOT_INFO } from "../support/fake-bot-api";
import { askQuestion, fillHazardReport, type HazardReport, reportHazard } from "../support/flows";
import { type Harness, startHarness, WEBHOOK_SECRET } from "../support/harness";
import { expectSoundDatabase } from "../support/integrity";
import { person } from "../support/people";

const SOAK = Number(process.env.SOAK ?? 0) > 0;
/** Updates posted: enough in CI to reach every generator many times, within the file's time budget. */
const UPDATES = SOAK ? 10_000 : 800;
/** Citizens reporting step by step alongside the generated traffic. */
const SCRIPTED_REPORTS = SOAK ? 12 : 3;
const IN_FLIGHT = 8;
const SEED = 17_001;

const BOT = { id: TEST_BOT_INFO.id, is_bot: true, first_name: TEST_BOT_INFO.first_name, username: TEST_BOT_INFO.username };
const STAFF = { dispatcher: 9801, liaison: 9802, leader: 9803, admin: 9804, removed: 9805 } as const;
const STAFF_IDS = Object.values(STAFF);
const TOWN_A_GROUP = -100_980_001;
const DISPATCHERS_GROUP = -100_980_002;
const LEADERS_GROUP = -100_980_003;
const REAL_GROUPS = [TOWN_A_GROUP, DISPATCHERS_GROUP, LEADERS_GROUP];
/** Citizens the generator sends as: few enough that they build up drafts and keyboards, many enough to stay under flood control. */
const CITIZENS = Array.from({ length: SOAK ? 200 : 60 }, (_, i) => 9900 + i);

let h: Harness;

// ── What the generator refers to, filled in at send time ───────────────────────────────────

interface World {
  cases: Array<{ id: number; number: string; version: number }>;
  memberIds: number[];
  /** The newest inline keyboard the bot sent or edited into each chat: its message and its buttons' data. */
  keyboards: Map<number, { messageId: number; data: string[] }>;
}
const world: World = { cases: [], memberIds: [], keyboards: new Map() };

async function refreshCases(): Promise<void> {
  world.cases = await h.hazardline.db.select({ id: cases.id, number: cases.number, version: cases.version }).from(cases);
}

/** Placeholders a generated string may hold, replaced with real ids (chosen by `pick`) when it is posted. */
function fillIn(text: string, pick: number): string {
  if (!text.includes("{")) return text;
  const c = world.cases[pick % Math.max(1, world.cases.length)];
  const member = world.memberIds[pick % Math.max(1, world.memberIds.length)] ?? 1;
  return text
    .replaceAll("{CASEID}", String(c?.id ?? 1))
    .replaceAll("{VERSION}", String(c?.version ?? 0))
    .replaceAll("{NUMBER}", c?.number ?? "YH-20260101-0001")
    .replaceAll("{MEMBER}", String(member));
}

// ── Generators ─────────────────────────────────────────────────────────────────────────────

/** A value of the wrong kind for wherever it lands. */
const garbage: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 0.5, 1e20, 2 ** 63, -(2 ** 53), "", "x".repeat(5000), {}, [], [null], { id: 1 }, "2026-01-01"),
  fc.string({ maxLength: 12, unit: "grapheme" }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.array(fc.integer(), { maxLength: 3 }),
);

const userId = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...STAFF_IDS) },
  { weight: 8, arbitrary: fc.constantFrom(...CITIZENS) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }) },
  { weight: 1, arbitrary: fc.constantFrom(Number.MAX_SAFE_INTEGER, 2 ** 53, 2 ** 63, 0, -1, -(2 ** 31), 1.5) },
);

const name = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom("王小明", "张三", "李 四", "Ann", "Юрий", "🚧", "") },
  { weight: 2, arbitrary: fc.string({ maxLength: 20, unit: "grapheme" }) },
  { weight: 1, arbitrary: fc.integer({ min: 60, max: 1500 }).map((n) => "名".repeat(n)) },
);

const user = fc.record(
  {
    id: userId,
    is_bot: fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    first_name: name,
    last_name: name,
    username: fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_]{3,20}$/),
    language_code: fc.constantFrom("zh-hans", "zh-hant", "en", "en-US", "ru", "fr", "", "x".repeat(40)),
  },
  { requiredKeys: ["id", "is_bot", "first_name"] },
);

type UserSpec = Record<string, unknown> & { id: unknown };
/** Who sends: usually someone, sometimes nobody, sometimes the bot itself, sometimes not a user at all. */
const sender: fc.Arbitrary<UserSpec | undefined | unknown> = fc.oneof(
  { weight: 20, arbitrary: user },
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constant(BOT) },
  { weight: 1, arbitrary: garbage },
);

type ChatPick =
  | { kind: "own" }
  | { kind: "private"; id: number }
  | { kind: "group" | "supergroup" | "channel"; id: number }
  | { kind: "garbage"; value: unknown };
const chatPick: fc.Arbitrary<ChatPick> = fc.oneof(
  { weight: 12, arbitrary: fc.constant<ChatPick>({ kind: "own" }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 2 ** 40 }).map((id): ChatPick => ({ kind: "private", id })) },
  {
    weight: 5,
    arbitrary: fc
      .tuple(
        fc.constantFrom("group" as const, "supergroup" as const),
        fc.oneof(fc.constantFrom(...REAL_GROUPS), fc.integer({ min: -(2 ** 52), max: -1 })),
      )
      .map(([kind, id]): ChatPick => ({ kind, id })),
  },
  { weight: 2, arbitrary: fc.integer({ min: -(2 ** 52), max: -1 }).map((id): ChatPick => ({ kind: "channel", id })) },
  { weight: 1, arbitrary: garbage.map((value): ChatPick => ({ kind: "garbage", value })) },
);

function chatOf(pick: ChatPick, from: unknown): unknown {
  const fromId = (from as { id?: unknown } | undefined)?.id;
  switch (pick.kind) {
    case "own":
      return { id: typeof fromId === "number" ? fromId : 1, type: "private", first_name: "王小明" };
    case "private":
      return { id: pick.id, type: "private", first_name: "陌生人" };
    case "garbage":
      return pick.value;
    default:
      return { id: pick.id, type: pick.kind, title: pick.kind === "channel" ? "清河发布" : "安委办工作群" };
  }
}

const CHINESE = [
  "工地东侧的围挡倒了，压住了人行道",
  "脚手架没有安全网，工人高空作业不系安全带。",
  "加油站旁边有人卖散装汽油",
  "请问危化品仓库的审批需要哪些材料？",
  "明天",
  "2026-12-31",
  "辖区调整，应由其他单位办理。",
  "已约谈施工单位负责人，要求今日内搭设安全网。",
  "张三",
  "YH-20260101-0001",
];

/** A command (known or made up), to the bot or another, with arguments that may name a real case. */
const command = fc
  .tuple(
    fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...COMMAND_NAMES) }, { weight: 1, arbitrary: fc.stringMatching(/^[a-z_]{1,12}$/) }),
    fc.constantFrom("", "", "", `@${TEST_BOT_INFO.username}`, "@other_bot"),
    fc.oneof(
      { weight: 4, arbitrary: fc.constant("") },
      {
        weight: 2,
        arbitrary: fc.constantFrom(" {NUMBER}", " {CASEID}", " station-a", " office", " station-a liaison", " unit station-a", " dispatchers"),
      },
      { weight: 1, arbitrary: fc.constantFrom(" inv_abcdefgh", " inv_", " zh-CN", " en", " 2026-01", " 08:00 每日巡查") },
      { weight: 1, arbitrary: fc.string({ maxLength: 40, unit: "grapheme" }).map((s) => ` ${s}`) },
    ),
  )
  .map(([cmd, to, args]) => `/${cmd}${to}${args}`);

const text = fc.oneof(
  { weight: 6, arbitrary: command },
  { weight: 4, arbitrary: fc.constantFrom(...CHINESE) },
  { weight: 2, arbitrary: fc.string({ maxLength: 200, unit: "grapheme" }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200, unit: "binary" }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 1000, max: 5000 }), fc.constantFrom("隐", "a", "🚧", "患 "))
      .map(([n, unit]) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n)),
  },
);

/** Entities as Telegram sends them for a command, or wrong: pointing past the text, negative, of no type, not a list. */
const entitiesFor = (t: string): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant(t.startsWith("/") ? [{ type: "bot_command", offset: 0, length: t.split(/\s/)[0]!.length }] : undefined) },
    {
      weight: 2,
      arbitrary: fc.array(
        fc.record({
          type: fc.constantFrom("bot_command", "mention", "url", "bold", "text_link", "nonsense"),
          offset: fc.integer({ min: -5, max: 6000 }),
          length: fc.integer({ min: -5, max: 6000 }),
        }),
        { maxLength: 4 },
      ),
    },
    { weight: 1, arbitrary: garbage },
  );

const fileId = fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{8,40}$/), { weight: 1, arbitrary: fc.constantFrom("", "x".repeat(600)) });
const file = fc.record({ file_id: fileId, file_unique_id: fileId, file_size: fc.nat() }, { requiredKeys: ["file_id", "file_unique_id"] });
const caption = fc.option(
  fc.oneof(
    fc.constantFrom(...CHINESE),
    fc.integer({ min: 900, max: 1200 }).map((n) => "图".repeat(n)),
  ),
  { nil: undefined },
);
const coordinate = (limit: number) =>
  fc.oneof(fc.double({ min: -limit, max: limit, noNaN: true }), fc.constantFrom(36.9, 115.9, limit + 1, -limit - 1));

/** What a message carries: text, or one of the files and things Telegram sends where text may be due. */
const content: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  { weight: 10, arbitrary: text.chain((t) => entitiesFor(t).map((entities) => ({ text: t, entities }))) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fc.array(
          file.map((f) => ({ ...f, width: 1280, height: 960 })),
          { maxLength: 4 },
        ),
        caption,
        fc.option(fc.stringMatching(/^[0-9]{6,12}$/), { nil: undefined }),
      )
      .map(([photo, c, album]) => ({ photo, caption: c, media_group_id: album })),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(file, caption).map(([f, c]) => ({ document: { ...f, file_name: "整改.pdf", mime_type: "application/pdf" }, caption: c })),
  },
  { weight: 1, arbitrary: file.map((f) => ({ voice: { ...f, duration: 3, mime_type: "audio/ogg" } })) },
  { weight: 1, arbitrary: fc.tuple(file, caption).map(([f, c]) => ({ video: { ...f, width: 640, height: 480, duration: 5 }, caption: c })) },
  { weight: 1, arbitrary: file.map((f) => ({ sticker: { ...f, type: "regular", width: 512, height: 512, is_animated: false, is_video: false } })) },
  { weight: 2, arbitrary: fc.record({ latitude: coordinate(90), longitude: coordinate(180) }).map((location) => ({ location })) },
  {
    weight: 2,
    arbitrary: fc
      .record({
        phone_number: fc.constantFrom("+8613800138000", "13700001111", "", "电话", "1".repeat(300)),
        first_name: name,
        user_id: fc.option(userId, { nil: undefined }),
      })
      .map((contact) => ({ contact })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ latitude: coordinate(90), longitude: coordinate(180) })
      .map((location) => ({ location, venue: { location, title: "加油站", address: "城关镇" } })),
  },
  {
    weight: 1,
    arbitrary: fc.constant({
      poll: {
        id: "p1",
        question: "?",
        options: [],
        total_voter_count: 0,
        is_closed: false,
        is_anonymous: true,
        type: "regular",
        allows_multiple_answers: false,
      },
    }),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      { dice: { emoji: "🎲", value: 3 } },
      { group_chat_created: true },
      { new_chat_members: [BOT] },
      { left_chat_member: BOT },
      {},
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      { migrate_to_chat_id: -100_123 },
      { new_chat_title: "新群名" },
      { pinned_message: { message_id: 1, date: 0, chat: { id: 1, type: "private" } } },
    ),
  },
);

/** Callback data in each real family's format, with real or forged ids, stale versions, miscounted fields, over 64 bytes, or bytes. */
const callbackData: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 9 }).map((n) => `\u0001TAP:${n}`) },
  {
    weight: 3,
    arbitrary: fc
      .constantFrom(
        "resume",
        "cancel",
        "skip",
        "done",
        "submit",
        "edit",
        "kind:hazard",
        "kind:violation",
        "sector:construction",
        "region:town-a",
        "region:nowhere",
        "urgent:1",
        "anon:0",
        "anon:1",
        "reward:0",
        "source:phone",
        ...STEPS.map((s) => `field:${s}`),
      )
      .map((what) => `\u0001DRAFT:${what}`),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "menu:report",
      "menu:ask",
      "menu:my",
      "menu:lang",
      "menu:x",
      "lang:zh-CN",
      "lang:en",
      "lang:fr",
      "mts:send",
      "si:done",
      "ratec:skip",
      "ratec:complaint",
      "dg:supervised",
      "dg:ranking",
      "dg:stats",
      "bd:dispatchers",
      "bd:leaders",
      "bd:u:station-a",
      "bd:u:nowhere",
      "nt:cancel",
      "nt:all",
      "nt:next",
      "nt:back",
      "nt:send",
      "nt:u:station-a",
      "pb:cancel",
    ),
  },
  {
    weight: 4,
    arbitrary: fc
      .tuple(
        fc.constantFrom("{VERSION}", "{VERSION}", "0", "1", "99", "-1", "x"),
        fc.oneof(
          fc.constantFrom(...CARD_CODES, VIEW, SHOW_EVIDENCE),
          fc.constantFrom(
            "tu:station-a",
            "tu:nowhere",
            "au:station-a",
            "ax:station-a",
            "am:{MEMBER}",
            "am:0",
            ...SEVERITIES.map((s) => `sv:${s}`),
            "sv:x",
            "zz",
          ),
        ),
      )
      .map(([version, code]) => `c:{CASEID}:${version}:${code}`),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "st:{CASEID}",
      "rate:{CASEID}:5",
      "rate:{CASEID}:1",
      "rate:{CASEID}:9",
      "mt:{CASEID}",
      "fu:{CASEID}",
      "pb:{CASEID}:listed",
      "pb:{CASEID}:closed",
      "nr:1",
      "nr:{MEMBER}",
    ),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "c:0:0:acc",
      "c:99999999:0:acc",
      "c:1e20:0:acc",
      "c:{CASEID}:{VERSION}:acc:extra",
      "c:{CASEID}",
      "c:",
      "st:",
      "st:{CASEID}:{CASEID}",
      "rate:{CASEID}",
      "d:aaaaaaaa:submit",
      "d:AAAAAAAA:submit",
      "d::",
      "new:report:aaaaaaaa",
      "new:intake:zzzzzzzz",
      "menu:report:extra",
      "lang:",
      ":",
      "",
    ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 65, max: 200 }).map((n) => `c:${"9".repeat(n)}`) },
  { weight: 1, arbitrary: fc.string({ maxLength: 64, unit: "binary" }) },
  { weight: 1, arbitrary: fc.string({ minLength: 20, maxLength: 40, unit: "grapheme" }) },
);

/** A message as its chat and sender would send it, maybe replying to one that replies to another. */
const messageOf = (opts: { edited?: boolean; channel?: boolean } = {}) =>
  fc
    .record({
      from: opts.channel ? fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: sender }) : sender,
      chat: opts.channel ? fc.integer({ min: -(2 ** 52), max: -1 }).map((id): ChatPick => ({ kind: "channel", id })) : chatPick,
      content,
      messageId: fc.oneof({ weight: 20, arbitrary: fc.integer({ min: 1, max: 2 ** 31 }) }, { weight: 1, arbitrary: fc.constantFrom(0, -1) }),
      replies: fc.nat({ max: 3 }),
      thread: fc.oneof({ weight: 8, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 1000 }) }),
    })
    .map(({ from, chat, content: c, messageId, replies, thread }) => {
      const theChat = chatOf(chat, from);
      const base = {
        message_id: messageId,
        date: Math.floor(Date.now() / 1000),
        chat: theChat,
        ...(from === undefined ? {} : { from }),
        ...(opts.channel ? { sender_chat: theChat } : {}),
        ...(opts.edited ? { edit_date: Math.floor(Date.now() / 1000) } : {}),
        ...(thread === undefined ? {} : { message_thread_id: thread, is_topic_message: true }),
      };
      let reply: Record<string, unknown> | undefined;
      for (let depth = 0; depth < replies; depth++) {
        reply = {
          message_id: depth + 1,
          date: 0,
          chat: theChat,
          from: depth % 2 ? BOT : from,
          text: CHINESE[depth],
          ...(reply ? { reply_to_message: reply } : {}),
        };
      }
      return { ...base, ...c, ...(reply ? { reply_to_message: reply } : {}) };
    });

const STATUSES = ["member", "left", "kicked", "administrator", "restricted", "creator", "banned"] as const;
const memberChange = fc
  .record({
    from: sender,
    chat: chatPick,
    old: fc.constantFrom(...STATUSES),
    now: fc.constantFrom(...STATUSES),
    whose: fc.oneof(fc.constant(BOT), user),
  })
  .map(({ from, chat, old, now, whose }) => ({
    chat: chatOf(chat, from),
    from,
    date: Math.floor(Date.now() / 1000),
    old_chat_member: { user: whose, status: old },
    new_chat_member: { user: whose, status: now, until_date: 0 },
  }));

const press = fc
  .record({
    from: sender,
    chat: fc.oneof({ weight: 6, arbitrary: fc.constant<ChatPick>({ kind: "own" }) }, { weight: 1, arbitrary: chatPick }),
    data: fc.oneof({ weight: 20, arbitrary: callbackData }, { weight: 1, arbitrary: fc.constant(undefined) }),
    dated: fc.boolean(),
    withMessage: fc.oneof({ weight: 12, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    inline: fc.oneof({ weight: 10, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constant("inl-1") }),
  })
  .map(({ from, chat, data, dated, withMessage, inline }) => ({
    id: "cq-fuzz",
    from,
    chat_instance: "ci-fuzz",
    ...(data === undefined ? {} : { data }),
    ...(inline === undefined ? {} : { inline_message_id: inline }),
    ...(withMessage
      ? { message: { message_id: 1, date: dated ? Math.floor(Date.now() / 1000) : 0, chat: chatOf(chat, from), from: BOT, text: "…" } }
      : {}),
  }));

/** Someone who is really there (staff, or a citizen of the pool) doing what people do: pressing a button the bot sent them, or typing. */
const REAL_PEOPLE = [...STAFF_IDS, STAFF.liaison, STAFF.dispatcher, ...CITIZENS.slice(0, 12)];
const realPerson = fc.constantFrom(...REAL_PEOPLE).map((id) => ({ id, is_bot: false, first_name: "王小明", language_code: "zh-hans" }));
const realTap = fc.tuple(realPerson, fc.nat({ max: 9 })).map(([from, n]) => ({
  callback_query: {
    id: `tap-${n}`,
    from,
    chat_instance: "ci-real",
    data: `\u0001TAP:${n}`,
    message: {
      message_id: 1,
      date: Math.floor(Date.now() / 1000),
      chat: { id: from.id, type: "private", first_name: from.first_name },
      from: BOT,
      text: "…",
    },
  },
}));
const realWords = fc
  .tuple(realPerson, fc.oneof(fc.constantFrom(...CHINESE), command), fc.integer({ min: 1, max: 2 ** 31 }))
  .map(([from, t, messageId]) => ({
    message: {
      message_id: messageId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: from.id, type: "private", first_name: from.first_name },
      from,
      text: t,
      ...(t.startsWith("/") ? { entities: [{ type: "bot_command", offset: 0, length: t.split(/\s/)[0]!.length }] } : {}),
    },
  }));

/** An update's one kind and its body (sometimes two kinds, sometimes none, sometimes one nobody knows). */
const updateBody: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  { weight: 8, arbitrary: realTap },
  { weight: 5, arbitrary: realWords },
  { weight: 14, arbitrary: messageOf().map((message) => ({ message })) },
  { weight: 10, arbitrary: press.map((callback_query) => ({ callback_query })) },
  { weight: 2, arbitrary: messageOf({ edited: true }).map((edited_message) => ({ edited_message })) },
  { weight: 1, arbitrary: messageOf({ channel: true }).map((channel_post) => ({ channel_post })) },
  { weight: 1, arbitrary: messageOf({ channel: true, edited: true }).map((edited_channel_post) => ({ edited_channel_post })) },
  { weight: 1, arbitrary: messageOf().map((business_message) => ({ business_message: { ...business_message, business_connection_id: "bc-1" } })) },
  { weight: 2, arbitrary: memberChange.map((my_chat_member) => ({ my_chat_member })) },
  { weight: 1, arbitrary: memberChange.map((chat_member) => ({ chat_member })) },
  {
    weight: 1,
    arbitrary: fc.record({ from: sender, query: text }).map(({ from, query }) => ({ inline_query: { id: "iq-1", from, query, offset: "" } })),
  },
  {
    weight: 1,
    arbitrary: fc.record({ from: sender, query: text }).map(({ from, query }) => ({ chosen_inline_result: { result_id: "r1", from, query } })),
  },
  {
    weight: 1,
    arbitrary: fc.record({ user: sender, chat: chatPick }).map(({ user: u, chat }) => ({
      message_reaction: {
        chat: chatOf(chat, u),
        message_id: 5,
        ...(u === undefined ? {} : { user: u }),
        date: 1,
        old_reaction: [],
        new_reaction: [{ type: "emoji", emoji: "👍" }],
      },
    })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ from: sender, chat: chatPick })
      .map(({ from, chat }) => ({ chat_join_request: { chat: chatOf(chat, from), from, user_chat_id: 7, date: 1 } })),
  },
  { weight: 1, arbitrary: fc.record({ user: sender }).map(({ user: u }) => ({ poll_answer: { poll_id: "p1", user: u, option_ids: [0] } })) },
  {
    weight: 1,
    arbitrary: fc
      .record({ from: sender })
      .map(({ from }) => ({ pre_checkout_query: { id: "pc", from, currency: "XTR", total_amount: 1, invoice_payload: "x" } })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.stringMatching(/^[a-z_]{1,20}$/), fc.oneof(garbage, fc.record({ from: sender, chat: chatPick })))
      .map(([kind, value]) => ({ [kind]: value })),
  },
  { weight: 1, arbitrary: fc.tuple(messageOf(), press).map(([message, callback_query]) => ({ message, callback_query })) },
  { weight: 1, arbitrary: fc.constant({}) },
);

type Path = Array<string | number>;
/** Every place in the body a value sits, nested objects and arrays included. */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (typeof value !== "object" || value === null) return [];
  const entries: Array<[string | number, unknown]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return entries.flatMap(([key, child]) => [[...prefix, key], ...pathsOf(child, [...prefix, key])]);
}

/** Where garbage goes: a fraction of the way through the body's paths, so it lands wherever the body has a field. */
const spoil = fc.array(
  fc.record({ at: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), value: fc.option(garbage, { nil: undefined }) }),
  {
    maxLength: 3,
  },
);

type Op =
  | { kind: "update"; body: Record<string, unknown>; updateId: "fresh" | unknown; spoil: Array<{ at: number; value: unknown }>; pick: number }
  | { kind: "not-json"; body: string }
  | { kind: "oversized"; streamed: boolean; asUpdate: boolean };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 85,
    arbitrary: fc
      .record({
        body: updateBody,
        updateId: fc.oneof(
          { weight: 30, arbitrary: fc.constant("fresh") },
          { weight: 1, arbitrary: fc.constantFrom(undefined, null, "7", 1.5, 2 ** 63, -(2 ** 60), [1], {}) },
        ),
        spoil: fc.oneof({ weight: 3, arbitrary: fc.constant<Array<{ at: number; value: unknown }>>([]) }, { weight: 1, arbitrary: spoil }),
        pick: fc.nat(),
      })
      .map((o): Op => ({ kind: "update", ...o })),
  },
  {
    weight: 3,
    arbitrary: fc
      .oneof(
        fc.constantFrom("{not json", "", "null", "[]", "42", '"text"', "<update/>", '{"update_id":1,', "\u0000\u0001", '{"message":{}}'),
        fc.string({ maxLength: 50, unit: "binary" }),
        fc.json().filter((j) => !/"update_id"/.test(j)),
      )
      .map((body): Op => ({ kind: "not-json", body })),
  },
  { weight: 1, arbitrary: fc.record({ streamed: fc.boolean(), asUpdate: fc.boolean() }).map((o): Op => ({ kind: "oversized", ...o })) },
);

// ── Posting ────────────────────────────────────────────────────────────────────────────────

let nextUpdateId = 600_000_000;
/** Presses of a button the bot had really sent to the chat. */
let realPresses = 0;
const HEADERS = { "content-type": "application/json", "X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET };
const fetchTelegram = (body: string) => fetch(`${h.baseUrl}/telegram`, { method: "POST", headers: HEADERS, body });

/**
 * A body over the limit, with its length or streamed without one, on a connection of its own:
 * the server answers 413 without reading the rest and then closes the connection rather than
 * read megabytes it has refused, so a kept-alive connection shared with other requests would
 * see that close as an error of its own. The answer is read as soon as it arrives, even while
 * the body is still being written.
 */
function postOversized(text: string, streamed: boolean): Promise<number> {
  const bytes = Buffer.from(text);
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(
      `${h.baseUrl}/telegram`,
      { method: "POST", agent: false, headers: { ...HEADERS, ...(streamed ? {} : { "content-length": bytes.length }) } },
      (res) => {
        answered = true;
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    // Writing the rest after the answer may meet the closed connection: that is the refusal working.
    req.on("error", (err) => {
      if (!answered) reject(err);
    });
    if (!streamed) req.end(bytes);
    else {
      for (let at = 0; at < bytes.length; at += 64 * 1024) req.write(bytes.subarray(at, at + 64 * 1024));
      req.end();
    }
  });
}

/** Turns the generated update into the body to post: real ids in, a real draft or button pressed, garbage put in. */
async function materialize(o: Extract<Op, { kind: "update" }>): Promise<Record<string, unknown>> {
  const body = JSON.parse(fillIn(JSON.stringify(o.body), o.pick)) as Record<string, unknown>;
  const query = body.callback_query as
    | { data?: unknown; from?: { id?: unknown }; message?: { message_id?: unknown; chat?: { id?: unknown } } }
    | undefined;
  if (typeof query?.data === "string" && query.data.startsWith("\u0001")) {
    const fromId = typeof query.from?.id === "number" ? query.from.id : 0;
    if (query.data.startsWith("\u0001TAP:")) {
      // A button the bot really sent to this chat, on the message it really sent.
      const chatId = typeof query.message?.chat?.id === "number" ? query.message.chat.id : fromId;
      const keyboard = world.keyboards.get(chatId);
      if (keyboard) realPresses++;
      const n = Number(query.data.slice(5));
      query.data = keyboard?.data[n % keyboard.data.length] ?? "menu:report";
      if (keyboard && query.message) query.message.message_id = keyboard.messageId;
    } else {
      // The draft the sender really has open, or a made-up one.
      const draft = Number.isSafeInteger(fromId) && fromId > 0 ? await h.hazardline.services.drafts.get(fromId) : null;
      query.data = `d:${draft?.id ?? "zzzzzzzz"}:${query.data.slice(7)}`;
    }
  }
  body.update_id = o.updateId === "fresh" ? nextUpdateId++ : o.updateId;
  for (const { at, value } of o.spoil) {
    const paths = pathsOf(body);
    const path = paths[Math.floor(at * paths.length)];
    if (path === undefined) continue;
    const parent = path.slice(0, -1).reduce<Record<string | number, unknown>>((p, key) => p[key] as Record<string | number, unknown>, body);
    const key = path.at(-1)!;
    if (value !== undefined) parent[key] = value;
    else if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  }
  return body;
}

interface Outcome {
  status: number;
  expected: number[];
  what: string;
}

async function post(o: Op): Promise<Outcome> {
  if (o.kind === "not-json") return { status: (await fetchTelegram(o.body)).status, expected: [400], what: `not an update: ${o.body.slice(0, 80)}` };
  if (o.kind === "oversized") {
    const filler = "患".repeat(Math.ceil(MAX_UPDATE_BYTES / 3) + 10);
    const text = o.asUpdate
      ? JSON.stringify({ update_id: nextUpdateId++, message: { message_id: 1, date: 1, chat: { id: 9900, type: "private" }, text: filler } })
      : filler;
    return { status: await postOversized(text, o.streamed), expected: [413], what: `oversized${o.streamed ? ", streamed" : ""}` };
  }
  const body = await materialize(o);
  const isUpdate = Number.isSafeInteger(body.update_id);
  const res = await fetchTelegram(JSON.stringify(body));
  return { status: res.status, expected: isUpdate ? [200] : [400], what: JSON.stringify(body).slice(0, 600) };
}

/** Runs `work` over `items` with at most `limit` at a time. */
async function pool<T>(items: T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        await work(items[i]!, i);
      }
    }),
  );
}

/**
 * The citizen's report flow, as reportHazard goes, but the confirmation is looked for among the
 * replies rather than first: with other traffic draining the outbox, the notice that the new
 * case was routed can reach the citizen before the handler's own reply does.
 */
async function reportStepByStep(c: Conversation, r: HazardReport): Promise<string> {
  await fillHazardReport(c, r);
  const replies = await c.tap("提交");
  const number = replies.map((t) => /编号：(YH-\d{8}-\d{4})/.exec(t)?.[1]).find((n) => n !== undefined);
  expect(number, replies.join(" | ")).toBeDefined();
  return number!;
}

// ── The run ────────────────────────────────────────────────────────────────────────────────

beforeAll(async () => {
  h = await startHarness();
  const db = h.hazardline.db;
  await seedSmallCounty(db);
  const inserted = await db
    .insert(members)
    .values([
      { telegramId: STAFF.dispatcher, unitId: "office", roles: ["dispatcher"], name: "调度员" },
      { telegramId: STAFF.liaison, unitId: "station-a", roles: ["liaison"], name: "联络员甲" },
      { telegramId: STAFF.leader, unitId: "office", roles: ["leader"], name: "领导" },
      { telegramId: STAFF.admin, unitId: "office", roles: ["admin"], name: "管理员" },
      { telegramId: STAFF.removed, unitId: "station-a", roles: ["liaison"], name: "已调离", active: false },
    ])
    .returning({ id: members.id });
  world.memberIds = inserted.map((m) => m.id);
  await db.insert(chats).values([
    { chatId: TOWN_A_GROUP, title: "城关镇安全生产工作群", purpose: "unit", unitId: "station-a" },
    { chatId: DISPATCHERS_GROUP, title: "调度群", purpose: "dispatchers" },
    { chatId: LEADERS_GROUP, title: "领导群", purpose: "leaders" },
  ]);
  // The newest keyboard in every chat, for the presses that tap a real button.
  h.fake.subscribe((call) => {
    const rows = (call.params.reply_markup as { inline_keyboard?: Array<Array<{ callback_data?: string }>> } | undefined)?.inline_keyboard;
    const chatId = Number(call.params.chat_id);
    if (!rows || !Number.isSafeInteger(chatId)) return;
    const data = rows.flat().flatMap((b) => (b.callback_data ? [b.callback_data] : []));
    const messageId =
      call.method === "editMessageText" ? Number(call.params.message_id) : (call.result as { message_id?: number } | undefined)?.message_id;
    if (data.length > 0 && messageId !== undefined) world.keyboards.set(chatId, { messageId, data });
  });
  // Real cases first, so forged and stale presses can name them.
  await reportHazard(new Conversation(h, person({ id: 9850 })), { text: "脚手架没有安全网，工人高空作业不系安全带。" });
  await reportHazard(new Conversation(h, person({ id: 9851 })), { text: "加油站旁边有人卖散装汽油", phone: "13700001111" });
  await askQuestion(new Conversation(h, person({ id: 9852 })), "请问危化品仓库的审批需要哪些材料？");
  await h.tick(Date.now());
  await refreshCases();
}, 60_000);
afterAll(() => h?.stop());

describe("generated hostile updates through the webhook", () => {
  it(
    `${UPDATES} updates, bodies that are not updates and bodies over the limit: never a 5xx, no handler fails, the database stays sound`,
    async () => {
      const ops = fc.sample(op, { numRuns: UPDATES, seed: SEED });
      const casesBefore = world.cases.length;
      const callsBefore = h.fake.calls.length;
      const statuses = new Map<number, number>();
      const wrong: Outcome[] = [];

      // Citizens reporting step by step while the generated traffic runs: fresh cards for the staff to tap.
      const scripted = Array.from({ length: SCRIPTED_REPORTS }, (_, i) =>
        reportStepByStep(new Conversation(h, person({ id: 9860 + i })), {
          text: `${CHINESE[i % 3]}（${i}）`,
          ...(i % 2 ? { phone: "13800138000" } : {}),
        }),
      );
      await pool(ops, IN_FLIGHT, async (o, i) => {
        const outcome = await post(o);
        statuses.set(outcome.status, (statuses.get(outcome.status) ?? 0) + 1);
        if (!outcome.expected.includes(outcome.status)) wrong.push(outcome);
        if (i % 100 === 99) await refreshCases();
      });
      const reported = await Promise.all(scripted);

      expect(wrong).toEqual([]);
      expect([...statuses.keys()].filter((s) => s >= 500)).toEqual([]);
      expect(h.fake.violations).toEqual([]);
      // A handler that failed logs "update failed"; a request that failed, "request failed". The
      // only errors allowed are the outbox's dead letters to someone the traffic said had blocked the bot.
      const blockedDead = (e: { msg: string; reason?: unknown }) =>
        e.msg === "outbox message dead" && String(e.reason).startsWith("recipient unreachable");
      expect(h.log.entries.filter((e) => e.level === "error" && !blockedDead(e))).toEqual([]);

      await h.tick(Date.now());
      const sound = await expectSoundDatabase(h.database.client, { settled: true });

      // The run meant something: every door was hit, the bot answered a great deal, the scripted
      // reports became cases, and the generated traffic pressed real buttons and left real
      // conversations open, not only refusals. (Figures of a run are in the closing note.)
      const refused = h.log.entries.filter((e) => e.msg === "malformed update ignored").length;
      const calls = h.fake.calls.length - callsBefore;
      const numbers = (await h.hazardline.db.select({ number: cases.number }).from(cases)).map((c) => c.number);
      const open = await h.database.client.execute({
        sql: `SELECT count(*) AS n FROM kv WHERE key IN (${CITIZENS.map(() => "?").join(",")})`,
        args: CITIZENS.map((id) => `conversation:${id}`),
      });
      expect(statuses.get(200)).toBeGreaterThan(UPDATES * 0.7);
      expect(statuses.get(400)).toBeGreaterThan(UPDATES * 0.02);
      expect(statuses.get(413)).toBeGreaterThan(0);
      expect(refused).toBeGreaterThan(UPDATES * 0.1);
      expect(calls).toBeGreaterThan(UPDATES * 0.4);
      expect(realPresses).toBeGreaterThan(UPDATES * 0.05);
      expect(Number(open.rows[0]!.n)).toBeGreaterThan(0);
      expect(numbers).toEqual(expect.arrayContaining(reported));
      expect(sound.cases).toBe(numbers.length);
      expect(sound.cases).toBeGreaterThanOrEqual(casesBefore + SCRIPTED_REPORTS);
    },
    SOAK ? 1_800_000 : 300_000,
  );
});
