/**
 * The nightly backup's schedule, apart from how a backup is taken (db/backup.ts, Node-only,
 * handed in as `take`): at the backup time in office time (02:30 by default), once a night,
 * claimed in `job_runs` (`backup:YYYY-MM-DD`) like the leaders' digest, so that two processes
 * on one database take one backup. The claim is made before the backup: a night whose backup
 * fails (or whose process dies in it) is not tried again that night; the admins and the
 * dispatchers' group are told through the outbox, and /healthz shows when the last good one was.
 * After a backup it prunes the folder (`prune`, handed in likewise): BACKUP_KEEP's count, and
 * every backup taken longer ago than the office's reporter-identity period (`retention:
 * reporter_identity_days`, three years by default), since it still holds the identities the
 * erasure job has removed from the database.
 */
import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { readOfficeSettings } from "../../db/queries/settings";
import { chatsFor, membersWithRole } from "../../db/queries/staff";
import { jobRuns } from "../../db/schema";
import type { BackupRetention } from "../domain/backups";
import type { ClockTime } from "../domain/calendar";
import { DEFAULT_LOCALE } from "../domain/locale";
import { reporterIdentityDays } from "../domain/office-settings";
import { zonedTime } from "../domain/office-time";
import { officeDateOf } from "../domain/reports";
import { translator } from "../i18n";
import type { Logger } from "../log";
import { enqueue } from "./outbox";

/** The `job_runs` row whose `at` is when the last backup that succeeded was taken. */
export const BACKUP_LAST_GOOD_KEY = "backup:last-good";

export type NightlyBackupRun = "not-due" | "taken-already" | "taken" | "failed";

/** When the last good backup was taken, or null (none yet, or backups off). */
export async function lastGoodBackupAt(db: Db): Promise<number | null> {
  const [row] = await db.select({ at: jobRuns.at }).from(jobRuns).where(eq(jobRuns.key, BACKUP_LAST_GOOD_KEY));
  return row?.at ?? null;
}

export function nightlyBackupService(deps: {
  db: Db;
  log: Logger;
  officeTz: string;
  time: ClockTime;
  /** Takes one backup; returns where it went. */
  take: (now: number) => Promise<string>;
  /** Deletes the backups BACKUP_KEEP lets go, and those past `retention`; returns their names. */
  prune: (retention: BackupRetention) => Promise<string[]>;
}) {
  const { db, log } = deps;
  const [hour, minute] = deps.time;

  return {
    /** Takes tonight's backup once its time has come, unless it was taken (or tried) already. */
    async runDue(now: number): Promise<NightlyBackupRun> {
      const date = officeDateOf(now, deps.officeTz);
      const [y, m, d] = date.split("-").map(Number) as [number, number, number];
      if (now < zonedTime(y, m, d, hour, minute, deps.officeTz)) return "not-due";
      const key = `backup:${date}`;
      const claimed = await db.insert(jobRuns).values({ key, at: now }).onConflictDoNothing().returning({ key: jobRuns.key });
      if (claimed.length === 0) return "taken-already";
      try {
        const path = await deps.take(now);
        const days = reporterIdentityDays(await readOfficeSettings(db));
        const pruned = await deps.prune({ now, reporterIdentityDays: days });
        if (pruned.length > 0) log.info("backup: old backups removed", { pruned, reporterIdentityDays: days });
        await db
          .insert(jobRuns)
          .values({ key: BACKUP_LAST_GOOD_KEY, at: now })
          .onConflictDoUpdate({ target: jobRuns.key, set: { at: now } });
        log.info("nightly backup taken", { path });
        return "taken";
      } catch (err) {
        log.error("nightly backup failed; the admins and the dispatchers are told", { err });
        await tellStaff(db, key, err instanceof Error ? err.message : String(err), now).catch((e: unknown) =>
          log.error("nightly backup: telling the staff failed", { err: e }),
        );
        return "failed";
      }
    },
  };
}

/** The admins privately and the dispatchers' group, once each for the night's key. */
async function tellStaff(db: Db, key: string, error: string, now: number): Promise<void> {
  const targets = new Set([
    ...(await membersWithRole(db, "admin")).map((m) => m.telegramId),
    ...(await chatsFor(db, "dispatchers")).map((c) => c.chatId),
  ]);
  const text = translator(DEFAULT_LOCALE)("backup-failed", { error: error.slice(0, 300) });
  await enqueue(
    db,
    [...targets].map((chatId) => ({ chatId, method: "sendMessage" as const, payload: { text }, dedupeKey: `${key}:failed:${chatId}` })),
    now,
  );
}

export type NightlyBackupService = ReturnType<typeof nightlyBackupService>;
