/** The operator's scripts, run as an operator runs them: npm run migrate, set-webhook, invite and export. */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createClient } from "@libsql/client";
import readXlsxFile from "read-excel-file/node";
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
    const tables = async () => (await client.execute("select name from sqlite_master where type = 'table' order by name")).rows.map((r) => r.name);
    const before = await tables();
    expect(before).toEqual(expect.arrayContaining(["cases", "case_events", "case_reporters", "outbox", "kv", "members", "routes", "users"]));
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
    const names = (i: number) => (menus[i]!.params.commands as Array<{ command: string }>).map((c) => c.command);
    expect(names(0)).toEqual(["report", "ask", "my", "status", "cancel", "start", "lang", "help"]);
    expect(names(3)).toEqual(["schedule", "bind"]);
    expect((menus[5]!.params.commands as Array<{ description: string }>)[0]?.description).toBe("This group's recurring reminders");
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
    expect(unknown.output()).toContain("invite: 没有这个单位（或有多个单位同名）：“nowhere”；请先导入通讯录");
    expect(unknown.output()).toContain('there is no unit "nowhere"');
    const usage = script("invite.ts", env, ["office"]);
    expect(await usage.exited).toBe(2);
    expect(usage.output()).toMatch(/^用法：npm run invite -- 单位编号或名称 角色.*\nUsage: npm run invite -- UNIT-ID-OR-NAME ROLES/);

    // By the unit's Chinese name, with the roles in Chinese: answered in Chinese with English beside.
    const byName = script("invite.ts", env, ["县安委办", "管理员、调度员"]);
    expect(await byName.exited).toBe(0);
    expect(byName.output()).toContain("县安委办（office），角色：管理员、调度员");
    expect(byName.output()).toContain("County Safety Office (office) as admin, dispatcher.");
    const { rows: all } = await client.execute("select unit_id, roles from invites order by created_at");
    expect(all.at(-1)).toMatchObject({ unit_id: "office", roles: '["admin","dispatcher"]' });
    client.close();
  });
});

describe("npm run export", () => {
  it("writes the period's ledger as XLSX and CSV into the folder asked for, and says what it wrote", async () => {
    const url = `file:${join(workdir, "export.db")}`;
    expect(await script("migrate.ts", { DATABASE_URL: url }).exited).toBe(0);
    const client = createClient({ url });
    await client.execute(
      "insert into units (id, kind, name_zh, name_en) values ('station-a', 'territorial', '城关镇安监站', 'Chengguan Safety Station')",
    );
    // Two cases in November (office time, UTC+8), one on 1 December just after midnight there.
    const at = (iso: string) => Date.parse(iso);
    for (const [n, created] of [
      [1, "2026-11-01T00:00:00+08:00"],
      [2, "2026-11-30T23:59:00+08:00"],
      [3, "2026-12-01T00:00:00+08:00"],
    ] as const) {
      await client.execute({
        sql: "insert into cases (number, kind, status, description, anonymous, unit_id, created_at, updated_at) values (?, 'hazard', 'assigned', ?, 1, 'station-a', ?, ?)",
        args: [`YH-2026110${n}-0001`, `description ${n}`, at(created), at(created)],
      });
      await client.execute({
        sql: "insert into case_events (case_id, at, actor_kind, action, from_status, to_status) values (?, ?, 'system', 'assigned', 'new', 'assigned')",
        args: [n, at(created)],
      });
    }
    client.close();

    const out = join(workdir, "ledgers");
    const exported = script("export.ts", { DATABASE_URL: url }, ["--from", "2026-11-01", "--to", "2026-11-30", "--out", out, "--locale", "en"]);
    expect(await exported.exited).toBe(0);
    const xlsxPath = join(out, "ledger-2026-11-01_2026-11-30.xlsx");
    const csvPath = join(out, "ledger-2026-11-01_2026-11-30.csv");
    expect(exported.output()).toContain(`Wrote ${xlsxPath} (`);
    expect(exported.output()).toContain(`Wrote ${csvPath} (`);
    expect(exported.output()).toContain("2 cases received 2026-11-01 to 2026-11-30 (Asia/Shanghai)");

    const [sheet] = await readXlsxFile(xlsxPath);
    expect(sheet!.data.map((row) => row[0])).toEqual(["Number", "YH-20261101-0001", "YH-20261102-0001"]);
    expect(sheet!.data[1]).toContain("Chengguan Safety Station");
    const csv = readFileSync(csvPath);
    expect(Array.from(csv.subarray(0, 3))).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.toString("utf8").split("\r\n").filter(Boolean)).toHaveLength(3);
  });

  it("refuses arguments it cannot use with a non-zero exit, saying what is wrong", async () => {
    const env = { DATABASE_URL: `file:${join(workdir, "export-bad.db")}` };
    const cases: Array<[string[], string]> = [
      [["--from", "2026-11-01"], "export: --from and --to are both needed"],
      [["--from", "2026-11-01", "--to", "2026-11-31"], "export: --from and --to must be dates such as 2026-11-01"],
      [["--from", "2026-11-30", "--to", "2026-11-01"], "export: --from 2026-11-30 is after --to 2026-11-01"],
      [["--from", "2026-11-01", "--to", "2026-11-30", "--format", "pdf"], 'export: --format must be xlsx, csv or both, not "pdf"'],
      [["--from", "2026-11-01", "--to", "2026-11-30", "--locale", "fr"], 'export: --locale must be zh-CN or en, not "fr"'],
    ];
    for (const [args, message] of cases) {
      const refused = script("export.ts", env, args);
      expect(await refused.exited, args.join(" ")).toBe(2);
      expect(refused.output()).toContain(message);
      expect(refused.output()).toContain("Usage:");
    }
  });
});
