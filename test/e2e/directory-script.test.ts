/**
 * npm run directory, run as an operator runs it, on a temporary database: importing the example
 * office, changes, removals with and without --prune, a file full of mistakes, and export.
 * The example binds no chat or person; most tests import it with its sample members, chats and
 * reminders taken in (`bound`), as an office's own file has them.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { boundExample as bound, EXAMPLE_FILE, example } from "../support/example-directory";
import { cleanEnv, run } from "../support/processes";

const root = fileURLToPath(new URL("../..", import.meta.url));
const tsx = join(root, "node_modules/.bin/tsx");
const TIMEOUT = 60_000;

let workdir: string;
let db: TestDatabase;
beforeAll(() => {
  workdir = mkdtempSync(join(tmpdir(), "hazardline-directory-"));
});
afterAll(() => rmSync(workdir, { recursive: true, force: true }));
beforeEach(async () => {
  db = await createTestDatabase();
});
afterEach(() => db.dispose());

/** Runs the script from the work folder; resolves with its exit code and everything it printed. */
async function directory(...args: string[]) {
  const child = run(tsx, [join(root, "scripts/directory.ts"), ...args], {
    cwd: workdir,
    env: cleanEnv({ DATABASE_URL: db.url }),
  });
  const code = await child.exited;
  return { code, output: child.output() };
}

/** Writes a file into the work folder and gives its path. */
function file(name: string, text: string): string {
  const path = join(workdir, name);
  writeFileSync(path, text);
  return path;
}

/** A file without the lines that mention `word` (a unit on one line, and its routes). */
const without = (word: string, text = bound) =>
  text
    .split("\n")
    .filter((line) => !line.includes(word))
    .join("\n");

/** Every directory row, in a fixed order: two equal snapshots mean the database was not written. */
async function snapshot() {
  const tables: [string, string][] = [
    ["regions", "id"],
    ["sectors", "id"],
    ["units", "id"],
    ["routes", "id"],
    ["members", "id"],
    ["chats", "chat_id"],
    ["schedules", "id"],
    ["office_settings", "id"],
  ];
  const out: Record<string, unknown[]> = {};
  for (const [table, key] of tables) out[table] = (await db.client.execute(`select * from ${table} order by ${key}`)).rows;
  return out;
}

describe("npm run directory -- import", () => {
  it(
    "loads the example office without binding any chat or person, and a second import changes nothing",
    async () => {
      const first = await directory("import", EXAMPLE_FILE);
      expect(first.code, first.output).toBe(0);
      expect(first.output).toContain("regions: 10 added, 0 changed, 0 unchanged, 0 would be removed");
      expect(first.output).toContain("units: 12 added, 0 changed, 0 unchanged, 0 would be removed");
      expect(first.output).toContain("routes: 15 added, 0 changed, 0 unchanged, 0 would be removed");
      expect(first.output).toContain(
        [
          "members: not in the file, left as they are (0 in the database)",
          "chats: not in the file, left as they are (0 in the database)",
          "schedules: not in the file, left as they are (0 in the database)",
        ].join("\n"),
      );
      expect(first.output).toContain("calendar: added (work_hours, workdays, holidays)\n");
      expect(first.output).toContain("  ~ holidays: +2027-02-05 +2027-02-08 +2027-02-09 +2027-02-10 +2027-02-11 +2027-02-12\n");
      expect(first.output).toContain("deadlines: added (hazard, consultation, verify)\n");
      expect(first.output).toContain("  ~ hazard.urgent.accept: default → 2 working hours\n");
      expect(first.output).toContain("escalation: added\n  ~ escalation: default → unit_head, dispatchers, leaders\n");
      // The default sectors the example leaves out are kept until --prune.
      expect(first.output).toContain("  - roads (not in the file; --prune removes it)");

      const rows = await snapshot();
      // Nobody to write to: no chat, no member, no reminder, and nothing waiting in the outbox.
      expect([rows.members, rows.chats, rows.schedules]).toEqual([[], [], []]);
      expect((await db.client.execute("select count(*) as n from outbox")).rows[0]?.n).toBe(0);
      expect(rows.regions).toHaveLength(10);
      expect(rows.units).toHaveLength(12);
      const streets = (await db.client.execute("select level, area from regions where id = 'dongcheng'")).rows[0];
      expect(streets?.level).toBe("town");
      expect(JSON.parse(String(streets?.area))).toEqual({
        type: "Polygon",
        coordinates: [
          [
            [120.035, 29.99],
            [120.065, 29.99],
            [120.065, 30.012],
            [120.035, 30.012],
            [120.035, 29.99],
          ],
        ],
      });
      const chengguan = (await db.client.execute("select area from regions where id = 'chengguan'")).rows[0];
      expect(JSON.parse(String(chengguan?.area))).toEqual({ lat: 30, lng: 120, radiusM: 3000 });

      const second = await directory("import", EXAMPLE_FILE);
      expect(second.code, second.output).toBe(0);
      expect(second.output).toContain("regions: 0 added, 0 changed, 10 unchanged, 0 would be removed");
      expect(second.output).toContain("units: 0 added, 0 changed, 12 unchanged, 0 would be removed");
      expect(second.output).toContain("calendar: unchanged\ndeadlines: unchanged\nescalation: unchanged\n");
      expect(second.output).toContain("Nothing changed: the database already matches");
      expect(await snapshot()).toEqual(rows);
    },
    TIMEOUT,
  );

  it(
    "adds the members, chats and reminders a file binds, and queues the new staff's menus for the bot to send",
    async () => {
      const first = await directory("import", file("bound.yaml", bound));
      expect(first.code, first.output).toBe(0);
      expect(first.output).toContain("members: 2 added");
      expect(first.output).toContain("chats: 2 added");
      expect(first.output).toContain("schedules: 3 added, 0 changed, 0 unchanged, 0 would be removed\n  + weekly-report, monthly-plan, bulletin\n");
      const menus = await db.client.execute("select chat_id, method from outbox order by id");
      expect(menus.rows.map((r) => [r.chat_id, r.method])).toEqual([
        [100001, "setMyCommands"],
        [100002, "setMyCommands"],
      ]);

      const second = await directory("import", file("bound.yaml", bound));
      expect(second.code, second.output).toBe(0);
      expect(second.output).toContain("schedules: 0 added, 0 changed, 3 unchanged, 0 would be removed");
      expect(second.output).toContain("Nothing changed: the database already matches");
    },
    TIMEOUT,
  );

  it(
    "reports a changed name as changed, and writes nothing on --dry-run",
    async () => {
      expect((await directory("import", file("bound.yaml", bound))).code).toBe(0);
      const renamed = file("renamed.yaml", bound.replace("name_en: Chengguan Town\n", "name_en: Chengguan Township\n"));
      const before = await snapshot();

      const dry = await directory("import", renamed, "--dry-run");
      expect(dry.code, dry.output).toBe(0);
      expect(dry.output).toContain("regions: 0 added, 1 changed (name_en), 9 unchanged, 0 would be removed");
      expect(dry.output).toContain('  ~ chengguan: name_en "Chengguan Town" → "Chengguan Township"');
      expect(dry.output).toContain("Dry run: nothing was written.");
      expect(await snapshot()).toEqual(before);

      const real = await directory("import", renamed);
      expect(real.code, real.output).toBe(0);
      expect(real.output).toContain("regions: 0 added, 1 changed (name_en), 9 unchanged, 0 would be removed");
      const row = (await db.client.execute("select name_en from regions where id = 'chengguan'")).rows[0];
      expect(row?.name_en).toBe("Chengguan Township");
    },
    TIMEOUT,
  );

  it(
    "reports each changed setting and reminder, and leaves a settings section the file drops as it is",
    async () => {
      expect((await directory("import", file("bound.yaml", bound))).code).toBe(0);
      const changed = bound
        .replace("urgent: { accept: { working_hours: 2 }", "urgent: { accept: { working_hours: 4 }")
        .replace("2027-02-12]", "2027-02-12, 2027-02-15]")
        .replace("escalation: [unit_head, dispatchers, leaders]", "escalation: [dispatchers, leaders]")
        .replace('cron: "0 9 25 * *"', 'cron: "0 9 26 * *"');
      const real = await directory("import", file("changed.yaml", changed));
      expect(real.code, real.output).toBe(0);
      expect(real.output).toContain(
        [
          "schedules: 0 added, 1 changed (cron), 2 unchanged, 0 would be removed",
          '  ~ monthly-plan: cron "0 9 25 * *" → "0 9 26 * *"',
          "calendar: changed (holidays)",
          "  ~ holidays: +2027-02-15",
          "deadlines: changed (hazard)",
          "  ~ hazard.urgent.accept: 2 working hours → 4 working hours",
          "escalation: changed",
          "  ~ escalation: unit_head, dispatchers, leaders → dispatchers, leaders",
        ].join("\n"),
      );
      const stored = JSON.parse(String((await db.client.execute("select settings from office_settings")).rows[0]?.settings));
      expect(stored.deadlines.hazard.urgent).toEqual({ accept: { workingHours: 4 }, resolve: { workingDays: 3 } });
      expect(stored.escalation).toEqual(["dispatchers", "leaders"]);

      // Without the deadlines and escalation sections the stored ones stay.
      const noSettings = changed.slice(0, changed.indexOf("# ── 办理时限")) + changed.slice(changed.indexOf("# ── 定期提醒"));
      const kept = await directory("import", file("no-settings.yaml", noSettings));
      expect(kept.code, kept.output).toBe(0);
      expect(kept.output).toContain(
        "deadlines: not in the file, left as it is (as imported before)\nescalation: not in the file, left as it is (as imported before)\n",
      );
      expect(kept.output).toContain("Nothing changed");
      expect(JSON.parse(String((await db.client.execute("select settings from office_settings")).rows[0]?.settings))).toEqual(stored);
    },
    TIMEOUT,
  );

  it(
    "keeps a unit the file no longer lists, saying it would be removed, and removes it with --prune",
    async () => {
      expect((await directory("import", file("bound.yaml", bound))).code).toBe(0);
      const smaller = file("smaller.yaml", without("education-bureau"));

      const kept = await directory("import", smaller);
      expect(kept.code, kept.output).toBe(0);
      expect(kept.output).toContain("units: 0 added, 0 changed, 11 unchanged, 1 would be removed");
      expect(kept.output).toContain("  - education-bureau (not in the file; --prune removes it)");
      expect(kept.output).toContain("routes: 0 added, 0 changed, 14 unchanged, 1 would be removed");
      expect((await db.client.execute("select id from units where id = 'education-bureau'")).rows).toHaveLength(1);

      const pruned = await directory("import", smaller, "--prune");
      expect(pruned.code, pruned.output).toBe(0);
      expect(pruned.output).toContain("units: 0 added, 0 changed, 11 unchanged, 1 removed");
      expect(pruned.output).toContain("  - education-bureau\n");
      // The default sectors the example leaves out go too: nothing refers to them.
      expect(pruned.output).toContain("sectors: 0 added, 0 changed, 8 unchanged, 2 removed");
      expect((await db.client.execute("select id from units where id = 'education-bureau'")).rows).toEqual([]);
      expect((await db.client.execute("select id from routes where unit_id = 'education-bureau'")).rows).toEqual([]);
      expect((await db.client.execute("select count(*) as n from sectors")).rows[0]?.n).toBe(8);

      const again = await directory("import", smaller, "--prune");
      expect(again.output).toContain("Nothing changed");
    },
    TIMEOUT,
  );

  it(
    "refuses --prune when a case still refers to the unit, and writes nothing at all",
    async () => {
      expect((await directory("import", file("bound.yaml", bound))).code).toBe(0);
      await db.client.execute(
        "insert into cases (number, kind, description, anonymous, unit_id) values ('YH-20260101-0007', 'hazard', 'test', 0, 'economy-bureau')",
      );
      // The rename shows that the whole import is refused, not only the removal.
      const text = without("economy-bureau").replace("name_en: Xinhe Town\n", "name_en: Xinhe Township\n");
      const before = await snapshot();

      const refused = await directory("import", file("pruned.yaml", text), "--prune");
      expect(refused.code, refused.output).toBe(1);
      expect(refused.output).toContain('directory: cannot remove unit "economy-bureau": still referenced by 1 case (YH-20260101-0007)');
      expect(refused.output).toContain("Nothing was written.");
      expect(await snapshot()).toEqual(before);

      const dry = await directory("import", file("pruned.yaml", text), "--prune", "--dry-run");
      expect(dry.code, dry.output).toBe(1);
      expect(dry.output).toContain('--prune would fail: cannot remove unit "economy-bureau"');
    },
    TIMEOUT,
  );

  it(
    "refuses --prune when staff or a group the file does not manage still belong to the unit",
    async () => {
      expect((await directory("import", file("bound.yaml", bound))).code).toBe(0);
      // The example as shipped has no members or chats sections: the file leaves staff and groups alone, so they stay, and hold on to their unit.
      const text = without("chengguan-station", example);
      await db.client.execute(`insert into invites (code_hash, unit_id, roles, expires_at) values ('hash', 'chengguan-station', '["liaison"]', 0)`);
      const before = await snapshot();

      const refused = await directory("import", file("no-staff.yaml", text), "--prune");
      expect(refused.code, refused.output).toBe(1);
      expect(refused.output).toContain(
        'directory: cannot remove unit "chengguan-station": still referenced by 1 member (telegram_id 100001) the file does not list and 1 chat (-1001234567890) the file does not list and 1 invite link',
      );
      expect(await snapshot()).toEqual(before);

      const kept = await directory("import", file("no-staff.yaml", text));
      expect(kept.code, kept.output).toBe(0);
      expect(kept.output).toContain("members: not in the file, left as they are (2 in the database)");
      expect(kept.output).toContain("units: 0 added, 0 changed, 11 unchanged, 1 would be removed");
    },
    TIMEOUT,
  );

  it(
    "turns a foreign key it did not foresee into the same refusal, naming the row, and writes nothing",
    async () => {
      expect((await directory("import", file("bound.yaml", bound))).code).toBe(0);
      // A table some later feature might add, which the prune checks know nothing about.
      await db.client.execute("create table later_feature (unit_id text references units(id))");
      await db.client.execute("insert into later_feature values ('education-bureau')");
      const before = await snapshot();

      const refused = await directory("import", file("smaller.yaml", without("education-bureau")), "--prune");
      expect(refused.code, refused.output).toBe(1);
      expect(refused.output).toContain('directory: cannot remove unit "education-bureau": another table still refers to it');
      expect(refused.output).toContain("Nothing was written.");
      expect(await snapshot()).toEqual(before);
    },
    TIMEOUT,
  );

  it(
    "prints every mistake in a broken file as file:line:col field: message, exits 1 and writes nothing",
    async () => {
      file(
        "broken.yaml",
        [
          "regions:",
          "  - id: qinghe",
          "    name_zh: 清河县",
          "    name_en: Qinghe County",
          "    level: county",
          "    children:",
          "      - { id: chengguan, name_zh: 城关镇, name_en: Chengguan Town, level: village, area: { lat: 95, lng: 120, radius_m: 3000 } }",
          "sectors:",
          "  - { id: mines, name_zh: 矿山, name_en: Mines }",
          "units:",
          "  - { id: station, kind: territorial, name_zh: 站, name_en: Station, region: chengguan2 }",
          "routes:",
          "  - { region: chengguan, unit: station }",
          "  - { region: chengguan, unit: office }",
          "members:",
          "  - { telegram_id: 100001, name: 张伟, unit: station, roles: [chief] }",
          "",
        ].join("\n"),
      );
      const before = await snapshot();
      // Through npm, from another folder: the path is the operator's, relative to where they are.
      const child = run("npm", ["--prefix", root, "run", "--silent", "directory", "--", "import", "broken.yaml"], {
        cwd: workdir,
        env: cleanEnv({ DATABASE_URL: db.url }),
      });
      const code = await child.exited;
      const output = child.output();
      expect(code, output).toBe(1);
      const lines = output.split("\n").filter((line) => /^broken\.yaml:\d+:\d+ /.test(line));
      expect(lines).toEqual(
        [
          'broken.yaml:7:72 regions[0].children[0].level: a county\'s regions must be town or street, not "village"',
          "broken.yaml:7:94 regions[0].children[0].area.lat: must be a latitude, -90 to 90",
          'broken.yaml:11:77 units[0].region: no region "chengguan2"',
          'broken.yaml:14:32 routes[1].unit: no unit "office"',
          "broken.yaml:14:5 routes[1]: a route for the same region and sector is already given at routes[0]",
          'broken.yaml:16:61 members[0].roles[0]: must be one of liaison, dispatcher, leader, admin, not "chief"',
        ].sort(byPosition),
      );
      expect(output).toContain("broken.yaml: 6 problems; nothing was imported.");
      expect(await snapshot()).toEqual(before);
    },
    TIMEOUT,
  );
});

describe("npm run directory -- export", () => {
  it(
    "writes a file that imports back with no changes, and the same text to stdout",
    async () => {
      expect((await directory("import", file("bound.yaml", bound))).code).toBe(0);
      const exported = await directory("export", "exported/directory.yaml");
      expect(exported.code, exported.output).toBe(0);
      expect(exported.output).toContain("Exported");
      const text = readFileSync(join(workdir, "exported/directory.yaml"), "utf8");
      // The two default sectors the example leaves out are still there, so they are exported too.
      expect(text).toContain("- { id: roads, name_zh: 道路交通, name_en: Roads and traffic, sort: 50 }");
      expect(text).toContain("name_zh: 东城街道\n");
      // The time settings and the recurring reminders too.
      expect(text).toContain('calendar:\n  work_hours: { start: "08:30", end: "17:30", lunch: { start: "12:00", end: "14:00" } }\n');
      expect(text).toContain("    urgent: { accept: { working_hours: 2 }, resolve: { working_days: 3 } }\n");
      expect(text).toContain("escalation: [ unit_head, dispatchers, leaders ]\n");
      expect(text).toContain(
        '  - { id: weekly-report, chat: -1001234567890, cron: "0 15 * * 5", holidays: shift, text: "请于今天下班前报送本周工作情况（周工作定期汇报）。" }\n',
      );
      expect(exported.output).toContain("3 schedules; settings: calendar, deadlines, escalation.");

      const before = await snapshot();
      const reimport = await directory("import", "exported/directory.yaml");
      expect(reimport.code, reimport.output).toBe(0);
      expect(reimport.output).toContain("Nothing changed: the database already matches exported/directory.yaml.");
      expect(reimport.output).toContain("sectors: 0 added, 0 changed, 10 unchanged, 0 would be removed");
      expect(reimport.output).toContain(
        "schedules: 0 added, 0 changed, 3 unchanged, 0 would be removed\ncalendar: unchanged\ndeadlines: unchanged\nescalation: unchanged\n",
      );
      expect(await snapshot()).toEqual(before);

      const stdout = await directory("export");
      expect(stdout.code).toBe(0);
      expect(stdout.output).toBe(text);
    },
    TIMEOUT,
  );
});

/** Orders `file:line:col …` lines by line, then column, as the script prints them. */
function byPosition(a: string, b: string): number {
  const pos = (s: string) => (/^[^:]+:(\d+):(\d+)/.exec(s) ?? []).slice(1).map(Number);
  const [la = 0, ca = 0] = pos(a);
  const [lb = 0, cb = 0] = pos(b);
  return la - lb || ca - cb;
}
