/**
 * The playground's county and its people: the example directory (examples/directory.yaml)
 * with a cast bound to it (examples/playground.yaml): two citizens, who are nobody in the
 * directory, and the staff and groups the directory file's own `members:` and `chats:`
 * sections describe. Loading goes through the directory import itself, so the playground's
 * county is exactly what an office would get from the same files.
 */
import type { Client } from "@libsql/client";
import { parse, stringify } from "yaml";
import { z } from "zod";
import type { Db } from "../../db/client";
import { applySync, planSync, readDirectory } from "../../db/queries/directory-sync";
import { type ChatPurpose, formatDirectoryError, parseDirectory } from "../domain/directory-file";
import { queueStaffMenus } from "../services/command-menus";

const person = z.object({ telegram_id: z.number().int().positive(), name: z.string().min(1) });
const CastFile = z.object({
  citizens: z.array(person).min(1),
  members: z.array(person.extend({ unit: z.string(), roles: z.array(z.string()).min(1) })).min(1),
  chats: z.array(z.object({ chat_id: z.number().int().negative(), title: z.string(), purpose: z.string(), unit: z.string().optional() })),
  schedules: z.array(z.record(z.string(), z.unknown())).optional(),
});

export interface CastPerson {
  id: number;
  name: string;
  /** "citizen", or the staff roles the directory gives them. */
  roles: string[];
  unit?: string;
}

export interface CastGroup {
  id: number;
  title: string;
  purpose: ChatPurpose;
  unit?: string;
}

export interface Cast {
  people: CastPerson[];
  groups: CastGroup[];
  /** The directory file to import: the example with the cast's members, chats and schedules taken in. */
  directoryText: string;
}

export class CastError extends Error {}

/** Reads the cast file and joins it to the directory file; throws CastError with every problem. */
export function readCast(exampleText: string, castText: string): Cast {
  const parsed = CastFile.safeParse(parse(castText));
  if (!parsed.success)
    throw new CastError(`examples/playground.yaml: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  const { citizens, members, chats, schedules } = parsed.data;
  // The example leaves these sections commented out, so appending them adds them once.
  const directoryText = `${exampleText}\n${stringify({ members, chats, ...(schedules ? { schedules } : {}) })}`;
  const directory = parseDirectory(directoryText, "examples/directory.yaml + examples/playground.yaml");
  if (!directory.ok) throw new CastError(directory.errors.map(formatDirectoryError).join("\n"));
  return {
    people: [
      ...citizens.map((c) => ({ id: c.telegram_id, name: c.name, roles: ["citizen"] })),
      ...members.map((m) => ({ id: m.telegram_id, name: m.name, roles: m.roles, unit: m.unit })),
    ],
    groups: (directory.directory.chats ?? []).map((c) => ({
      id: c.chatId,
      title: c.title,
      purpose: c.purpose,
      ...(c.unitId ? { unit: c.unitId } : {}),
    })),
    directoryText,
  };
}

/** Imports the cast's directory, as `npm run directory -- import` would. */
export async function loadCounty(db: Db, cast: Cast, opts: { timeZone: string; now: number }): Promise<void> {
  const parsed = parseDirectory(cast.directoryText, "playground");
  if (!parsed.ok) throw new CastError(parsed.errors.map(formatDirectoryError).join("\n"));
  const plan = planSync(await readDirectory(db), parsed.directory);
  await applySync(db, plan, {
    prune: true,
    timeZone: opts.timeZone,
    now: opts.now,
    onStaffChanged: (tx, ids) => queueStaffMenus(tx, ids, opts.now),
  });
}

/**
 * Empties every table but the migrations' own record, in one transaction: "start over" in
 * the playground. Foreign keys are checked at the commit, when nothing refers to anything.
 */
export async function emptyDatabase(client: Client): Promise<void> {
  const tables = await client.execute(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_\\_%' ESCAPE '\\' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\'",
  );
  const names = tables.rows.map((r) => String(r.name));
  await client.batch(["PRAGMA defer_foreign_keys = ON", ...names.map((n) => `DELETE FROM "${n.replaceAll('"', '""')}"`)], "write");
}
