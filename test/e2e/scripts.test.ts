/** The operator's scripts, run as an operator runs them: npm run migrate and set-webhook. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createClient } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeBotApi, TEST_TOKEN } from "../support/fake-bot-api";
import { cleanEnv, run } from "../support/processes";

const root = fileURLToPath(new URL("../..", import.meta.url));
const tsx = join(root, "node_modules/.bin/tsx");
const script = (name: string, env: Record<string, string>, args: string[] = []) =>
  run(tsx, [join(root, "scripts", name), ...args], { cwd: workdir, env: cleanEnv(env) });

let workdir: string;
let fake: FakeBotApi;
beforeAll(async () => {
  workdir = mkdtempSync(join(tmpdir(), "hazardline-scripts-"));
  fake = await FakeBotApi.start();
});
afterAll(async () => {
  await fake.stop();
  rmSync(workdir, { recursive: true, force: true });
});

describe("npm run migrate", () => {
  it("creates every table in a new database file, and a second run changes nothing", async () => {
    const url = `file:${join(workdir, "new/folder/hazardline.db")}`;
    const first = script("migrate.ts", { DATABASE_URL: url });
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain("Migrated file:");

    const client = createClient({ url });
    const tables = async () =>
      (await client.execute("select name from sqlite_master where type = 'table' order by name")).rows.map((r) => r.name);
    const before = await tables();
    expect(before).toEqual(
      expect.arrayContaining(["cases", "case_events", "case_reporters", "outbox", "kv", "members", "routes", "users"]),
    );
    expect(await script("migrate.ts", { DATABASE_URL: url }).exited).toBe(0);
    expect(await tables()).toEqual(before);
    client.close();
  });
});

describe("npm run set-webhook", () => {
  it("registers the webhook with its secret, sets the command menus (everyone's and the groups'), and prints BOT_INFO", async () => {
    const app = script("set-webhook.ts", {
      BOT_TOKEN: TEST_TOKEN,
      TELEGRAM_API_ROOT: fake.apiRoot,
      PUBLIC_URL: "https://hazardline.example.workers.dev",
      WEBHOOK_SECRET: "abc_123",
    });
    expect(await app.exited).toBe(0);
    expect(fake.callsTo("setWebhook")[0]?.params).toEqual({
      url: "https://hazardline.example.workers.dev/telegram",
      secret_token: "abc_123",
      allowed_updates: ["message", "edited_message", "callback_query", "my_chat_member"],
    });
    const menus = fake.callsTo("setMyCommands");
    expect(menus.map((c) => [c.params.scope, c.params.language_code])).toEqual([
      [undefined, undefined],
      [undefined, "zh"],
      [undefined, "en"],
      [{ type: "all_group_chats" }, undefined],
      [{ type: "all_group_chats" }, "zh"],
      [{ type: "all_group_chats" }, "en"],
    ]);
    const names = (i: number) => (menus[i]?.params.commands as Array<{ command: string }>).map((c) => c.command);
    expect(names(0)).toEqual(["report", "ask", "my", "status", "cancel", "start", "lang", "help"]);
    expect(names(3)).toEqual(["schedule", "bind"]);
    expect((menus[5]?.params.commands as Array<{ description: string }>)[0]?.description).toBe("This group's recurring reminders");
    const printed = /^BOT_INFO=(.+)$/m.exec(app.output())?.[1];
    expect(JSON.parse(printed ?? "null")).toMatchObject({ id: fake.botInfo.id, username: fake.botInfo.username });
    expect(fake.violations).toEqual([]);
  });

  it("refuses to run without PUBLIC_URL and WEBHOOK_SECRET, saying so", async () => {
    const app = script("set-webhook.ts", { BOT_TOKEN: TEST_TOKEN, TELEGRAM_API_ROOT: fake.apiRoot });
    expect(await app.exited).toBe(1);
    expect(app.output()).toContain("set-webhook: PUBLIC_URL and WEBHOOK_SECRET must be set to register a webhook");
  });
});

describe("npm run invite", () => {
  it("makes a one-time link for a unit that exists, so the first admin can join", async () => {
    const url = `file:${join(workdir, "invite.db")}`;
    expect(await script("migrate.ts", { DATABASE_URL: url }).exited).toBe(0);
    const client = createClient({ url });
    await client.execute("insert into units (id, kind, name_zh, name_en) values ('office', 'office', '县安委办', 'County Safety Office')");
    const env = { BOT_TOKEN: TEST_TOKEN, TELEGRAM_API_ROOT: fake.apiRoot, DATABASE_URL: url };

    const made = script("invite.ts", env, ["office", "admin"]);
    expect(await made.exited).toBe(0);
    expect(made.output()).toMatch(/^https:\/\/t\.me\/hazardline_test_bot\?start=inv_[a-z0-9]{16}\n/);
    const { rows } = await client.execute("select unit_id, roles, used_at from invites");
    expect(rows.map((r) => [r.unit_id, r.roles, r.used_at])).toEqual([["office", '["admin"]', null]]);
    const unknown = script("invite.ts", env, ["nowhere", "admin"]);
    expect(await unknown.exited).toBe(1);
    expect(unknown.output()).toContain('invite: there is no unit "nowhere"');
    client.close();
  });
});
