/**
 * Fixed-window rate limits in hot state. The window is part of the key, so the time until
 * the next window ("try again in 40 seconds") is known without asking the store for a TTL.
 */
import type { HotState } from "./hot-state";

export interface RateRule {
  limit: number;
  windowMs: number;
}

export const RATE_RULES = {
  /** Any message or button press in a private chat. */
  messages: { limit: 30, windowMs: 60_000 },
  /** Reports and questions submitted. */
  submissions: { limit: 5, windowMs: 60 * 60_000 },
} satisfies Record<string, RateRule>;

export interface RateVerdict {
  allowed: boolean;
  /** How many hits this window has seen, this one included. */
  count: number;
  /** Until the window ends. */
  retryAfterMs: number;
}

export async function hitRateLimit(kv: HotState, name: string, subject: string | number, rule: RateRule, now: number): Promise<RateVerdict> {
  const window = Math.floor(now / rule.windowMs);
  const count = await kv.incr(`rate:${name}:${subject}:${window}`, rule.windowMs);
  return { allowed: count <= rule.limit, count, retryAfterMs: (window + 1) * rule.windowMs - now };
}
