/**
 * Getting into the console, end to end through the webhook and HTTP: /web gives a staff
 * member a one-time link that signs a desktop browser in once, within ten minutes, with an
 * HttpOnly, Secure, SameSite=Strict cookie; a citizen gets no link; a member removed from the
 * directory loses their session at once; hot state never holds a token as it was handed out.
 * And the Mini App's doors: the staff's menu button, and "open in console" on cards sent to
 * private chats (never to groups, where Telegram refuses web_app buttons).
 */
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { cases, chats, kv, members, outbox } from "../../db/schema";
import { SESSION_COOKIE } from "../../src/console/contract";
import { MovableClock } from "../../src/local/mode";
import { queueStaffMenus } from "../../src/services/command-menus";
import { consoleFetch } from "../support/console";
import { Conversation } from "../support/conversation";
import { seedSmallCounty } from "../support/county";
import { reportHazard } from "../support/flows";
import { type Harness, startHarness } from "../support/harness";
import { person } from "../support/people";

let h: Harness;
const clock = new MovableClock();
/** The harness's PUBLIC_URL is https://hazardline.test, so the console is a Mini App there. */
const CONSOLE = "https://hazardline.test/console";
const dispatcher = () => new Conversation(h, person({ id: 9801, first_name: "周" }));
const liaison = () => new Conversation(h, person({ id: 9802, first_name: "Li", language_code: "en" }));
const citizen = () => new Conversation(h, person({ id: 9899, first_name: "群众" }));

/** The login link in the newest /web answer. */
const LINK = /https:\/\/hazardline\.test\/console\/login\?token=([a-z2-9]+)/;

/** /web as this person: the link they were sent, as a URL on the test server (the public address is not served here). */
async function webLink(who: Conversation): Promise<{ token: string; url: string }> {
  const [answer] = await who.say("/web");
  const token = LINK.exec(answer ?? "")?.[1];
  if (!token) throw new Error(`no login link in ${JSON.stringify(answer)}`);
  return { token, url: `${h.baseUrl}/console/login?token=${token}` };
}

const follow = (url: string, headers: Record<string, string> = {}) => fetch(url, { redirect: "manual", headers });

/** The session cookie's value from a login answer's Set-Cookie. */
const sessionOf = (res: Response) => new RegExp(`${SESSION_COOKIE}=([^;]+)`).exec(res.headers.get("set-cookie") ?? "")?.[1];

const withCookie = (session: string, path = "me", init: RequestInit = {}) =>
  fetch(`${h.baseUrl}/console/api/${path}`, { ...init, headers: { Cookie: `${SESSION_COOKIE}=${session}` } });

beforeAll(async () => {
  h = await startHarness({ clock });
  await seedSmallCounty(h.hazardline.db);
  await h.hazardline.db.insert(members).values([
    { telegramId: 9801, unitId: "office", roles: ["dispatcher"], name: "周调度" },
    { telegramId: 9802, unitId: "station-a", roles: ["liaison"], name: "Li" },
  ]);
});
afterAll(() => h.stop());
afterEach(() => {
  expect(h.fake.violations).toEqual([]);
  clock.reset();
});

describe("/web and the desktop login link", () => {
  it("signs a staff member's browser in once, with a cookie no script or other site can use", async () => {
    const d = dispatcher();
    const { url } = await webLink(d);
    const sent = h.fake.callsTo("sendMessage").at(-1)!;
    expect(sent.params.text).toContain("10 分钟内有效");
    // Telegram must not fetch the page for a preview: that would use the link up.
    expect(sent.params.link_preview_options).toEqual({ is_disabled: true });

    const res = await follow(url);
    expect(res.status).toBe(303);
    expect(new URL(res.headers.get("location")!, url).pathname).toBe("/console/");
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/console/);
    const session = sessionOf(res)!;

    const me = await withCookie(session);
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ name: "周调度", roles: ["dispatcher"] });

    // The same link again: used, on a small page in the reader's language, and no cookie.
    const again = await follow(url);
    expect(again.status).toBe(410);
    expect(again.headers.get("set-cookie")).toBeNull();
    expect(await again.text()).toContain("这个登录链接已经用过了");
    const inEnglish = await follow(url, { "Accept-Language": "en-GB,en;q=0.9" });
    expect(await inEnglish.text()).toContain("already been used");

    // Signing out ends the session on the server, not only in the browser.
    const out = await withCookie(session, "logout", { method: "POST" });
    expect(out.status).toBe(200);
    expect(out.headers.get("set-cookie")).toMatch(new RegExp(`${SESSION_COOKIE}=;`));
    expect((await withCookie(session)).status).toBe(401);
  });

  it("refuses a link after ten minutes, and one that was never sent", async () => {
    const { url } = await webLink(liaison());
    clock.moveTo(Date.now() + 10 * 60_000 + 1000);
    const late = await follow(url);
    expect(late.status).toBe(410);
    expect(late.headers.get("set-cookie")).toBeNull();
    expect(await late.text()).toContain("已过期");

    expect((await follow(`${h.baseUrl}/console/login?token=${"a".repeat(40)}`)).status).toBe(410);
    expect((await follow(`${h.baseUrl}/console/login`)).status).toBe(401);
    expect((await follow(`${h.baseUrl}/console/login?token=<script>`)).status).toBe(401);
  });

  it("gives a citizen no link", async () => {
    const c = citizen();
    const answers = await c.say("/web");
    expect(answers).toEqual(["您没有权限执行此操作。"]);
    expect(answers.join()).not.toContain("login");
  });

  it("takes the session from a member removed from the directory at once", async () => {
    await h.hazardline.db.insert(members).values({ telegramId: 9803, unitId: "station-a", roles: ["liaison"], name: "临时" });
    const leaving = new Conversation(h, person({ id: 9803, first_name: "临时" }));
    const session = sessionOf(await follow((await webLink(leaving)).url))!;
    expect((await withCookie(session)).status).toBe(200);
    await h.hazardline.db.update(members).set({ active: false }).where(eq(members.telegramId, 9803));
    expect((await withCookie(session)).status).toBe(403);
    expect((await withCookie(session, "no/such/path")).status).toBe(403);
  });

  it("keeps no token in hot state as it was handed out, only its hash", async () => {
    const { token } = await webLink(dispatcher());
    const before = await h.hazardline.db.select().from(kv);
    const session = sessionOf(await follow(`${h.baseUrl}/console/login?token=${token}`))!;
    const after = await h.hazardline.db.select().from(kv);
    for (const row of [...before, ...after]) {
      expect(row.key).not.toContain(token);
      expect(row.value).not.toContain(token);
      expect(row.key).not.toContain(session);
      expect(row.value).not.toContain(session);
    }
    expect(after.some((r) => r.key.startsWith("console-session:"))).toBe(true);
    expect(before.some((r) => r.key.startsWith("console-login:"))).toBe(true);
  });

  it("stops a client that keeps failing, even with a good link, for a while", async () => {
    const from = { "X-Forwarded-For": "203.0.113.7, 10.0.0.1" };
    for (let i = 0; i < 20; i++) expect((await follow(`${h.baseUrl}/console/login?token=${"b".repeat(40)}`, from)).status).toBe(410);
    const { url } = await webLink(dispatcher());
    const stopped = await follow(url, from);
    expect(stopped.status).toBe(429);
    expect(await stopped.text()).toContain("尝试次数过多");
    // Another client is not held up, and the link was not spent by the refused try.
    expect((await follow(url, { "X-Forwarded-For": "198.51.100.2" })).status).toBe(303);
  });

  it("lets launch data speak first when a request carries both", async () => {
    const session = sessionOf(await follow((await webLink(dispatcher())).url))!;
    const res = await fetch(`${h.baseUrl}/console/api/me`, {
      headers: { Cookie: `${SESSION_COOKIE}=${session}`, Authorization: "tma auth_date=1&hash=00" },
    });
    expect(res.status).toBe(401);
    const asLiaison = await consoleFetch(h, "me", { as: { id: 9802, first_name: "Li", language_code: "en" } });
    expect(await asLiaison.json()).toMatchObject({ name: "Li" });
  });
});

type Button = { text: string; callback_data?: string; web_app?: { url: string } };
const buttonsOf = (call: { params: Record<string, unknown> }) =>
  ((call.params.reply_markup as { inline_keyboard?: Button[][] } | undefined)?.inline_keyboard ?? []).flat();
const menuButtonsOf = (chatId: number) => h.fake.callsTo("setChatMenuButton").filter((c) => c.params.chat_id === chatId);

describe("the console as a Mini App", () => {
  it("is each staff member's menu button, in their language; a citizen's is left alone", async () => {
    await dispatcher().say("/start");
    expect(menuButtonsOf(9801).at(-1)?.params.menu_button).toEqual({ type: "web_app", text: "控制台", web_app: { url: `${CONSOLE}/` } });
    await liaison().say("/start");
    expect(menuButtonsOf(9802).at(-1)?.params.menu_button).toMatchObject({ type: "web_app", text: "Console" });
    await citizen().say("/start");
    expect(menuButtonsOf(9899)).toEqual([]);
  });

  it("is queued with the menu for staff a directory import adds, and taken back from one it removes", async () => {
    const db = h.hazardline.db;
    await db.insert(members).values({ telegramId: 9804, unitId: "office", roles: ["leader"], name: "王局长" });
    await queueStaffMenus(db, [9804], Date.now(), CONSOLE);
    await db.update(members).set({ active: false }).where(eq(members.telegramId, 9804));
    await queueStaffMenus(db, [9804], Date.now(), CONSOLE);
    expect((await db.select().from(outbox).where(eq(outbox.chatId, 9804))).map((r) => r.method)).toEqual([
      "setMyCommands",
      "setChatMenuButton",
      "deleteMyCommands",
      "setChatMenuButton",
    ]);
    await h.tick(Date.now());
    expect(menuButtonsOf(9804).map((c) => c.params.menu_button)).toEqual([
      { type: "web_app", text: "控制台", web_app: { url: `${CONSOLE}/` } },
      { type: "default" },
    ]);
  });

  it("opens a case from its card in a private chat, never from a card in a group", async () => {
    const group = -100_980;
    await h.hazardline.db.insert(chats).values({ chatId: group, title: "甲站工作群", purpose: "unit", unitId: "station-a" });
    const number = await reportHazard(citizen(), { text: "仓库消防通道被货物堵塞，灭火器过期。" });
    await h.tick(Date.now());
    const [row] = await h.hazardline.db.select().from(cases).where(eq(cases.number, number));
    const inConsole = { text: "🖥 Open in console", web_app: { url: `${CONSOLE}/#case=${row!.id}` } };

    const cardsTo = (chatId: number) =>
      h.fake.callsTo("sendMessage").filter((c) => c.params.chat_id === chatId && String(c.params.text).includes(number));
    expect(cardsTo(9802).length).toBeGreaterThan(0);
    for (const card of cardsTo(9802)) expect(buttonsOf(card)).toContainEqual(inConsole);
    expect(cardsTo(group).length).toBeGreaterThan(0);
    for (const card of cardsTo(group)) expect(buttonsOf(card).some((b) => b.web_app)).toBe(false);

    // A card a person opens in chat carries it too.
    const d = dispatcher();
    await d.say(`/case ${number}`);
    expect(d.lastKeyboardMessage().buttons).toContainEqual({ text: "🖥 在控制台打开", web_app: { url: `${CONSOLE}/#case=${row!.id}` } });
  });
});

describe("a console without https", () => {
  let plain: Harness;
  beforeAll(async () => {
    plain = await startHarness({ env: { PUBLIC_URL: "http://hazardline.test" } });
    await seedSmallCounty(plain.hazardline.db);
    await plain.hazardline.db.insert(members).values({ telegramId: 9802, unitId: "station-a", roles: ["liaison"], name: "Li" });
  });
  afterAll(() => plain.stop());

  it("still signs a desktop in with /web, but offers no Mini App: no menu button, no card button", async () => {
    const l = new Conversation(plain, person({ id: 9802, first_name: "Li" }));
    await l.say("/start");
    const [answer] = await l.say("/web");
    expect(answer).toContain("http://hazardline.test/console/login?token=");
    expect(plain.fake.callsTo("setChatMenuButton")).toEqual([]);

    await reportHazard(new Conversation(plain, person({ id: 9898, first_name: "群众" })), { text: "配电箱没有门，电线裸露在外。" });
    await plain.tick(Date.now());
    const cards = plain.fake.callsTo("sendMessage").filter((c) => c.params.chat_id === 9802 && buttonsOf(c).length > 0);
    expect(cards.length).toBeGreaterThan(0);
    for (const card of cards) expect(buttonsOf(card).some((b) => b.web_app)).toBe(false);
    expect(plain.fake.violations).toEqual([]);
  });
});
