/** What GET /healthz reports: each store answers, and when tick() last ran. */
import { type Db, pingDb } from "../../db/client";
import type { HotState } from "./hot-state";
import { LAST_TICK_KEY } from "./tick";

export interface HealthReport {
  ok: boolean;
  database: "ok" | "down";
  hotState: "ok" | "down";
  lastTickAt: string | null;
}

export function healthService(db: Db, kv: HotState) {
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
    return {
      ok: database === "ok" && hotState === "ok",
      database,
      hotState,
      lastTickAt: lastTick === null ? null : new Date(Number(lastTick)).toISOString(),
    };
  };
}
