/** What GET /healthz reports: each store answers, the evidence archive's state, when tick() last ran and the last good backup. */
import { type Db, pingDb } from "../../db/client";
import type { ArchiveHealth, ArchiveService } from "./archive";
import type { HotState } from "./hot-state";
import { lastGoodBackupAt } from "./nightly-backup";
import { LAST_TICK_KEY } from "./tick";

export interface HealthReport {
  ok: boolean;
  database: "ok" | "down";
  hotState: "ok" | "down";
  lastTickAt: string | null;
  /** Its storage failing (a full disk, an R2 error) makes the whole report not ok: files wait, none is lost. */
  archive: ArchiveHealth | "unknown";
  /** When the last good nightly backup was taken (null: none yet, or backups are off, as on Workers). Informs; never makes the report not ok. */
  backup: { lastGoodAt: string | null };
}

export function healthService(db: Db, kv: HotState, archive: Pick<ArchiveService, "health">) {
  return async function check(): Promise<HealthReport> {
    const [database, hotState] = await Promise.all([
      pingDb(db).then(
        () => "ok" as const,
        () => "down" as const,
      ),
      kv.ping().then(
        () => "ok" as const,
        () => "down" as const,
      ),
    ]);
    const lastTick = hotState === "ok" ? await kv.get(LAST_TICK_KEY).catch(() => null) : null;
    const lastBackup = database === "ok" ? await lastGoodBackupAt(db).catch(() => null) : null;
    const files = database === "ok" && hotState === "ok" ? await archive.health().catch(() => "unknown" as const) : ("unknown" as const);
    return {
      ok: database === "ok" && hotState === "ok" && files !== "unknown" && files.state !== "failing",
      archive: files,
      database,
      hotState,
      lastTickAt: lastTick === null ? null : new Date(Number(lastTick)).toISOString(),
      backup: { lastGoodAt: lastBackup === null ? null : new Date(lastBackup).toISOString() },
    };
  };
}
