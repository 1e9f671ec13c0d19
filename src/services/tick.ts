/**
 * tick(now): the one periodic entry point, called every minute by the Workers cron trigger
 * and by croner on Node. The time, reminder and delivery issues hang their due work here;
 * for now it keeps the embedded hot-state table small and records that it ran.
 */
import type { Logger } from "../log";
import type { HotState } from "./hot-state";

export const LAST_TICK_KEY = "tick:last";

export interface TickResult {
  at: number;
  purgedHotState: number;
}

export type Tick = (now: number) => Promise<TickResult>;

export function createTick(deps: { kv: HotState; log: Logger }): Tick {
  return async (now) => {
    const purgedHotState = await deps.kv.purgeExpired();
    await deps.kv.set(LAST_TICK_KEY, String(now));
    if (purgedHotState > 0) deps.log.info("tick purged expired hot state", { purgedHotState });
    return { at: now, purgedHotState };
  };
}
