/**
 * Hostile webhook bodies with the right secret, end to end: eight real-shaped updates (each
 * from a fresh person whose draft, if the update needs one, stands at the step that reads
 * the update's fields), with one field anywhere in them given a wrong type, null, a huge,
 * negative or fractional number, an object, an array, a boolean, a very long string, or
 * removed. Every body is answered 200 (400 only when update_id itself is broken, which the
 * door in src/app.ts refuses) and none fails inside a handler: what the shape check refuses
 * is logged once and touches nothing, what it lets through is handled like any update.
 */
import { eq } from "drizzle-orm";
import fc from "fast-check";
import type { Update } from "grammy/types";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { users } from "../../db/schema";
import { updateKey } from "../../src/bot/update-guard";
import { checkUpdateShape } from "../../src/bot/update-shape";
import { type Draft, newDraft, type Step } from "../../src/domain/report-draft";
import { type Harness, startHarness } from "../support/harness";
import { type Person, person } from "../support/people";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());
afterEach(() => {
  expect(h.fake.violations).toEqual([]);
  h.fake.clear();
});

const GROUP = -100_424_242;
const DRAFT_ID = "fuzz0001";
/** Every run is a new person: flood control and drafts are per person. */
let nextUserId = 880_000;

interface Base {
  name: string;
  /** The draft step at which the update's fields are read (a photo at "media", a pin at "place"…). */
  step?: Step;
  update(p: Person): Update;
  /** How the bot answers the unmodified update. */
  answered(p: Person): Promise<void>;
}

const sentTo = (chatId: number) => h.fake.sentTexts(chatId);

const BASES: Base[] = [
  {
    name: "/start",
    update: (p) => p.says("/start"),
    answered: async (p) => expect(sentTo(p.id)[0]).toContain(`您好，${p.first_name}！`),
  },
  {
    name: "plain text",
    step: "description",
    update: (p) => p.says("工地东侧的围挡倒了，压住了人行道"),
    answered: async (p) => expect((await h.hazardline.services.drafts.get(p.id))?.description).toBe("工地东侧的围挡倒了，压住了人行道"),
  },
  {
    name: "a photo with a caption",
    step: "media",
    update: (p) => p.sendsPhoto(`u${p.id}`, { caption: "东侧围挡", mediaGroupId: `album-${p.id}` }),
    answered: async (p) => expect((await h.hazardline.services.drafts.get(p.id))?.media.map((m) => m.fileUniqueId)).toEqual([`u${p.id}`]),
  },
  {
    name: "a location",
    step: "place",
    update: (p) => p.sendsLocation(30.001, 120.002),
    answered: async (p) => expect((await h.hazardline.services.drafts.get(p.id))?.location).toEqual({ lat: 30.001, lng: 120.002 }),
  },
  {
    name: "a contact",
    step: "contact",
    update: (p) => p.sharesContact("+8613800138000"),
    answered: async (p) => expect((await h.hazardline.services.drafts.get(p.id))?.phone).toBe("8613800138000"),
  },
  {
    name: "a press",
    step: "kind",
    update: (p) => p.presses(`d:${DRAFT_ID}:kind:hazard`),
    answered: async (p) => {
      expect(h.fake.callsTo("answerCallbackQuery")).toHaveLength(1);
      expect((await h.hazardline.services.drafts.get(p.id))?.kind).toBe("hazard");
    },
  },
  {
    name: "a group message",
    update: (p) => p.saysInGroup(GROUP, "/start@hazardline_test_bot"),
    answered: async () => expect(sentTo(GROUP)[0]).toContain("https://t.me/hazardline_test_bot"),
  },
  {
    name: "my_chat_member",
    update: (p) =>
      ({
        update_id: 990_000_000 + p.id,
        my_chat_member: {
          chat: { id: p.id, type: "private", first_name: p.first_name },
          from: { id: p.id, is_bot: false, first_name: p.first_name, language_code: "zh-hans" },
          date: Math.floor(Date.now() / 1000),
          old_chat_member: { user: { id: 123456789, is_bot: true, first_name: "Hazardline" }, status: "member" },
          new_chat_member: { user: { id: 123456789, is_bot: true, first_name: "Hazardline" }, status: "kicked", until_date: 0 },
        },
      }) as Update,
    answered: async (p) => {
      const [row] = await h.hazardline.db.select().from(users).where(eq(users.telegramId, p.id));
      expect(row?.blockedAt).toEqual(expect.any(Number));
    },
  },
];

/** A new person, with their draft at the base's step, and the base's update from them. */
async function prepare(base: Base): Promise<{ who: Person; update: Update }> {
  const who = person({ id: nextUserId++, first_name: "赵敏", language_code: "zh-hans" });
  if (base.step !== undefined) {
    const draft: Draft = {
      ...newDraft("report", DRAFT_ID, Date.now()),
      kind: "hazard",
      step: base.step,
      anonymous: base.step === "contact" ? false : undefined,
    };
    await h.hazardline.services.drafts.save(who.id, draft);
  }
  return { who, update: base.update(who) };
}

type Path = Array<string | number>;

/** Every place in the body a value sits, nested objects and arrays included (not the root). */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (typeof value !== "object" || value === null) return [];
  const entries: Array<[string | number, unknown]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return entries.flatMap(([key, child]) => [[...prefix, key], ...pathsOf(child, [...prefix, key])]);
}

type Mutation = { kind: "delete" } | { kind: "set"; value: unknown };

function mutate(update: Update, path: Path, mutation: Mutation): Record<string, unknown> {
  const body = JSON.parse(JSON.stringify(update)) as Record<string, unknown>;
  const parent = path.slice(0, -1).reduce<Record<string | number, unknown>>((o, key) => o[key] as Record<string | number, unknown>, body);
  const key = path.at(-1)!;
  if (mutation.kind === "set") parent[key] = mutation.value;
  else if (Array.isArray(parent)) parent.splice(key as number, 1);
  else delete parent[key];
  return body;
}

const set = (value: unknown): Mutation => ({ kind: "set", value });
const mutations: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant<Mutation>({ kind: "delete" }),
  fc.constantFrom(null, true, false, {}, { id: 1 }, [], [null], "", "x".repeat(10_000)).map(set),
  fc.constantFrom(1e20, 2 ** 63, -(2 ** 53), -1, 0.5, -12.75).map(set),
  fc.string({ maxLength: 12, unit: "grapheme" }).map(set),
  fc.integer({ min: -(2 ** 31), max: -1 }).map(set),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(set),
);

/** Each base with each path into it; the structure is the same for every person. */
const TARGETS = BASES.flatMap((base, index) => pathsOf(base.update(person({ id: 1, first_name: "x" }))).map((path) => ({ index, path })));

const errorsSince = (from: number) => h.log.entries.slice(from).filter((e) => e.level === "error");

describe("hostile updates with the right secret", () => {
  it("every mutation of eight real updates is answered 200 (400 for a broken update_id), and none fails in a handler", async () => {
    let refused = 0;
    let handled = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...TARGETS), mutations, async ({ index, path }, mutation) => {
        const { update } = await prepare(BASES[index]!);
        const body = mutate(update, path, mutation);
        const logsBefore = h.log.entries.length;
        const callsBefore = h.fake.calls.length;

        const res = await h.post(body);

        const updateId = body.update_id;
        expect(res.status).toBe(Number.isSafeInteger(updateId) ? 200 : 400);
        expect(errorsSince(logsBefore)).toEqual([]);
        expect(h.fake.violations).toEqual([]);
        if (res.status === 200 && !checkUpdateShape(body).ok) {
          refused++;
          expect(h.log.entries.slice(logsBefore).filter((e) => e.level === "warn")).toEqual([
            expect.objectContaining({ msg: "malformed update ignored", updateId }),
          ]);
          expect(h.fake.calls.length).toBe(callsBefore);
          if (path[0] !== "update_id") expect(await h.hazardline.services.kv.get(updateKey(updateId as number))).toBeNull();
        } else if (res.status === 200) {
          handled++;
        }
      }),
      { numRuns: 400, seed: 20_260_520 },
    );
    // The sweep means something only if it hit both sides of the door.
    expect(refused).toBeGreaterThan(100);
    expect(handled).toBeGreaterThan(50);
    expect(h.log.entries.filter((e) => e.msg === "update failed" || e.msg === "request failed")).toEqual([]);
  }, 120_000);

  it.each(BASES.map((base) => [base.name, base] as const))("the unmodified update (%s) still works as before", async (_name, base) => {
    const { who, update } = await prepare(base);
    const logsBefore = h.log.entries.length;
    expect(checkUpdateShape(update)).toEqual({ ok: true });
    expect((await h.post(update)).status).toBe(200);
    await base.answered(who);
    expect(h.log.entries.slice(logsBefore).filter((e) => e.level !== "info")).toEqual([]);
  });
});

type Json = Record<string, unknown>;
/** Walks into a body to break it; typed loosely on purpose: the point is to put wrong types in. */
const at = (obj: Json, ...path: string[]): Json => path.reduce((o, key) => o[key] as Json, obj);

describe("a malformed update at the door", () => {
  const cases: Array<[string, (p: Person) => Update, (body: Json) => void, string]> = [
    // The four failures seen in the sweep that found the gap (issue 20).
    [
      "a language code that is a number",
      (p) => p.says("/start"),
      (b) => {
        at(b, "message", "from").language_code = 5;
      },
      "message.from.language_code: expected string, got number",
    ],
    [
      "a chat that is null",
      (p) => p.says("你好"),
      (b) => {
        at(b, "message").chat = null;
      },
      "message.chat: expected object, got null",
    ],
    [
      "callback data that is a number",
      (p) => p.presses("menu:lang"),
      (b) => {
        at(b, "callback_query").data = 7;
      },
      "callback_query.data: expected string, got number",
    ],
    [
      "a user id out of SQLite's range",
      (p) => p.says("/start"),
      (b) => {
        at(b, "message", "from").id = 2 ** 63;
      },
      "message.from.id: not a safe integer",
    ],
  ];

  it.each(cases)("with %s is answered 200, logged once, and touches nothing", async (_name, make, breakIt, problem) => {
    const who = person({ id: nextUserId++ });
    const body = JSON.parse(JSON.stringify(make(who))) as Json;
    breakIt(body);
    const updateId = body.update_id as number;
    const logsBefore = h.log.entries.length;

    expect((await h.post(body)).status).toBe(200);

    expect(h.log.entries.slice(logsBefore)).toEqual([{ level: "warn", msg: "malformed update ignored", updateId, problem }]);
    expect(h.fake.calls).toEqual([]);
    expect(await h.hazardline.services.kv.get(updateKey(updateId))).toBeNull();
    expect(await h.hazardline.db.select().from(users).where(eq(users.telegramId, who.id))).toEqual([]);
  });
});
