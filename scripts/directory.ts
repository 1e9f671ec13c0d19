/**
 * npm run directory -- import FILE [--prune] [--dry-run]
 * npm run directory -- export [FILE]
 *
 * Loads an office's whole directory (regions, sectors, units, routes, members, chats,
 * recurring reminders, and its calendar, deadlines and escalation chain) from one YAML file
 * into DATABASE_URL, or writes the database's directory out as such a file. See
 * examples/directory.yaml for the format. Migrates first, so it works on a new database.
 * Staff the import adds, or whose roles it changes, get their command menu (and, with an
 * https console address from PUBLIC_URL or CONSOLE_URL, the console as their menu button)
 * through the outbox: the running bot sends it on its next tick. With --prune, a member the file
 * no longer lists is removed, or deactivated when cases still name them (they keep their place
 * in the ledger but can no longer act); listed again later, they are reactivated.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import {
  applySync,
  DIRECTORY_TABLES,
  DirectoryPruneError,
  type DirectoryTable,
  findPruneBlockers,
  type MembersPlan,
  membersToDeactivate,
  planHasWrites,
  planSync,
  readDirectory,
  rowLabel,
  type SettingsPlan,
  type SyncPlan,
  type TablePlans,
} from "../db/queries/directory-sync";
import { consoleUrlOf } from "../src/config";
import { DEADLINE_STAGES, type EscalationLevel } from "../src/domain/deadlines";
import { type Directory, type DirectoryMember, formatDirectoryError, parseDirectory, serializeDirectory } from "../src/domain/directory-file";
import {
  type CalendarSettings,
  DEFAULT_REPORTER_IDENTITY_DAYS,
  type DeadlineSettings,
  describeDuration,
  describeWorkHours,
  type PublicationSettings,
  type RetentionSettings,
  SETTINGS_SECTIONS,
  type SettingsSection,
} from "../src/domain/office-settings";
import { CASE_KINDS, SEVERITIES } from "../src/domain/workflow";
import { queueStaffMenus } from "../src/services/command-menus";
import { operatorPath, runCli, UsageError, withDb } from "./cli";

const USAGE = `Usage:
  npm run directory -- import FILE [--prune] [--dry-run]
  npm run directory -- export [FILE]
Without FILE, export writes to stdout: use npm run --silent, or npm's own banner lands in the YAML.`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { prune: { type: "boolean" }, "dry-run": { type: "boolean" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const [command, file, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected ${extra.join(" ")}`);
  if (command === "import") {
    if (!file) throw new UsageError("import needs the FILE to read");
    return importFile(file, { prune: values.prune === true, dryRun: values["dry-run"] === true });
  }
  if (command === "export") {
    if (values.prune || values["dry-run"]) throw new UsageError("--prune and --dry-run are for import");
    return exportFile(file);
  }
  throw new UsageError(command ? `unknown command "${command}"` : "say import or export");
}

// npm runs scripts from the package root; a path the operator typed is relative to where they typed it.

async function importFile(file: string, { prune, dryRun }: { prune: boolean; dryRun: boolean }): Promise<number> {
  let text: string;
  try {
    text = readFileSync(operatorPath(file), "utf8");
  } catch (error) {
    console.error(`directory: cannot read ${file}: ${(error as Error).message}`);
    return 1;
  }
  const parsed = parseDirectory(text, file);
  if (!parsed.ok) {
    for (const e of parsed.errors) console.error(formatDirectoryError(e));
    console.error(`${file}: ${parsed.errors.length} ${parsed.errors.length === 1 ? "problem" : "problems"}; nothing was imported.`);
    return 1;
  }

  return withDb(async (db, where) => {
    const plan = planSync(await readDirectory(db), parsed.directory);
    // Members the file drops whom cases still name: --prune deactivates rather than removes them.
    let deactivated = await membersToDeactivate(db, plan);
    const summary = () => {
      console.log(`${dryRun ? "Dry run: importing" : "Imported"} ${file} into ${where}`);
      for (const line of describePlan(plan, prune && !dryRun, deactivated)) console.log(line);
    };

    if (dryRun) {
      summary();
      const problems = prune ? await findPruneBlockers(db, plan) : [];
      for (const p of problems) console.error(`--prune would fail: ${p}`);
      console.log("Dry run: nothing was written.");
      return problems.length > 0 ? 1 : 0;
    }
    if (!planHasWrites(plan, prune)) {
      summary();
      console.log(`Nothing changed: the database already matches ${file}.`);
      return 0;
    }
    const timeZone = process.env.OFFICE_TZ || "Asia/Shanghai";
    try {
      new Intl.DateTimeFormat("en", { timeZone });
    } catch {
      console.error(`directory: OFFICE_TZ ${JSON.stringify(timeZone)} is not an IANA time zone`);
      return 1;
    }
    try {
      const result = await applySync(db, plan, {
        prune,
        timeZone,
        onStaffChanged: (tx, ids) => queueStaffMenus(tx, ids, Date.now(), consoleUrlOf(process.env)),
      });
      if (prune) deactivated = result.deactivatedMembers;
    } catch (error) {
      if (!(error instanceof DirectoryPruneError)) throw error;
      for (const p of error.problems) console.error(`directory: ${p}`);
      console.error("Nothing was written. Keep those rows in the file, or move what refers to them first.");
      return 1;
    }
    // Printed once written, so "removed" is only ever said of what was removed.
    summary();
    return 0;
  });
}

async function exportFile(file: string | undefined): Promise<number> {
  return withDb(async (db, where) => {
    const directory = await readDirectory(db);
    const text = serializeDirectory(directory);
    if (!file) {
      process.stdout.write(text);
      return 0;
    }
    const path = operatorPath(file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    const settings = SETTINGS_SECTIONS.filter((section) => directory[section] !== undefined);
    console.log(
      `Exported ${where} to ${file}: ${DIRECTORY_TABLES.map((t) => `${written(directory, t)} ${t}`).join(", ")}` +
        `${settings.length ? `; settings: ${settings.join(", ")}` : "; no settings (defaults)"}.`,
    );
    return 0;
  });
}

/** How many rows of a table an export writes: a deactivated member is not part of the directory. */
function written(directory: Directory, table: DirectoryTable): number {
  if (table === "members") return directory.members?.filter((m) => m.active !== false).length ?? 0;
  return directory[table]?.length ?? 0;
}

/**
 * `regions: 2 added, 1 changed (name_en), 7 unchanged, 0 would be removed`, then a line per row
 * that moves; then `calendar: changed (holidays)` and a line per setting that changes.
 */
function describePlan(plan: SyncPlan, prune: boolean, deactivated: DirectoryMember[]): string[] {
  return [
    ...DIRECTORY_TABLES.flatMap((table) =>
      table === "members" ? describeMembers(plan.members, prune, deactivated) : describeTable(table, plan[table], prune),
    ),
    ...SETTINGS_SECTIONS.flatMap((section) => describeSettings(section, plan.settings[section])),
  ];
}

function describeSettings(section: SettingsSection, p: SettingsPlan<unknown>): string[] {
  if (!p.managed) return [`${section}: not in the file, left as it is (${p.before === undefined ? "the default" : "as imported before"})`];
  if (p.state === "unchanged") return [`${section}: unchanged`];
  const head = `${section}: ${p.state}${p.fields.length ? ` (${p.fields.join(", ")})` : ""}`;
  const before = settingLines(section, p.before);
  const after = settingLines(section, p.after);
  const lines = [...new Set([...before.keys(), ...after.keys()])]
    .filter((k) => before.get(k) !== after.get(k))
    .map((k) => {
      const [b, a] = [before.get(k), after.get(k)];
      if (k === "workdays" || k === "holidays") {
        const [was, now] = [new Set(b ? b.split(", ") : []), new Set(a ? a.split(", ") : [])];
        const moves = [...[...now].filter((d) => !was.has(d)).map((d) => `+${d}`), ...[...was].filter((d) => !now.has(d)).map((d) => `-${d}`)];
        return `  ~ ${k}: ${moves.join(" ")}`;
      }
      return `  ~ ${k}: ${b ?? "default"} → ${a ?? "default"}`;
    });
  return [head, ...lines];
}

/** A settings section as "what → value" lines, by the file's names (`hazard.urgent.accept` → `2 working hours`). */
function settingLines(section: SettingsSection, value: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (value === undefined) return out;
  if (section === "escalation") {
    out.set("escalation", (value as EscalationLevel[]).join(", ") || "none");
  } else if (section === "retention") {
    const days = (value as RetentionSettings).reporterIdentityDays;
    out.set("reporter_identity_days", `${days ?? DEFAULT_REPORTER_IDENTITY_DAYS} days after closing${days === undefined ? " (the default)" : ""}`);
  } else if (section === "publication") {
    out.set("public_page", (value as PublicationSettings).publicPage ? "on" : "off");
  } else if (section === "calendar") {
    const c = value as CalendarSettings;
    if (c.workHours) out.set("work_hours", describeWorkHours(c.workHours));
    if (c.workdays.length) out.set("workdays", c.workdays.join(", "));
    if (c.holidays.length) out.set("holidays", c.holidays.join(", "));
  } else {
    const d = value as DeadlineSettings;
    for (const kind of CASE_KINDS) {
      const k = d[kind];
      if (!k) continue;
      for (const stage of DEADLINE_STAGES) if (k[stage]) out.set(`${kind}.${stage}`, describeDuration(k[stage]));
      for (const severity of SEVERITIES) {
        for (const stage of DEADLINE_STAGES) {
          const duration = k[severity]?.[stage];
          if (duration) out.set(`${kind}.${severity}.${stage}`, describeDuration(duration));
        }
      }
    }
    if (d.verify) out.set("verify", describeDuration(d.verify));
  }
  return out;
}

function describeTable<T extends DirectoryTable>(table: T, p: TablePlans[T], prune: boolean): string[] {
  if (!p.managed) return [`${table}: not in the file, left as they are (${p.unchanged.length} in the database)`];
  const fields = [...new Set(p.changed.flatMap((c) => c.fields))];
  const label = (row: (typeof p.added)[number]) => rowLabel(table, row);
  return [
    `${table}: ${p.added.length} added, ${p.changed.length} changed${fields.length ? ` (${fields.join(", ")})` : ""}, ` +
      `${p.unchanged.length} unchanged, ${p.missing.length} ${prune ? "removed" : "would be removed"}`,
    ...(p.added.length ? [`  + ${p.added.map(label).join(", ")}`] : []),
    ...p.changed.map((c) => `  ~ ${label(c.after)}: ${c.fields.map((f) => describeChange(c.before, c.after, f)).join("; ")}`),
    ...p.missing.map((row) => `  - ${label(row)}${prune ? "" : " (not in the file; --prune removes it)"}`),
  ];
}

/**
 * As describeTable, and: members listed again are `reactivated`; of the missing, those cases
 * still name are `deactivated` (kept, turned off), the rest `removed`. For example
 * `members: 0 added, 0 changed, 5 unchanged, 1 reactivated, 1 removed, 1 deactivated`.
 */
function describeMembers(p: MembersPlan, prune: boolean, deactivated: DirectoryMember[]): string[] {
  if (!p.managed) return describeTable("members", p, prune);
  const label = (m: DirectoryMember) => rowLabel("members", m);
  const off = new Set(deactivated);
  const removed = p.missing.filter((m) => !off.has(m));
  const fields = [...new Set(p.changed.flatMap((c) => c.fields))];
  return [
    `members: ${p.added.length} added, ${p.changed.length} changed${fields.length ? ` (${fields.join(", ")})` : ""}, ` +
      `${p.unchanged.length} unchanged, ${p.reactivated.length ? `${p.reactivated.length} reactivated, ` : ""}` +
      `${removed.length} ${prune ? "removed" : "would be removed"}` +
      `${deactivated.length ? `, ${deactivated.length} ${prune ? "deactivated" : "would be deactivated"}` : ""}`,
    ...(p.added.length ? [`  + ${p.added.map(label).join(", ")}`] : []),
    ...p.reactivated.map((m) => `  + ${label(m)} (reactivated)`),
    ...p.changed.map((c) => `  ~ ${label(c.after)}: ${c.fields.map((f) => describeChange(c.before, c.after, f)).join("; ")}`),
    ...removed.map((m) => `  - ${label(m)}${prune ? "" : " (not in the file; --prune removes it)"}`),
    ...deactivated.map(
      (m) =>
        `  - ${label(m)} (${prune ? "deactivated" : "not in the file; --prune deactivates it"}: cases still name them, so they stay in the ledger)`,
    ),
  ];
}

// File field names back to the row properties they were compared on.
const PROPS: Record<string, string> = {
  parent: "parentId",
  name_zh: "nameZh",
  name_en: "nameEn",
  region: "regionId",
  sector: "sectorId",
  unit: "unitId",
  chat: "chatId",
};

function describeChange(before: unknown, after: unknown, field: string): string {
  if (field === "area") return "area";
  const prop = PROPS[field] ?? field;
  const show = (row: unknown) => JSON.stringify((row as Record<string, unknown>)[prop] ?? null);
  return `${field} ${show(before)} → ${show(after)}`;
}

await runCli("directory", USAGE, main);
