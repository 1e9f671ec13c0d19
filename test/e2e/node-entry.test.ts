/**
 * `npm start` for real: the compiled server (dist/node.mjs, scripts/build-server.ts) in a child process, as a new user runs it, against the
 * fake Bot API. Long polling when no PUBLIC_URL is set; webhook when it is.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { serverArgs } from "../../scripts/build-server";
import { FakeBotApi, TEST_TOKEN } from "../support/fake-bot-api";
import { person } from "../support/people";
import { cleanEnv, freePort, type Running, run } from "../support/processes";

let fake: FakeBotApi;
let workdir: string;
const running: Running[] = [];

function start(env: Record<string, string>): Running {
  // Started from a fresh folder, as a new user would: the database lands in its ./data.
  // As `npm start` runs it: node itself on the compiled entry, so signals reach the server.
  const child = run(process.execPath, serverArgs(), { cwd: workdir, env: cleanEnv(env) });
  running.push(child);
  return child;
}

beforeAll(async () => {
  fake = await FakeBotApi.start();
});
afterAll(() => fake.stop());
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop("SIGKILL")));
  expect(fake.violations).toEqual([]);
  fake.clear();
  rmSync(workdir, { recursive: true, force: true });
});
beforeEach(() => {
  workdir = mkdtempSync(join(tmpdir(), "hazardline-node-"));
});

describe("npm start", () => {
  it("without BOT_TOKEN starts local mode: the first line gives the page's address, on its own database, for this computer only", async () => {
    const port = await freePort();
    const app = start({ PORT: String(port) });
    await app.waitForOutput(/"Hazardline started".*"mode":"local"/, 60_000);
    const first = app.output().trim().split("\n")[0]!;
    expect(first).toBe(
      `Hazardline local mode: open http://localhost:${port}/ (no BOT_TOKEN, so no Telegram: a playground on ${join(workdir, "data/local.db")})`,
    );
    expect(app.output()).toContain('"listening":"this computer only"');
    // Apart from an office's database, which it never creates.
    expect(existsSync(join(workdir, "data/local.db"))).toBe(true);
    expect(existsSync(join(workdir, "data/hazardline.db"))).toBe(false);
    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<script src="/play/play.js" defer></script>');
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    // Nothing of it reaches Telegram.
    expect(fake.calls).toEqual([]);
  });

  it("names a bad variable and why", async () => {
    const app = start({ BOT_TOKEN: TEST_TOKEN, PORT: "http", OFFICE_TZ: "Mars/Olympus" });
    expect(await app.exited).toBe(1);
    expect(app.output()).toContain("PORT must be a port number, 1-65535");
    expect(app.output()).toContain("OFFICE_TZ is not an IANA time zone");
  });

  it("polls Telegram on the embedded default, answers /start, and keeps a user's choice across a restart", async () => {
    const port = await freePort();
    const env = { BOT_TOKEN: TEST_TOKEN, TELEGRAM_API_ROOT: fake.apiRoot, PORT: String(port) };
    const first = start(env);
    await first.waitForOutput(/"Hazardline started".*"mode":"polling"/);

    expect(existsSync(join(workdir, "data/hazardline.db"))).toBe(true);
    expect(fake.callsTo("getMe")).toHaveLength(1); // no BOT_INFO: asked once at start
    expect(fake.callsTo("deleteWebhook")).toHaveLength(1);
    // The citizen's list and the groups' list, each for every language and in zh and en.
    expect(fake.callsTo("setMyCommands").map((c) => [(c.params.scope as { type?: string } | undefined)?.type, c.params.language_code])).toEqual([
      [undefined, undefined],
      [undefined, "zh"],
      [undefined, "en"],
      ["all_group_chats", undefined],
      ["all_group_chats", "zh"],
      ["all_group_chats", "en"],
    ]);
    // grammY logs "started" (onStart) just before its first getUpdates goes out: wait for it.
    expect((await fake.waitForCall("getUpdates")).params.allowed_updates).toEqual(["message", "edited_message", "callback_query", "my_chat_member"]);

    const citizen = person({ id: 601, first_name: "张伟", language_code: "zh-hans" });
    fake.pushUpdate(citizen.says("/start"));
    const welcome = await fake.waitForCall("sendMessage", (c) => c.params.chat_id === 601);
    expect(welcome.params.text).toContain("您好，张伟！");

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(await health.json()).toMatchObject({ ok: true, database: "ok", hotState: "ok" });
    // No webhook secret in polling mode, so no webhook route to abuse.
    expect((await fetch(`http://127.0.0.1:${port}/telegram`, { method: "POST", body: "{}" })).status).toBe(404);
    // With a token, the real bot and nothing of local mode.
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${port}/play/api/state`)).status).toBe(404);

    fake.pushUpdate(citizen.presses("lang:en"));
    await fake.waitForCall("sendMessage", (c) => String(c.params.text).includes("Hello, 张伟!"));
    expect(await first.stop("SIGTERM")).toBe(0);

    fake.clear();
    const second = start(env);
    await second.waitForOutput(/"Hazardline started"/);
    fake.pushUpdate(citizen.says("/start"));
    const again = await fake.waitForCall("sendMessage", (c) => c.params.chat_id === 601);
    expect(again.params.text).toContain("Hello, 张伟!");
  });

  it("with PUBLIC_URL registers its webhook with the secret and answers updates posted to it", async () => {
    const port = await freePort();
    const app = start({
      BOT_TOKEN: TEST_TOKEN,
      TELEGRAM_API_ROOT: fake.apiRoot,
      PORT: String(port),
      PUBLIC_URL: "https://hazardline.example.org/",
      WEBHOOK_SECRET: "s3cret_value",
      BOT_INFO: JSON.stringify(fake.botInfo),
      DATABASE_URL: `file:${join(workdir, "elsewhere/db.sqlite")}`,
    });
    await app.waitForOutput(/"Hazardline started".*"mode":"webhook"/);
    expect(fake.callsTo("getMe")).toHaveLength(0); // BOT_INFO given
    expect(fake.callsTo("setWebhook")[0]?.params).toMatchObject({
      url: "https://hazardline.example.org/telegram",
      secret_token: "s3cret_value",
    });
    expect(existsSync(join(workdir, "elsewhere/db.sqlite"))).toBe(true);

    const res = await fetch(`http://127.0.0.1:${port}/telegram`, {
      method: "POST",
      headers: { "content-type": "application/json", "X-Telegram-Bot-Api-Secret-Token": "s3cret_value" },
      body: JSON.stringify(person({ id: 602, language_code: "en" }).says("/help")),
    });
    expect(res.status).toBe(200);
    expect(fake.sentTexts(602)[0]).toContain("How to use Hazardline");
  });
});
