/**
 * Local mode over HTTP: `npm start` with no BOT_TOKEN in a child process, and the playground
 * API a page uses. Every step goes through the bot's real webhook, services and database;
 * what comes back is what the bot sent to the Bot API stand-in on the same port.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_TOKEN } from "../../src/local/mode";
import type { Entry } from "../../src/local/playground";
import { samplePhoto } from "../../src/local/scenario";
import { freePort, type Running, runServer } from "../support/processes";

const CITIZEN = 900001;
const OTHER_CITIZEN = 900002;
const LEADER = 100004;

let server: Running;
let base: string;
let dir: string;

interface State {
  seq: number;
  now: number;
  people: Array<{ id: number; name: string; roles: string[]; unit?: string }>;
  groups: Array<{ id: number; title: string; purpose: string }>;
  transcripts: Record<string, Entry[]>;
}

const get = async <T = unknown>(path: string): Promise<T> => (await fetch(`${base}${path}`)).json() as Promise<T>;
const post = (path: string, body: unknown) =>
  fetch(`${base}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const state = () => get<State>("/play/api/state");

/** Waits until the chat's transcript holds a message that passes `test` (the outbox sends after the update). */
async function waitForEntry(chatId: number, test: (e: Entry) => boolean, timeoutMs = 20_000): Promise<Entry> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await state()).transcripts[chatId]?.find(test);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no such message in chat ${chatId}:\n${JSON.stringify((await state()).transcripts[chatId], null, 1)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "hazardline-local-"));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = runServer({ PORT: String(port), LOCAL_DIR: dir });
  await server.waitForOutput(/"Hazardline started".*"mode":"local"/, 60_000);
}, 90_000);

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("local mode", () => {
  it("casts two citizens, liaisons of two units, a dispatcher, a leader and an admin, and a unit's, the dispatchers', the leaders' and the public chat", async () => {
    const { people, groups } = await state();
    expect(people.filter((p) => p.roles.includes("citizen"))).toHaveLength(2);
    expect(new Set(people.filter((p) => p.roles.includes("liaison")).map((p) => p.unit)).size).toBe(2);
    for (const role of ["dispatcher", "leader", "admin"]) expect(people.some((p) => p.roles.includes(role))).toBe(true);
    expect(groups.map((g) => g.purpose).sort()).toEqual(["dispatchers", "leaders", "public", "unit"]);
  });

  it("posts what a person types to the webhook and shows the bot's answer, as the chat's transcript and as an event", async () => {
    const { seq } = await state();
    expect((await post("/play/api/send", { as: OTHER_CITIZEN, chat: OTHER_CITIZEN, text: "/start" })).status).toBe(200);
    const { events } = await get<{ events: Array<{ type: string; entry?: Entry }> }>(`/play/api/events?after=${seq}&wait=5`);
    expect(events[0]).toMatchObject({ type: "message", entry: { from: OTHER_CITIZEN, text: "/start" } });
    const welcome = await waitForEntry(OTHER_CITIZEN, (e) => e.from === "bot");
    expect(welcome.text).toContain("陈芳");
  });

  it("takes a photo a person uploads as Telegram would hand it to the bot, and serves its bytes back", async () => {
    const photo = samplePhoto();
    const form = new FormData();
    form.set("as", String(OTHER_CITIZEN));
    form.set("chat", String(OTHER_CITIZEN));
    form.set("file", new Blob([photo.slice().buffer], { type: "image/png" }), "site.png");
    const response = await fetch(`${base}/play/api/upload`, { method: "POST", body: form });
    expect(response.status).toBe(200);
    const entry = (await response.json()) as Entry;
    expect(entry.media).toEqual([{ kind: "photo", key: expect.any(String), name: "site.png" }]);
    const served = await fetch(`${base}/play/files/${entry.media![0]!.key}`);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(photo);
  });

  it("answers as Telegram does on its Bot API endpoint, with the same checks as the tests' stand-in", async () => {
    const me = await (await fetch(`${base}/bot${LOCAL_TOKEN}/getMe`, { method: "POST" })).json();
    expect(me).toMatchObject({ ok: true, result: { username: "hazardline_local_bot" } });
    const empty = await fetch(`${base}/bot${LOCAL_TOKEN}/sendMessage`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ chat_id: CITIZEN, text: "" }),
    });
    expect(empty.status).toBe(400);
    expect((await fetch(`${base}/bot1:wrong/getMe`, { method: "POST" })).status).toBe(401);
  });

  it("plays a whole case on the real path; the next working morning brings the leader's digest with its chart", async () => {
    const played = await post("/play/api/scenario", {});
    expect(played.status).toBe(200);
    const { number } = (await played.json()) as { number: string };
    expect(number).toMatch(/^YH-\d{8}-\d{4}$/);
    const s = await state();
    const citizen = s.transcripts[CITIZEN]!.filter((e) => e.from === "bot").map((e) => e.text);
    expect(citizen.some((t) => t?.includes(`${number} 已办结`))).toBe(true);
    expect(citizen.at(-1)).toBe("好的，感谢您的支持！");
    // The liaison saw the report's photo; the unit's group got the card with it.
    const liaison = s.people.find((p) => p.roles.includes("liaison") && s.transcripts[p.id]?.some((e) => e.text?.includes(number)))!;
    const album = s.transcripts[liaison.id]!.find((e) => e.media?.[0]?.kind === "photo" && e.text?.includes(number));
    expect(album).toBeDefined();
    const photo = await fetch(`${base}/play/files/${album!.media![0]!.key}`);
    expect(new Uint8Array(await photo.arrayBuffer())).toEqual(samplePhoto());

    const before = s.now;
    const moved = await post("/play/api/clock", { to: "morning" });
    expect(moved.status).toBe(200);
    const { now } = (await moved.json()) as { now: number };
    expect(now).toBeGreaterThan(before);
    expect(new Intl.DateTimeFormat("en", { timeZone: "Asia/Shanghai", hour: "2-digit", minute: "2-digit", hour12: false }).format(now)).toBe("08:30");
    const digest = await waitForEntry(LEADER, (e) => e.media?.[0]?.kind === "photo");
    const chart = await fetch(`${base}/play/files/${digest.media![0]!.key}`);
    expect([...new Uint8Array(await chart.arrayBuffer()).slice(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]); // a PNG
  });

  it("answers bad input with a clear 4xx and changes nothing", async () => {
    const { seq } = await state();
    const cases: Array<[string, unknown, number]> = [
      ["/play/api/press", { as: CITIZEN, chat: CITIZEN, message: 1, data: "x" }, 404],
      ["/play/api/send", { as: 1, chat: 1, text: "hello" }, 404],
      ["/play/api/send", { as: CITIZEN, chat: LEADER, text: "hello" }, 404],
      ["/play/api/send", { as: CITIZEN, chat: CITIZEN, text: "   " }, 400],
      ["/play/api/send", { as: "me", text: 5 }, 400],
      ["/play/api/location", { as: CITIZEN, chat: CITIZEN, lat: 200, lng: 0 }, 400],
      ["/play/api/clock", { to: "hours", hours: -1 }, 400],
      ["/play/api/clock", { to: "yesterday" }, 400],
    ];
    for (const [path, body, status] of cases) {
      const response = await post(path, body);
      expect([path, response.status]).toEqual([path, status]);
      expect(((await response.json()) as { error: string }).error).toEqual(expect.any(String));
    }
    const notJson = await fetch(`${base}/play/api/send`, { method: "POST", body: "{" });
    expect(notJson.status).toBe(400);
    const noFile = await fetch(`${base}/play/api/upload`, { method: "POST", body: new FormData() });
    expect(noFile.status).toBe(400);
    expect((await state()).seq).toBe(seq);
  });

  it("starts over from the example county on reset", async () => {
    expect((await post("/play/api/reset", {})).status).toBe(200);
    const s = await state();
    expect(s.transcripts).toEqual({});
    expect(Math.abs(s.now - Date.now())).toBeLessThan(60_000);
    const { number } = (await (await post("/play/api/scenario", {})).json()) as { number: string };
    expect(number).toMatch(/-0001$/);
  });
});
